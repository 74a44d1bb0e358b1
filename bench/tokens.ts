// Token micro-benchmark: issueTokens (a family insert + two RS256 signatures), verifyAccessToken
// (parse + RSA verify + one family lookup) and refreshTokens, each sequentially and with requests
// in flight at once. Runs on SQLite in a temp directory, or on PostgreSQL when TEST_DATABASE_URL
// is set (a fresh database, dropped afterwards). Prints one JSON object per line.
//
//   npx tsx bench/tokens.ts            TEST_DATABASE_URL=postgres://… npx tsx bench/tokens.ts

import { randomBytes, randomUUID } from 'node:crypto';
import { SecretBox } from '../src/crypto/secret-box.js';
import { openDatabase } from '../src/store/dialect.js';
import { migrateToLatest } from '../src/store/migrate.js';
import { createStore } from '../src/store/store.js';
import { systemClock } from '../src/domain/clock.js';
import { TokenService } from '../src/domain/tokens/token-service.js';
import { buildSchema } from '../src/domain/user-pools/schema-attributes.js';
import type { UserPool } from '../src/domain/user-pools/user-pool.js';
import type { UserPoolClient } from '../src/domain/clients/user-pool-client.js';
import type { User } from '../src/domain/users/user.js';
import { createTestDatabase } from '../test/support/test-database.js';

const database = await createTestDatabase();
const { db, engine } = openDatabase({ databaseUrl: database.databaseUrl, sqliteFile: database.sqliteFile });
await migrateToLatest(db);
const store = createStore(db, engine, new SecretBox(randomBytes(32)));
const tokens = new TokenService({ store, clock: systemClock, publicUrl: () => 'http://127.0.0.1:9330' });

const now = new Date();
const pool: UserPool = {
  id: `us-east-1_bench${randomBytes(3).toString('hex')}`,
  name: 'bench',
  settings: { SchemaAttributes: buildSchema([]) },
  version: 1,
  createdAt: now,
  updatedAt: now,
};
await store.userPools.insert(pool);
const client: UserPoolClient = {
  id: randomBytes(13).toString('hex'),
  userPoolId: pool.id,
  name: 'bench',
  settings: {},
  createdAt: now,
  updatedAt: now,
};
await store.clients.insert(client);
const user: User = {
  id: randomUUID(),
  userPoolId: pool.id,
  username: 'bench-user',
  status: 'CONFIRMED',
  enabled: true,
  attributes: { email: 'bench@example.com', email_verified: 'true', given_name: 'Bench', 'custom:tenant': 'acme' },
  version: 1,
  createdAt: now,
  updatedAt: now,
};
await db
  .insertInto('users')
  .values({
    id: user.id,
    user_pool_id: pool.id,
    username: user.username,
    username_key: user.username,
    email_key: null,
    phone_key: null,
    preferred_username_key: null,
    status: user.status,
    enabled: 1,
    attributes: JSON.stringify(user.attributes),
    password_kind: null,
    password_salt: null,
    password_secret: null,
    password_set_at: null,
    mfa: null,
    version: 1,
    created_at: now.getTime(),
    updated_at: now.getTime(),
  })
  .execute();
const loadUser = async () => user;

async function measure(name: string, total: number, concurrency: number, op: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await op(next++);
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const result = {
    bench: name,
    engine,
    concurrency,
    ops: total,
    seconds: Number(seconds.toFixed(3)),
    opsPerSec: Math.round(total / seconds),
    meanMs: Number(((seconds * 1000 * concurrency) / total).toFixed(3)),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

try {
  // Warm-up: creates the pool's signing key and JITs the paths.
  const warm = await Promise.all(Array.from({ length: 50 }, () => tokens.issueTokens({ pool, client, user })));
  for (const t of warm) await tokens.verifyAccessToken(t.AccessToken);

  await measure('issueTokens', 500, 1, () => tokens.issueTokens({ pool, client, user }));
  await measure('issueTokens', 2000, 16, () => tokens.issueTokens({ pool, client, user }));

  const sessions = await Promise.all(Array.from({ length: 200 }, () => tokens.issueTokens({ pool, client, user })));
  const access = sessions.map((s) => s.AccessToken);
  await measure('verifyAccessToken', 5000, 1, (i) => tokens.verifyAccessToken(access[i % access.length]!));
  await measure('verifyAccessToken', 20000, 64, (i) => tokens.verifyAccessToken(access[i % access.length]!));

  const refresh = sessions.map((s) => s.RefreshToken);
  await measure('refreshTokens', 500, 1, (i) => tokens.refreshTokens({ pool, client, refreshToken: refresh[i % refresh.length]!, loadUser }));
  await measure('refreshTokens', 2000, 16, (i) => tokens.refreshTokens({ pool, client, refreshToken: refresh[i % refresh.length]!, loadUser }));
} finally {
  await store.close();
  await database.drop();
}
