import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.js';
import { insertSearchRows, type SearchRow } from './user-search-index.js';
import type { LookupColumn } from './user-store.js';

// User import jobs: the job row (status, counters, the resume offset and the processing lease),
// the uploaded CSV as ordered chunks, and the first row errors of each job.
//
// Exactly one node processes a job: it takes the job with a conditional update (claim) and holds
// a lease that every batch renews. A batch's users, its row errors, the counters and the resume
// offset are written in one transaction that first checks the lease is still this node's, so a
// node that lost its lease (it stalled, another node took over) writes nothing, and a node that
// dies mid-batch leaves no half batch: the next owner resumes from the last committed offset.

export type UserImportJobStatus = 'Created' | 'Pending' | 'InProgress' | 'Stopping' | 'Stopped' | 'Succeeded' | 'Failed' | 'Expired';

export interface UserImportJobRecord {
  id: string;
  userPoolId: string;
  jobName: string;
  cloudWatchLogsRoleArn: string;
  status: UserImportJobStatus;
  createdAt: Date;
  uploadExpiresAt: Date;
  startedAt?: Date;
  completedAt?: Date;
  completionMessage?: string;
  importedUsers: number;
  skippedUsers: number;
  failedUsers: number;
  /** The chunks of the uploaded CSV; undefined until one is uploaded. */
  uploadId?: string;
  csvBytes?: number;
  csvLines?: number;
  /** Lines after the header already imported (committed with their users). */
  linesDone: number;
  leaseOwner?: string;
  leaseExpiresAt?: Date;
}

/** One row's outcome other than success, kept for FrontdeskAdmin.ListUserImportJobErrors. */
export interface RowError {
  lineNumber: number;
  result: 'FAILED' | 'SKIPPED';
  message: string;
}

/** A user ready to insert, with the line it came from. */
export interface ImportedUserRow {
  lineNumber: number;
  row: Database['users'];
  searchRows: SearchRow[];
}

export interface ImportBatch {
  jobId: string;
  owner: string;
  leaseUntil: Date;
  users: ImportedUserRow[];
  /** Rows refused before the insert. */
  errors: RowError[];
  /** The resume offset after this batch. */
  linesDone: number;
  /** How many row errors a job keeps at most. */
  maxStoredErrors: number;
  /** The outcome of a user whose insert hit a uniqueness rule (a concurrent write took the name). */
  conflict: Omit<RowError, 'lineNumber'>;
}

export type BatchOutcome = { kind: 'lost' } | { kind: 'ok'; status: UserImportJobStatus; inserted: number };

type Row = Database['user_import_jobs'];
type Db = Kysely<Database> | Transaction<Database>;

/** Users per INSERT: 19 columns each, well inside SQLite's 32766 and PostgreSQL's 65535 bound values. */
const USERS_PER_INSERT = 200;

/** Keys per IN list. */
const KEYS_PER_QUERY = 500;

const optionalDate = (value: number | null) => (value === null ? undefined : new Date(Number(value)));

function toRecord(row: Row): UserImportJobRecord {
  return {
    id: row.id,
    userPoolId: row.user_pool_id,
    jobName: row.job_name,
    cloudWatchLogsRoleArn: row.cloud_watch_logs_role_arn,
    status: row.status as UserImportJobStatus,
    createdAt: new Date(Number(row.created_at)),
    uploadExpiresAt: new Date(Number(row.upload_expires_at)),
    ...(row.started_at !== null ? { startedAt: optionalDate(row.started_at)! } : {}),
    ...(row.completed_at !== null ? { completedAt: optionalDate(row.completed_at)! } : {}),
    ...(row.completion_message !== null ? { completionMessage: row.completion_message } : {}),
    importedUsers: Number(row.imported_users),
    skippedUsers: Number(row.skipped_users),
    failedUsers: Number(row.failed_users),
    ...(row.upload_id !== null ? { uploadId: row.upload_id } : {}),
    ...(row.csv_bytes !== null ? { csvBytes: Number(row.csv_bytes) } : {}),
    ...(row.csv_lines !== null ? { csvLines: Number(row.csv_lines) } : {}),
    linesDone: Number(row.lines_done),
    ...(row.lease_owner !== null ? { leaseOwner: row.lease_owner } : {}),
    ...(row.lease_expires_at !== null ? { leaseExpiresAt: optionalDate(row.lease_expires_at)! } : {}),
  };
}

