import type { Kysely } from 'kysely';
import { bytesType, engineOf } from '../dialect.js';

// User import jobs (CreateUserImportJob …): the job with its progress and processing lease, the
// uploaded CSV in chunks (so any node can read what another node received), and the first row
// errors of each job (Frontdesk's stand-in for Cognito's CloudWatch log). Append-only, like every
// migration.
export async function up(db: Kysely<unknown>): Promise<void> {
  const bytes = bytesType(engineOf(db));
  await db.schema
    .createTable('user_import_jobs')
    .addColumn('id', 'text', (c) => c.primaryKey()) // import-<alphanumerics>
    .addColumn('user_pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
    .addColumn('job_name', 'text', (c) => c.notNull())
    .addColumn('cloud_watch_logs_role_arn', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('upload_expires_at', 'bigint', (c) => c.notNull())
    .addColumn('started_at', 'bigint')
    .addColumn('completed_at', 'bigint')
    .addColumn('completion_message', 'text')
    .addColumn('imported_users', 'bigint', (c) => c.notNull())
    .addColumn('skipped_users', 'bigint', (c) => c.notNull())
    .addColumn('failed_users', 'bigint', (c) => c.notNull())
    .addColumn('upload_id', 'text') // the chunks of the current CSV; null until one is uploaded
    .addColumn('csv_bytes', 'bigint')
    .addColumn('csv_lines', 'bigint')
    .addColumn('lines_done', 'bigint', (c) => c.notNull()) // lines after the header already imported, for resuming
    .addColumn('lease_owner', 'text') // the node processing the job
    .addColumn('lease_expires_at', 'bigint')
    .execute();
  await db.schema.createIndex('user_import_jobs_by_pool').on('user_import_jobs').columns(['user_pool_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('user_import_jobs_by_status').on('user_import_jobs').columns(['status', 'lease_expires_at']).execute();

  await db.schema
    .createTable('user_import_chunks')
    .addColumn('job_id', 'text', (c) => c.notNull().references('user_import_jobs.id').onDelete('cascade'))
    .addColumn('upload_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('data', bytes, (c) => c.notNull())
    .addPrimaryKeyConstraint('user_import_chunks_pk', ['job_id', 'upload_id', 'seq'])
    .execute();

  await db.schema
    .createTable('user_import_errors')
    .addColumn('job_id', 'text', (c) => c.notNull().references('user_import_jobs.id').onDelete('cascade'))
    .addColumn('line_number', 'bigint', (c) => c.notNull()) // 1 is the header
    .addColumn('result', 'text', (c) => c.notNull()) // FAILED | SKIPPED
    .addColumn('message', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('user_import_errors_pk', ['job_id', 'line_number'])
    .execute();
}
