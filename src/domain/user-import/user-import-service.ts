import { randomUUID } from 'node:crypto';
import type { UserImportJobType } from '@aws-sdk/client-cognito-identity-provider';
import {
  InvalidParameterException,
  PreconditionNotMetException,
  ResourceNotFoundException,
} from '../../generated/exceptions.js';
import { randomString } from '../../crypto/random.js';
import type { Store } from '../../store/store.js';
import type { UserImportJobRecord, UserImportJobStatus } from '../../store/user-import-store.js';
import { decodePageToken, encodePageToken } from '../../store/page-token.js';
import type { Clock } from '../clock.js';
import type { UserPoolService } from '../user-pools/user-pool-service.js';
import { csvHeaderOf } from './csv-header.js';
import { MAX_CSV_BYTES } from './import-rows.js';
import { UPLOAD_URL_VALIDITY_MS, type UploadUrls } from './upload-url.js';

/** Cognito: a job that is not started within 24-48 hours expires; Frontdesk takes the 24. */
export const UNSTARTED_JOB_LIFETIME_MS = 24 * 60 * 60 * 1000;
/** The uploaded file is kept in pieces of this size. */
const UPLOAD_CHUNK_BYTES = 1024 * 1024;
const JOB_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const MAX_ERRORS_PAGE = 1000;

export const STOPPED_MESSAGE = 'The user import job was stopped.';

export type UploadResult =
  | { kind: 'ok'; bytes: number }
  /** Not a URL Frontdesk issued (or for a job that no longer exists). */
  | { kind: 'invalid' }
  | { kind: 'expired' }
  /** The job was started, stopped or has expired: it takes no file any more. */
  | { kind: 'closed' }
  | { kind: 'tooLarge' };

/** Wakes the background importer (UserImportRunner) after a job was started or stopped. */
export interface ImportKicker {
  kick(): void;
}

/** The user import job operations (GetCSVHeader … ListUserImportJobs) and the CSV upload. */
export class UserImportService {
  constructor(
    private readonly deps: {
      store: Store;
      userPools: UserPoolService;
      clock: Clock;
      urls: UploadUrls;
      runner: ImportKicker;
    },
  ) {}

  async csvHeader(poolId: string): Promise<string[]> {
    return csvHeaderOf(await this.deps.userPools.get(poolId));
  }

  async create(poolId: string, jobName: string, roleArn: string): Promise<UserImportJobType> {
    await this.deps.userPools.get(poolId);
    const now = this.deps.clock.now();
    const job: UserImportJobRecord = {
      id: `import-${randomString(10, JOB_ID_ALPHABET)}`,
      userPoolId: poolId,
      jobName,
      cloudWatchLogsRoleArn: roleArn,
      status: 'Created',
      createdAt: now,
      uploadExpiresAt: new Date(now.getTime() + UPLOAD_URL_VALIDITY_MS),
      importedUsers: 0,
      skippedUsers: 0,
      failedUsers: 0,
      linesDone: 0,
    };
    await this.deps.store.userImports.insert(job);
    return this.view(job);
  }

  async describe(poolId: string, jobId: string): Promise<UserImportJobType> {
    return this.view(await this.job(poolId, jobId));
  }

  async list(poolId: string, maxResults: number, paginationToken?: string): Promise<{ jobs: UserImportJobType[]; next?: string }> {
    await this.deps.userPools.get(poolId);
    await this.expireUnstarted(poolId);
    let after: { createdAt: number; id: string } | undefined;
    if (paginationToken !== undefined) {
      const key = decodePageToken(paginationToken);
      const match = key?.match(/^(\d+):(import-[0-9A-Za-z-]+)$/);
      if (!match) throw new InvalidParameterException('Invalid pagination token.');
      after = { createdAt: Number(match[1]), id: match[2]! };
    }
    const page = await this.deps.store.userImports.list(poolId, maxResults, after);
    const last = page.items.at(-1);
    return {
      jobs: page.items.map((job) => this.view(job)),
      ...(page.more && last ? { next: encodePageToken(`${last.createdAt.getTime()}:${last.id}`) } : {}),
    };
  }

  /**
   * Created → Pending; a node of the cluster then takes the job (InProgress). Refused unless the
   * job is Created, its CSV was uploaded and the pool auto-verifies email or phone_number
   * (imported users need a verified channel to set a password).
   */
  async start(poolId: string, jobId: string): Promise<UserImportJobType> {
    const pool = await this.deps.userPools.get(poolId);
    const job = await this.job(poolId, jobId);
    if (job.status !== 'Created') throw new PreconditionNotMetException(`Import job ${jobId} cannot be started: its status is ${job.status}.`);
    if (!job.uploadId) throw new PreconditionNotMetException(`No CSV file has been uploaded to the PreSignedUrl of import job ${jobId}.`);
    if ((pool.settings.AutoVerifiedAttributes ?? []).length === 0) {
      throw new PreconditionNotMetException(
        'The user pool has no auto-verified attributes (email or phone_number), so imported users could not reset their passwords.',
      );
    }
    const started = await this.deps.store.userImports.transition(jobId, ['Created'], 'Pending', { startedAt: this.deps.clock.now() });
    if (!started) {
      const now = await this.job(poolId, jobId);
      throw new PreconditionNotMetException(`Import job ${jobId} cannot be started: its status is ${now.status}.`);
    }
    this.deps.runner.kick();
    return this.describe(poolId, jobId);
  }