/** Thrown inside a batch transaction to roll it back when the lease is no longer ours. */
class LeaseLost extends Error {}

export class UserImportStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(job: UserImportJobRecord): Promise<void> {
    await this.db
      .insertInto('user_import_jobs')
      .values({
        id: job.id,
        user_pool_id: job.userPoolId,
        job_name: job.jobName,
        cloud_watch_logs_role_arn: job.cloudWatchLogsRoleArn,
        status: job.status,
        created_at: job.createdAt.getTime(),
        upload_expires_at: job.uploadExpiresAt.getTime(),
        started_at: null,
        completed_at: null,
        completion_message: null,
        imported_users: 0,
        skipped_users: 0,
        failed_users: 0,
        upload_id: null,
        csv_bytes: null,
        csv_lines: null,
        lines_done: 0,
        lease_owner: null,
        lease_expires_at: null,
      })
      .execute();
  }

  async get(jobId: string): Promise<UserImportJobRecord | undefined> {
    const row = await this.db.selectFrom('user_import_jobs').selectAll().where('id', '=', jobId).executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  /** The pool's jobs, newest first; `after` is the (createdAt, id) of the last job of the previous page. */
  async list(
    userPoolId: string,
    limit: number,
    after?: { createdAt: number; id: string },
  ): Promise<{ items: UserImportJobRecord[]; more: boolean }> {
    let query = this.db.selectFrom('user_import_jobs').selectAll().where('user_pool_id', '=', userPoolId);
    if (after) {
      query = query.where((eb) =>
        eb.or([eb('created_at', '<', after.createdAt), eb.and([eb('created_at', '=', after.createdAt), eb('id', '<', after.id)])]),
      );
    }
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
    return { items: rows.slice(0, limit).map(toRecord), more: rows.length > limit };
  }

  /** Created jobs of the pool that were not started in time become Expired; their CSV is deleted. */
  async expireUnstarted(userPoolId: string, createdBefore: Date, now: Date): Promise<void> {
    const expired = await this.db
      .updateTable('user_import_jobs')
      .set({ status: 'Expired', completed_at: now.getTime(), upload_id: null })
      .where('user_pool_id', '=', userPoolId)
      .where('status', '=', 'Created')
      .where('created_at', '<', createdBefore.getTime())
      .returning('id')
      .execute();
    if (expired.length > 0) {
      await this.db.deleteFrom('user_import_chunks').where('job_id', 'in', expired.map((r) => r.id)).execute();
    }
  }

  /** Moves a job from one of `from` to `to` (with the given dates/message); false when it was in another state. */
  async transition(
    jobId: string,
    from: UserImportJobStatus[],
    to: UserImportJobStatus,
    changes: { startedAt?: Date; completedAt?: Date; completionMessage?: string; onlyWithoutLiveLeaseAt?: Date } = {},
  ): Promise<boolean> {
    let query = this.db
      .updateTable('user_import_jobs')
      .set({
        status: to,
        ...(changes.startedAt ? { started_at: changes.startedAt.getTime() } : {}),
        ...(changes.completedAt ? { completed_at: changes.completedAt.getTime() } : {}),
        ...(changes.completionMessage ? { completion_message: changes.completionMessage } : {}),
      })
      .where('id', '=', jobId)
      .where('status', 'in', from);
    if (changes.onlyWithoutLiveLeaseAt) {
      const now = changes.onlyWithoutLiveLeaseAt.getTime();
      query = query.where((eb) => eb.or([eb('lease_expires_at', 'is', null), eb('lease_expires_at', '<', now)]));
    }
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  // --- the CSV upload ---

  async writeChunk(jobId: string, uploadId: string, seq: number, data: Buffer): Promise<void> {
    await this.db.insertInto('user_import_chunks').values({ job_id: jobId, upload_id: uploadId, seq, data }).execute();
  }

  /**
   * Makes a fully written upload the job's CSV, replacing an earlier one, if the job is still
   * Created (a later PUT replaces the object, as with S3). False, with the chunks deleted, otherwise.
   */
  async commitUpload(jobId: string, uploadId: string, bytes: number, lines: number): Promise<boolean> {
    const committed = await this.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('user_import_jobs')
        .set({ upload_id: uploadId, csv_bytes: bytes, csv_lines: lines })
        .where('id', '=', jobId)
        .where('status', '=', 'Created')
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) return false;
      await trx.deleteFrom('user_import_chunks').where('job_id', '=', jobId).where('upload_id', '!=', uploadId).execute();
      return true;
    });
    if (!committed) await this.discardUpload(jobId, uploadId);
    return committed;
  }

  async discardUpload(jobId: string, uploadId: string): Promise<void> {
    await this.db.deleteFrom('user_import_chunks').where('job_id', '=', jobId).where('upload_id', '=', uploadId).execute();
  }

  async readChunk(jobId: string, uploadId: string, seq: number): Promise<Buffer | undefined> {
    const row = await this.db
      .selectFrom('user_import_chunks')
      .select('data')
      .where('job_id', '=', jobId)
      .where('upload_id', '=', uploadId)
      .where('seq', '=', seq)
      .executeTakeFirst();
    return row ? Buffer.from(row.data) : undefined;
  }

  // --- processing ---

  /** Jobs that want a node: started (or stopping) and not held by a live lease. */
  async claimable(now: Date, limit: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('user_import_jobs')
      .select('id')
      .where('status', 'in', ['Pending', 'InProgress', 'Stopping'])
      .where((eb) => eb.or([eb('lease_expires_at', 'is', null), eb('lease_expires_at', '<', now.getTime())]))
      .orderBy('created_at')
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  }

  /** Takes the job for `owner` if no live lease holds it; a Pending job becomes InProgress. */
  async claim(jobId: string, owner: string, now: Date, leaseUntil: Date): Promise<UserImportJobRecord | undefined> {
    const result = await this.db
      .updateTable('user_import_jobs')
      .set({
        lease_owner: owner,
        lease_expires_at: leaseUntil.getTime(),
        status: sql<string>`case when status = 'Pending' then 'InProgress' else status end`,
      })
      .where('id', '=', jobId)
      .where('status', 'in', ['Pending', 'InProgress', 'Stopping'])
      .where((eb) => eb.or([eb('lease_expires_at', 'is', null), eb('lease_expires_at', '<', now.getTime())]))
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return undefined;
    const job = await this.get(jobId);
    return job?.leaseOwner === owner ? job : undefined;
  }

  /** Writes one batch atomically, if `owner` still holds the job's lease. */
  async commitBatch(batch: ImportBatch): Promise<BatchOutcome> {
    try {
      return await this.db.transaction().execute(async (trx) => {
        // The guard comes first: on PostgreSQL it locks the job row, so a node taking over waits.
        const guard = await trx
          .updateTable('user_import_jobs')
          .set({ lease_expires_at: batch.leaseUntil.getTime() })
          .where('id', '=', batch.jobId)
          .where('lease_owner', '=', batch.owner)
          .where('status', 'in', ['InProgress', 'Stopping'])
          .executeTakeFirst();
        if (Number(guard.numUpdatedRows) !== 1) throw new LeaseLost();
        const job = await trx
          .selectFrom('user_import_jobs')
          .select(['status', 'skipped_users', 'failed_users'])
          .where('id', '=', batch.jobId)
          .executeTakeFirstOrThrow();

        // Rows go in primary-key order: neighbouring keys land on the same B-tree pages.
        const inserted = await insertUsers(trx, batch.users.map((u) => u.row).sort((a, b) => compare(a.id, b.id)));
        const errors = [...batch.errors];
        const searchRows: SearchRow[] = [];
        for (const user of batch.users) {
          if (inserted.has(user.row.id)) searchRows.push(...user.searchRows);
          else errors.push({ lineNumber: user.lineNumber, ...batch.conflict });
        }
        await insertSearchRows(trx, searchRows.sort((a, b) => compare(a.user_id, b.user_id) || compare(a.attribute, b.attribute)));

        const stored = Number(job.skipped_users) + Number(job.failed_users);
        const slots = Math.max(0, batch.maxStoredErrors - stored);
        const kept = errors.sort((a, b) => a.lineNumber - b.lineNumber).slice(0, slots);
        if (kept.length > 0) {
          await trx
            .insertInto('user_import_errors')
            .values(kept.map((e) => ({ job_id: batch.jobId, line_number: e.lineNumber, result: e.result, message: e.message })))
            .onConflict((oc) => oc.doNothing())
            .execute();
        }
        const skipped = errors.filter((e) => e.result === 'SKIPPED').length;
        await trx
          .updateTable('user_import_jobs')
          .set({
            imported_users: sql<number>`imported_users + ${inserted.size}`,
            skipped_users: sql<number>`skipped_users + ${skipped}`,
            failed_users: sql<number>`failed_users + ${errors.length - skipped}`,
            lines_done: batch.linesDone,
          })
          .where('id', '=', batch.jobId)
          .execute();
        return { kind: 'ok' as const, status: job.status as UserImportJobStatus, inserted: inserted.size };
      });
    } catch (error) {
      if (error instanceof LeaseLost) return { kind: 'lost' };
      throw error;
    }
  }

  /** Ends the job held by `owner` (Succeeded, Failed, Stopped): lease released, CSV deleted. */
  async finish(jobId: string, owner: string, status: UserImportJobStatus, completedAt: Date, message: string): Promise<boolean> {
    const result = await this.db
      .updateTable('user_import_jobs')
      .set({
        status,
        completed_at: completedAt.getTime(),
        completion_message: message,
        lease_owner: null,
        lease_expires_at: null,
        upload_id: null,
      })
      .where('id', '=', jobId)
      .where('lease_owner', '=', owner)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return false;
    await this.db.deleteFrom('user_import_chunks').where('job_id', '=', jobId).execute();
    return true;
  }

  /** Gives the job back (this node is shutting down): another node may take it at once. */
  async release(jobId: string, owner: string): Promise<void> {
    await this.db
      .updateTable('user_import_jobs')
      .set({ lease_owner: null, lease_expires_at: null })
      .where('id', '=', jobId)
      .where('lease_owner', '=', owner)
      .execute();
  }

  /** Which of these lookup keys some user of the pool already holds. */
  async takenKeys(userPoolId: string, column: LookupColumn, keys: string[]): Promise<Set<string>> {
    const taken = new Set<string>();
    for (let i = 0; i < keys.length; i += KEYS_PER_QUERY) {
      const rows = await this.db
        .selectFrom('users')
        .select(`${column} as key` as const)
        .where('user_pool_id', '=', userPoolId)
        .where(column, 'in', keys.slice(i, i + KEYS_PER_QUERY))
        .execute();
      for (const row of rows) if (row.key !== null) taken.add(row.key);
    }
    return taken;
  }

  /** A job's kept row errors in line order, after `afterLine`. */
  async errors(jobId: string, limit: number, afterLine = 0): Promise<{ items: RowError[]; more: boolean }> {
    const rows = await this.db
      .selectFrom('user_import_errors')
      .select(['line_number', 'result', 'message'])
      .where('job_id', '=', jobId)
      .where('line_number', '>', afterLine)
      .orderBy('line_number')
      .limit(limit + 1)
      .execute();
    return {
      items: rows.slice(0, limit).map((r) => ({ lineNumber: Number(r.line_number), result: r.result as RowError['result'], message: r.message })),
      more: rows.length > limit,
    };
  }
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Inserts users, skipping any that a uniqueness rule refuses (a name or alias taken meanwhile);
 * answers the ids actually inserted.
 */
async function insertUsers(db: Db, rows: Database['users'][]): Promise<Set<string>> {
  const inserted = new Set<string>();
  for (let i = 0; i < rows.length; i += USERS_PER_INSERT) {
    const returned = await db
      .insertInto('users')
      .values(rows.slice(i, i + USERS_PER_INSERT))
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .execute();
    for (const { id } of returned) inserted.add(id);
  }
  return inserted;
}
