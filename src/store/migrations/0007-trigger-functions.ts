import type { Kysely } from 'kysely';

// The function registry of Lambda triggers: which handler a function ARN of a pool's LambdaConfig
// runs (a webhook, an in-process module or a command). Webhook signing secrets are sealed under the
// master key. Append-only, like every migration.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('trigger_functions')
    .addColumn('arn', 'text', (c) => c.primaryKey())
    .addColumn('definition', 'text', (c) => c.notNull()) // JSON: transport and its settings
    .addColumn('secret_ciphertext', 'text') // webhook signing secret, sealed; null for other transports
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}
