import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { SecretBox } from '../../src/crypto/secret-box.js';
import { openStore, type Store } from '../../src/store/store.js';
import { openDatabase } from '../../src/store/dialect.js';
import type { Database } from '../../src/store/schema.js';
import type { UserPool } from '../../src/domain/user-pools/user-pool.js';
import type { UserPoolClient } from '../../src/domain/clients/user-pool-client.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

// Shared set-up for the store contract tests: they run against whichever engine the suite runs
// on (SQLite by default, PostgreSQL when TEST_DATABASE_URL is set), through the public interfaces.

export interface StoreFixture {
  database: TestDatabase;
  masterKey: Buffer;
  store: Store;
  /** Another store over the same database (its own connections), as a second node would have. */
  openAnother(secrets?: SecretBox): Promise<Store>;
  /** A raw Kysely handle on the same database, for reading rows as they are stored. */
  raw(): Kysely<Database>;
  close(): Promise<void>;
}

export async function openStoreFixture(): Promise<StoreFixture> {
  const database = await createTestDatabase();
  const masterKey = randomBytes(32);
  const opened: Store[] = [];
  const raws: Kysely<Database>[] = [];
  const open = async (secrets = new SecretBox(masterKey)) => {
    const store = await openStore({ databaseUrl: database.databaseUrl, sqliteFile: database.sqliteFile, secrets });
    opened.push(store);
    return store;
  };
  const store = await open();
  return {
    database,
    masterKey,
    store,
    openAnother: open,
    raw() {
      const { db } = openDatabase({ databaseUrl: database.databaseUrl, sqliteFile: database.sqliteFile });
      raws.push(db);
      return db;
    },
    async close() {
      for (const s of opened) await s.close().catch(() => undefined);
      for (const db of raws) await db.destroy().catch(() => undefined);
      await database.drop();
    },
  };
}

let counter = 0;
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A pool id in Cognito's shape, unique within the test run. */
export function poolId(suffix?: string): string {
  if (suffix) return `us-east-1_${suffix}`;
  let id = '';
  for (const byte of randomBytes(9)) id += ALNUM[byte % ALNUM.length];
  return `us-east-1_${id}`;
}

export function makePool(overrides: Partial<UserPool> = {}): UserPool {
  counter += 1;
  // Millisecond-precision dates: the store keeps epoch milliseconds.
  const now = new Date(Math.floor(Date.now() / 1000) * 1000 + counter);
  return {
    id: poolId(),
    name: `pool-${counter}`,
    settings: {
      SchemaAttributes: [{ Name: 'email', AttributeDataType: 'String', Mutable: true, Required: false }],
      MfaConfiguration: 'OFF',
      Policies: { PasswordPolicy: { MinimumLength: 8, RequireSymbols: true } },
      UserPoolTags: { 'unicode-ü': 'värde ✓', quote: `it's "quoted"` },
    },
    version: 1,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

export function makeClient(userPoolId: string, overrides: Partial<UserPoolClient> = {}): UserPoolClient {
  counter += 1;
  const now = new Date(Math.floor(Date.now() / 1000) * 1000 + counter);
  let id = '';
  for (const byte of randomBytes(26)) id += 'abcdefghijklmnopqrstuvwxyz0123456789'[byte % 36];
  return {
    id,
    userPoolId,
    name: `client-${counter}`,
    secret: `secret${randomBytes(20).toString('hex')}`,
    settings: { ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'], RefreshTokenValidity: 30 },
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}
