import { randomUUID } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { ResourceNotFoundException } from '../../generated/exceptions.js';
import type { Store } from '../../store/store.js';
import type { ImportedUserRow, RowError, UserImportJobRecord } from '../../store/user-import-store.js';
import type { LookupColumn } from '../../store/user-store.js';
import { searchRowsOf } from '../../store/user-search-index.js';
import type { Clock } from '../clock.js';
import type { UserPool } from '../user-pools/user-pool.js';
import type { UserPoolService } from '../user-pools/user-pool-service.js';
import { lookupKeysOf } from '../users/sign-in-names.js';
import { csvLines, CsvFormatError, type CsvLine } from './csv-lines.js';
import { checkHeader, MAX_CSV_USERS, RowValidator, USER_EXISTS_MESSAGE } from './import-rows.js';
import { STOPPED_MESSAGE, type ImportKicker } from './user-import-service.js';

// The background importer. Every node runs one; a node works on a job only while it holds the
// job's lease in the database (UserImportStore.claim), so each job is imported by exactly one node
// at a time. Lines are imported in batches, each batch with its resume offset in one transaction:
// progress shows in DescribeUserImportJob batch by batch, StopUserImportJob takes effect between
// batches, and a job whose node died is taken over, once its lease has run out, from the last
// committed batch — no line is lost or imported twice.

/** How long a claim lasts without a batch renewing it (a node that died frees its job after this). */
export const LEASE_MS = 30_000;
/** How often each node looks for jobs that want a node (started ones, and ones whose node died). */
export const POLL_INTERVAL_MS = 5_000;
export const DEFAULT_BATCH_LINES = 1000;
/** Jobs one node imports at once; others wait for it or go to other nodes. */
export const MAX_JOBS_PER_NODE = 2;
/** Row errors kept per job (Cognito logs every line to CloudWatch; Frontdesk keeps the first ones). */
export const MAX_STORED_ROW_ERRORS = 1000;

export const SUCCEEDED_MESSAGE = 'Import Job Completed Successfully.';

interface Log {
  warn(obj: object, msg: string): void;
  info?(obj: object, msg: string): void;
}

export class UserImportRunner implements ImportKicker {
  /** This node's name in leases. */
  readonly nodeId = randomUUID();
  private readonly active = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private closing = false;
  private scanning = false;
  private rescan = false;

  constructor(
    private readonly deps: {
      store: Store;
      userPools: UserPoolService;
      clock: Clock;
      log?: Log;
      batchLines?: number;
    },
  ) {}

  /** Looks for work now and then every POLL_INTERVAL_MS, until stop(). */
  start(intervalMs = POLL_INTERVAL_MS): void {
    if (this.timer) return;
    this.closing = false;
    this.timer = setInterval(() => this.kick(), intervalMs);
    this.timer.unref();
    this.kick();
  }

  /** Stops looking for work; jobs in progress stop after their current batch and are handed back. */
  async stop(): Promise<void> {
    this.closing = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await Promise.allSettled([...this.active.values()]);
  }

  kick(): void {
    if (this.closing) return;
    if (this.scanning) {
      this.rescan = true;
      return;
    }
    this.scanning = true;
    void this.scan()
      .catch((error: unknown) => this.deps.log?.warn({ err: error }, 'user import: looking for jobs failed'))
      .finally(() => {
        this.scanning = false;
        if (this.rescan) {
          this.rescan = false;
          this.kick();
        }
      });
  }

  private async scan(): Promise<void> {
    if (this.active.size >= MAX_JOBS_PER_NODE) return;
    const ids = await this.deps.store.userImports.claimable(this.deps.clock.now(), MAX_JOBS_PER_NODE * 2);
    for (const id of ids) {
      if (this.closing || this.active.size >= MAX_JOBS_PER_NODE) return;
      if (this.active.has(id)) continue;
      const now = this.deps.clock.now();
      const job = await this.deps.store.userImports.claim(id, this.nodeId, now, new Date(now.getTime() + LEASE_MS));
      if (!job) continue; // another node was quicker
      const run = this.run(job)
        .catch((error: unknown) => this.deps.log?.warn({ err: error, jobId: id }, 'user import: job failed unexpectedly'))
        .finally(() => {
          this.active.delete(id);
          this.kick(); // a slot is free: another job may be waiting
        });
      this.active.set(id, run);
    }
  }

