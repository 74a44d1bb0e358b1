import type { Kysely } from 'kysely';

// MFA, remembered devices and adaptive authentication. Append-only, like every migration. A user's MFA settings and sealed
// TOTP secret live in users.mfa (JSON, from 0002); what must change atomically on every code lives
// here: the last TOTP step accepted, so no code is accepted twice, even by two nodes at once.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('totp_used_steps')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('secret_id', 'text', (c) => c.notNull()) // which of the user's TOTP secrets the step belongs to
    .addColumn('last_step', 'bigint', (c) => c.notNull()) // unix time / 30 of the newest accepted code
    .execute();

  await db.schema
    .createTable('devices')
    .addColumn('device_key', 'text', (c) => c.primaryKey()) // <region>_<uuid>, as in Cognito
    .addColumn('user_pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('device_group_key', 'text', (c) => c.notNull())
    .addColumn('salt', 'text') // device SRP salt (hex); null until ConfirmDevice
    .addColumn('verifier', 'text') // sealed device SRP verifier; null until ConfirmDevice
    .addColumn('remembered', 'integer', (c) => c.notNull()) // DeviceRememberedStatus: 1 remembered, 0 not_remembered
    .addColumn('attributes', 'text', (c) => c.notNull()) // JSON: device_name, last_ip_used, …
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_modified_at', 'bigint', (c) => c.notNull())
    .addColumn('last_authenticated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('devices_by_user').on('devices').columns(['user_id', 'device_key']).execute();

  // Threat protection: risk configurations (pool-wide under client_id '', or per app client) and
  // the auth event log that AdminListUserAuthEvents reads and risk decisions learn from.
  await db.schema
    .createTable('risk_configurations')
    .addColumn('user_pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
    .addColumn('client_id', 'text', (c) => c.notNull()) // '' for the pool-wide configuration
    .addColumn('configuration', 'text', (c) => c.notNull()) // JSON: Cognito's RiskConfigurationType members
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('risk_configurations_pk', ['user_pool_id', 'client_id'])
    .execute();

  await db.schema
    .createTable('auth_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('event_type', 'text', (c) => c.notNull()) // SignIn | SignUp | ForgotPassword | PasswordChange | ResendCode
    .addColumn('event_response', 'text', (c) => c.notNull()) // Pass | Fail | InProgress
    .addColumn('risk_decision', 'text', (c) => c.notNull()) // NoRisk | AccountTakeover | Block
    .addColumn('risk_level', 'text') // Low | Medium | High
    .addColumn('compromised', 'integer', (c) => c.notNull())
    .addColumn('challenges', 'text', (c) => c.notNull()) // JSON: [{ChallengeName, ChallengeResponse}]
    .addColumn('ip_address', 'text')
    .addColumn('device_key', 'text')
    .addColumn('context', 'text', (c) => c.notNull()) // JSON: EventContextData
    .addColumn('signals', 'text', (c) => c.notNull()) // JSON: the signals behind the decision (Frontdesk)
    .addColumn('feedback_value', 'text') // Valid | Invalid
    .addColumn('feedback_provider', 'text')
    .addColumn('feedback_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('auth_events_by_user').on('auth_events').columns(['user_id', 'created_at', 'id']).execute();
}