  /**
   * A Pending job that no node has taken yet stops at once; a running one becomes Stopping and
   * stops after the batch in progress (its node checks between batches).
   */
  async stop(poolId: string, jobId: string): Promise<UserImportJobType> {
    await this.job(poolId, jobId);
    const { userImports } = this.deps.store;
    const now = this.deps.clock.now();
    const stoppedAtOnce = await userImports.transition(jobId, ['Pending'], 'Stopped', {
      completedAt: now,
      completionMessage: STOPPED_MESSAGE,
      onlyWithoutLiveLeaseAt: now,
    });
    if (!stoppedAtOnce) {
      const stopping = await userImports.transition(jobId, ['Pending', 'InProgress'], 'Stopping');
      if (!stopping) {
        const job = await this.job(poolId, jobId);
        throw new PreconditionNotMetException(`Import job ${jobId} cannot be stopped: its status is ${job.status}.`);
      }
      this.deps.runner.kick();
    }
    return this.describe(poolId, jobId);
  }

  /** FrontdeskAdmin.ListUserImportJobErrors: the kept row errors, in line order. */
  async errors(poolId: string, jobId: string, maxResults = 100, nextToken?: string) {
    await this.job(poolId, jobId);
    let after = 0;
    if (nextToken !== undefined) {
      const key = decodePageToken(nextToken);
      if (!key || !/^\d+$/.test(key)) throw new InvalidParameterException('Invalid pagination token.');
      after = Number(key);
    }
    const page = await this.deps.store.userImports.errors(jobId, Math.min(maxResults, MAX_ERRORS_PAGE), after);
    const last = page.items.at(-1);
    return {
      Errors: page.items.map((e) => ({ LineNumber: e.lineNumber, Result: e.result, Message: e.message })),
      ...(page.more && last ? { NextToken: encodePageToken(String(last.lineNumber)) } : {}),
    };
  }

  /**
   * Receives the CSV sent to a job's PreSignedUrl, in chunks, while the URL is valid and the job
   * is Created. A later upload replaces an earlier one. More than MAX_CSV_BYTES is refused
   * without keeping anything.
   */
  async upload(
    poolId: string,
    jobId: string,
    query: { expires: unknown; signature: unknown },
    body: AsyncIterable<Buffer>,
    declaredLength: number | undefined,
  ): Promise<UploadResult> {
    const verdict = this.deps.urls.verify(poolId, jobId, query.expires, query.signature, this.deps.clock.now());
    if (verdict !== 'ok') return { kind: verdict };
    const { userImports } = this.deps.store;
    const job = await userImports.get(jobId);
    if (!job || job.userPoolId !== poolId) return { kind: 'invalid' };
    if (job.status !== 'Created') return { kind: 'closed' };
    if (declaredLength !== undefined && declaredLength > MAX_CSV_BYTES) return { kind: 'tooLarge' };

    const uploadId = randomUUID();
    let seq = 0;
    let bytes = 0;
    let newlines = 0;
    let lastByte = -1;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const flush = async () => {
      if (pendingBytes === 0) return;
      await userImports.writeChunk(jobId, uploadId, seq++, Buffer.concat(pending, pendingBytes));
      pending = [];
      pendingBytes = 0;
    };
    try {
      for await (const piece of body) {
        bytes += piece.length;
        if (bytes > MAX_CSV_BYTES) {
          await userImports.discardUpload(jobId, uploadId);
          return { kind: 'tooLarge' };
        }
        for (let i = piece.indexOf(10); i !== -1; i = piece.indexOf(10, i + 1)) newlines++;
        if (piece.length > 0) lastByte = piece[piece.length - 1]!;
        pending.push(piece);
        pendingBytes += piece.length;
        if (pendingBytes >= UPLOAD_CHUNK_BYTES) await flush();
      }
      await flush();
    } catch (error) {
      await userImports.discardUpload(jobId, uploadId).catch(() => undefined);
      throw error;
    }
    const lines = newlines + (bytes > 0 && lastByte !== 10 ? 1 : 0);
    if (!(await userImports.commitUpload(jobId, uploadId, bytes, lines))) return { kind: 'closed' };
    return { kind: 'ok', bytes };
  }

  /** The job, after expiring the pool's unstarted ones; ResourceNotFoundException for another pool's. */
  private async job(poolId: string, jobId: string): Promise<UserImportJobRecord> {
    await this.deps.userPools.get(poolId);
    await this.expireUnstarted(poolId);
    const job = await this.deps.store.userImports.get(jobId);
    if (!job || job.userPoolId !== poolId) throw new ResourceNotFoundException(`Import job ${jobId} does not exist in user pool ${poolId}.`);
    return job;
  }

  /** Expiry is applied when jobs are read: no node needs to sweep for it. */
  private async expireUnstarted(poolId: string): Promise<void> {
    const now = this.deps.clock.now();
    await this.deps.store.userImports.expireUnstarted(poolId, new Date(now.getTime() - UNSTARTED_JOB_LIFETIME_MS), now);
  }

  private view(job: UserImportJobRecord): UserImportJobType {
    return {
      JobName: job.jobName,
      JobId: job.id,
      UserPoolId: job.userPoolId,
      PreSignedUrl: this.deps.urls.url(job.userPoolId, job.id, job.uploadExpiresAt),
      CreationDate: job.createdAt,
      ...(job.startedAt ? { StartDate: job.startedAt } : {}),
      ...(job.completedAt ? { CompletionDate: job.completedAt } : {}),
      Status: job.status satisfies UserImportJobStatus,
      CloudWatchLogsRoleArn: job.cloudWatchLogsRoleArn,
      ImportedUsers: job.importedUsers,
      SkippedUsers: job.skippedUsers,
      FailedUsers: job.failedUsers,
      ...(job.completionMessage ? { CompletionMessage: job.completionMessage } : {}),
    };
  }
}