  private async run(job: UserImportJobRecord): Promise<void> {
    const { userImports } = this.deps.store;
    const finish = (status: 'Succeeded' | 'Failed' | 'Stopped', message: string) =>
      userImports.finish(job.id, this.nodeId, status, this.deps.clock.now(), message);
    if (job.status === 'Stopping') {
      await finish('Stopped', STOPPED_MESSAGE);
      return;
    }
    let pool: UserPool;
    try {
      pool = await this.deps.userPools.get(job.userPoolId);
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return; // the pool and (cascade) the job are gone
      throw error;
    }
    if (!job.uploadId) {
      await finish('Failed', 'No CSV file was uploaded for the job.');
      return;
    }
    if ((job.csvLines ?? 0) - 1 > MAX_CSV_USERS) {
      await finish('Failed', `The CSV file has more than ${MAX_CSV_USERS} users.`);
      return;
    }
    try {
      const outcome = await this.importLines(job, pool);
      if (outcome === 'lost') return;
      if (outcome === 'released') {
        await userImports.release(job.id, this.nodeId);
        return;
      }
      await finish(outcome === 'stopped' ? 'Stopped' : 'Succeeded', outcome === 'stopped' ? STOPPED_MESSAGE : SUCCEEDED_MESSAGE);
    } catch (error) {
      if (error instanceof CsvFormatError) {
        await finish('Failed', error.message);
        return;
      }
      // Failed clearly rather than retried forever; what was committed stays imported.
      this.deps.log?.warn({ err: error, jobId: job.id }, 'user import: job failed');
      await finish('Failed', 'The user import job failed because of an internal error.');
    }
  }

  /** Imports from the resume offset to the end, or until stopped, released or the lease is lost. */
  private async importLines(job: UserImportJobRecord, pool: UserPool): Promise<'done' | 'stopped' | 'released' | 'lost'> {
    const lines = csvLines(this.chunksOf(job))[Symbol.asyncIterator]();
    const first = await lines.next();
    if (first.done) throw new CsvFormatError('The CSV file is empty.');
    const header = checkHeader(pool, first.value.text);
    if ('error' in header) throw new CsvFormatError(header.error);
    const validator = new RowValidator(pool, header.columns, randomUUID);

    let linesDone = job.linesDone;
    for (let skipped = 0; skipped < linesDone; skipped++) {
      if ((await lines.next()).done) break;
    }
    const batchLines = this.deps.batchLines ?? DEFAULT_BATCH_LINES;
    for (;;) {
      const batch: CsvLine[] = [];
      while (batch.length < batchLines) {
        const next = await lines.next();
        if (next.done) break;
        batch.push(next.value);
      }
      if (batch.length === 0) return 'done';
      linesDone += batch.length;
      const outcome = await this.commit(job, pool, validator, batch, linesDone);
      if (outcome === 'lost') return 'lost';
      if (outcome === 'Stopping') return 'stopped';
      if (this.closing) return 'released';
      await nextTurn(); // let requests in between batches
    }
  }

