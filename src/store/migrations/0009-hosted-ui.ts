import type { Kysely } from 'kysely';

// The hosted UI and the OAuth 2.0 / OIDC provider: resource servers (custom scopes), user pool
// domains, authorization codes, the scopes of OAuth sessions, hosted-UI sign-in sessions (the SSO
// cookie) and UI customization. Append-only, like every migration.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('resource_servers')
    .addColumn('user_pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
    .addColumn('identifier', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull()) // JSON: [{ScopeName, ScopeDescription}]
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('resource_servers_pk', ['user_pool_id', 'identifier'])
    .execute();

  await db.schema
    .createTable('user_pool_domains')
    .addColumn('domain', 'text', (c) => c.primaryKey()) // a prefix, or a custom domain's host name
    .addColumn('user_pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull()) // 'prefix' | 'custom'
    .addColumn('certificate_arn', 'text')
    .addColumn('managed_login_version', 'integer', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  // A pool has at most one prefix domain and one custom domain.
  await db.schema.createIndex('user_pool_domains_by_pool').unique().on('user_pool_domains').columns(['user_pool_id', 'kind']).execute();

  await db.schema
    .createTable('authorization_codes')
    .addColumn('code_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_pool_id', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('state', 'text', (c) => c.notNull()) // sealed JSON: redirect_uri, scopes, nonce, PKCE challenge, auth_time
    .addColumn('family_id', 'text', (c) => c.notNull()) // the session the redemption starts (origin_jti)
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('redeemed_at', 'bigint')
    .addColumn('replayed_at', 'bigint')
    .execute();
  await db.schema.createIndex('authorization_codes_by_expiry').on('authorization_codes').column('expires_at').execute();

  // The scopes an OAuth session (token family) was granted, so refreshes keep them.
  await db.schema
    .createTable('oauth_grants')
    .addColumn('family_id', 'text', (c) => c.primaryKey().references('token_families.id').onDelete('cascade'))
    .addColumn('scopes', 'text', (c) => c.notNull()) // space-separated
    .execute();

  await db.schema
    .createTable('hosted_sessions')
    .addColumn('session_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_pool_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('auth_time', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('hosted_sessions_by_user').on('hosted_sessions').column('user_id').execute();
  await db.schema.createIndex('hosted_sessions_by_expiry').on('hosted_sessions').column('expires_at').execute();

  await db.schema
    .createTable('ui_customizations')
    .addColumn('user_pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
    .addColumn('client_key', 'text', (c) => c.notNull()) // a client id, or 'ALL' for the pool's default
    .addColumn('css', 'text')
    .addColumn('image', 'text') // base64
    .addColumn('image_type', 'text')
    .addColumn('css_version', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('ui_customizations_pk', ['user_pool_id', 'client_key'])
    .execute();
}
