import { sql, type Kysely } from 'kysely';

// Users, verification codes, sign-in challenges, token families and refresh tokens, signing keys,
// lockout counters and the message outbox. Append-only, like every migration.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey()) // the user's `sub`
    .addColumn('user_pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
    .addColumn('username', 'text', (c) => c.notNull()) // Cognito's internal username (USER_ID_FOR_SRP)
    .addColumn('username_key', 'text', (c) => c.notNull()) // lower-cased when the pool is case-insensitive
    .addColumn('email_key', 'text') // set only while the email can be used to sign in
    .addColumn('phone_key', 'text')
    .addColumn('preferred_username_key', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('attributes', 'text', (c) => c.notNull()) // JSON: name → value
    .addColumn('pending_attributes', 'text') // JSON: new values awaiting verification
    .addColumn('password_kind', 'text') // 'srp' | 'argon2id'
    .addColumn('password_salt', 'text')
    .addColumn('password_secret', 'text') // sealed SRP verifier, or an Argon2id hash
    .addColumn('password_set_at', 'bigint')
    .addColumn('mfa', 'text') // JSON, for the MFA capability
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('users_by_username').unique().on('users').columns(['user_pool_id', 'username_key']).execute();
  for (const column of ['email_key', 'phone_key', 'preferred_username_key']) {
    await db.schema
      .createIndex(`users_by_${column}`)
      .unique()
      .on('users')
      .columns(['user_pool_id', column])
      .where(sql.ref(column), 'is not', null)
      .execute();
  }

  await db.schema
    .createTable('verification_codes')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('purpose', 'text', (c) => c.notNull()) // sign_up | forgot_password | verify:<attribute>
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('verification_codes_pk', ['user_id', 'purpose'])
    .execute();
  await db.schema.createIndex('verification_codes_by_expiry').on('verification_codes').column('expires_at').execute();

  await db.schema
    .createTable('auth_challenges')
    .addColumn('session_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull()) // sealed JSON
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('auth_challenges_by_expiry').on('auth_challenges').column('expires_at').execute();

  await db.schema
    .createTable('token_families')
    .addColumn('id', 'text', (c) => c.primaryKey()) // origin_jti of every token in the family
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('user_pool_id', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('auth_time', 'bigint', (c) => c.notNull())
    .addColumn('device_key', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .execute();
  await db.schema.createIndex('token_families_by_user').on('token_families').columns(['user_id', 'revoked_at']).execute();
  await db.schema.createIndex('token_families_by_expiry').on('token_families').column('expires_at').execute();

  await db.schema
    .createTable('refresh_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('family_id', 'text', (c) => c.notNull().references('token_families.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('superseded_at', 'bigint') // set when rotation replaced it
    .execute();
  await db.schema.createIndex('refresh_tokens_by_family').on('refresh_tokens').column('family_id').execute();

  await db.schema
    .createTable('signing_keys')
    .addColumn('kid', 'text', (c) => c.primaryKey())
    .addColumn('user_pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
    .addColumn('private_key', 'text', (c) => c.notNull()) // sealed PKCS#8 PEM
    .addColumn('public_jwk', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('retired_at', 'bigint') // stops signing; published until its tokens can no longer be valid
    .execute();
  await db.schema.createIndex('signing_keys_by_pool').on('signing_keys').columns(['user_pool_id', 'created_at']).execute();

  await db.schema
    .createTable('sign_in_failures')
    .addColumn('user_pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
    .addColumn('subject', 'text', (c) => c.notNull()) // user id, or "unknown:<username key>"
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('last_failure_at', 'bigint', (c) => c.notNull())
    .addColumn('locked_until', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('sign_in_failures_pk', ['user_pool_id', 'subject'])
    .execute();
  await db.schema.createIndex('sign_in_failures_by_time').on('sign_in_failures').column('last_failure_at').execute();

  await db.schema
    .createTable('messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_pool_id', 'text')
    .addColumn('destination', 'text', (c) => c.notNull())
    .addColumn('delivery_medium', 'text', (c) => c.notNull()) // EMAIL | SMS
    .addColumn('subject', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('delivery_status', 'text', (c) => c.notNull()) // OUTBOX_ONLY | SENT | FAILED
    .addColumn('delivery_error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('messages_by_time').on('messages').columns(['created_at', 'id']).execute();
  await db.schema.createIndex('messages_by_destination').on('messages').columns(['destination', 'created_at']).execute();
}