  private async commit(
    job: UserImportJobRecord,
    pool: UserPool,
    validator: RowValidator,
    batch: CsvLine[],
    linesDone: number,
  ): Promise<'lost' | string> {
    const errors: RowError[] = [];
    const users: ImportedUserRow[] = [];
    const now = this.deps.clock.now().getTime();
    for (const line of batch) {
      const outcome = validator.read(line.text);
      if (outcome.kind === 'blank') continue;
      if (outcome.kind === 'failed') {
        errors.push({ lineNumber: line.lineNumber, result: 'FAILED', message: outcome.message });
        continue;
      }
      const keys = lookupKeysOf(pool, { username: outcome.username, attributes: outcome.attributes });
      users.push({
        lineNumber: line.lineNumber,
        row: {
          id: outcome.sub,
          user_pool_id: pool.id,
          username: outcome.username,
          username_key: keys.usernameKey,
          email_key: keys.emailKey,
          phone_key: keys.phoneKey,
          preferred_username_key: keys.preferredUsernameKey,
          status: 'RESET_REQUIRED',
          enabled: 1,
          attributes: JSON.stringify(outcome.attributes),
          pending_attributes: null,
          password_kind: null,
          password_salt: null,
          password_secret: null,
          password_set_at: null,
          mfa: null,
          version: 1,
          created_at: now,
          updated_at: now,
        },
        searchRows: searchRowsOf({
          id: outcome.sub,
          userPoolId: pool.id,
          usernameKey: keys.usernameKey,
          status: 'RESET_REQUIRED',
          enabled: true,
          attributes: outcome.attributes,
        }),
      });
    }
    const accepted = await this.withoutTakenNames(pool, users, errors);
    const result = await this.deps.store.userImports.commitBatch({
      jobId: job.id,
      owner: this.nodeId,
      leaseUntil: new Date(this.deps.clock.now().getTime() + LEASE_MS),
      users: accepted,
      errors,
      linesDone,
      maxStoredErrors: MAX_STORED_ROW_ERRORS,
      conflict: { result: 'SKIPPED', message: USER_EXISTS_MESSAGE },
    });
    return result.kind === 'lost' ? 'lost' : result.status;
  }

  /**
   * Users whose username (or email/phone where that is the username) is taken — by an existing
   * user or an earlier line — are skipped, as Cognito skips users that already exist; a taken
   * alias fails the line. Checked in bulk per batch; the insert still guards against races.
   */
  private async withoutTakenNames(pool: UserPool, users: ImportedUserRow[], errors: RowError[]): Promise<ImportedUserRow[]> {
    const usernameAttributes = pool.settings.UsernameAttributes ?? [];
    const columns: { column: LookupColumn; of: (u: ImportedUserRow) => string | null; isUsername: boolean; attribute: string }[] = [
      { column: 'username_key', of: (u) => u.row.username_key, isUsername: true, attribute: 'username' },
      { column: 'email_key', of: (u) => u.row.email_key, isUsername: usernameAttributes.includes('email'), attribute: 'email' },
      { column: 'phone_key', of: (u) => u.row.phone_key, isUsername: usernameAttributes.includes('phone_number'), attribute: 'phone_number' },
      { column: 'preferred_username_key', of: (u) => u.row.preferred_username_key, isUsername: false, attribute: 'preferred_username' },
    ];
    const taken = new Map<LookupColumn, Set<string>>();
    for (const { column, of } of columns) {
      const keys = users.map(of).filter((k): k is string => k !== null);
      taken.set(column, keys.length > 0 ? await this.deps.store.userImports.takenKeys(pool.id, column, keys) : new Set());
    }
    const accepted: ImportedUserRow[] = [];
    for (const user of users) {
      const clash = columns.find(({ column, of }) => {
        const key = of(user);
        return key !== null && taken.get(column)!.has(key);
      });
      if (clash) {
        errors.push(
          clash.isUsername
            ? { lineNumber: user.lineNumber, result: 'SKIPPED', message: USER_EXISTS_MESSAGE }
            : { lineNumber: user.lineNumber, result: 'FAILED', message: `An account with the given ${clash.attribute} already exists.` },
        );
        continue;
      }
      for (const { column, of } of columns) {
        const key = of(user);
        if (key !== null) taken.get(column)!.add(key);
      }
      accepted.push(user);
    }
    return accepted;
  }

  private async *chunksOf(job: UserImportJobRecord): AsyncGenerator<Buffer> {
    for (let seq = 0; ; seq++) {
      const chunk = await this.deps.store.userImports.readChunk(job.id, job.uploadId!, seq);
      if (!chunk) return;
      yield chunk;
    }
  }
}
