// ListUsers and AdminGetUser at scale: seeds one pool with BENCH_USERS users (default 1,000,000)
// straight into the database (batched multi-row inserts in transactions, the same index rows the
// store writes), then measures filtered ListUsers pages and AdminGetUser over HTTP against a real
// server process. Requests are SigV4-signed like the SDK's, sent on undici. Prints one JSON line
// per scenario and a table.
//
//   npm run bench:users                                     (SQLite in a temp dir)
//   TEST_DATABASE_URL=postgres://… npm run bench:users      (a fresh PostgreSQL database)
//   BENCH_USERS=200000 BENCH_REQUESTS=1000 BENCH_CONCURRENCY=1 npm run bench:users

import { randomUUID } from 'node:crypto';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { Pool } from 'undici';
import { SignatureV4 } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';
import { Hash } from '@smithy/hash-node';
import { createTestDatabase } from '../test/support/test-database.js';
import { startBenchServer } from './server-process.js';
import { searchRowsOf, type SearchRow } from '../src/store/user-search-index.js';

const USERS = Number(process.env.BENCH_USERS ?? 1_000_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 1);
const BATCH = 10_000;

const database = await createTestDatabase();
const server = await startBenchServer(database);
const { port, admin } = server;
const connections = new Pool(`http://127.0.0.1:${port}`, { connections: Math.max(CONCURRENCY, 1), pipelining: 1 });
const signer = new SignatureV4({ service: 'cognito-idp', region: 'us-east-1', credentials: admin, sha256: Hash.bind(null, 'sha256') });

/** One signed AWS JSON call, as the SDK would send it. */
async function call(operation: string, input: unknown): Promise<any> {
  const body = JSON.stringify(input);
  const request = await signer.sign(
    new HttpRequest({
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port,
      path: '/',
      headers: {
        host: `127.0.0.1:${port}`,
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
      },
      body,
    }),
  );
  const response = await connections.request({ path: '/', method: 'POST', headers: request.headers, body });
  const json = (await response.body.json()) as any;
  if (response.statusCode !== 200) throw new Error(`${operation}: ${json.__type}: ${json.message}`);
  return json;
}

const { UserPool } = await call('CreateUserPool', { PoolName: 'bench-users' });
const poolId: string = UserPool.Id;

// --- the population ---
const SYLLABLES = ['ka', 'lo', 'mi', 'sa', 'to', 'ri', 'na', 've', 'do', 'pe', 'ju', 'be'];
const capital = (s: string) => s[0]!.toUpperCase() + s.slice(1);
/** 1,728 family names of three syllables: "Ka" starts 1 in 12 of them, "Kalo" 1 in 144. */
const familyName = (i: number) => capital(SYLLABLES[i % 12]! + SYLLABLES[Math.floor(i / 12) % 12]! + SYLLABLES[Math.floor(i / 144) % 12]!);
const GIVEN = ['Ada', 'Ben', 'Cleo', 'Dan', 'Eve', 'Finn', 'Gus', 'Hana', 'Ivo', 'Jun', 'Kai', 'Lea'];
const usernameOf = (i: number) => `user${String(i).padStart(7, '0')}`;
const emailOf = (i: number) => `${usernameOf(i)}@example${i % 97}.com`;
/** Who is disabled (1 in 50) and who never confirmed (1 in 20). */
const disabled = (i: number) => i % 50 === 7;
const statusOf = (i: number) => (i % 20 === 3 ? 'UNCONFIRMED' : 'CONFIRMED');

interface UserRow {
  id: string;
  user_pool_id: string;
  username: string;
  username_key: string;
  status: string;
  enabled: number;
  attributes: string;
  version: number;
  created_at: number;
  updated_at: number;
}

/** Every 1000th user's sub and family name: cursors for pages deep inside a result. */
const sample: { id: string; familyName: string }[] = [];

function population(from: number, to: number): { users: UserRow[]; search: SearchRow[] } {
  const users: UserRow[] = [];
  const search: SearchRow[] = [];
  const now = Date.now();
  for (let i = from; i < to; i++) {
    const attributes = {
      email: emailOf(i),
      email_verified: 'true',
      given_name: GIVEN[i % GIVEN.length]!,
      family_name: familyName(i * 7919),
      phone_number: `+1555${String(i).padStart(7, '0')}`,
    };
    const user = {
      id: randomUUID(),
      user_pool_id: poolId,
      username: usernameOf(i),
      username_key: usernameOf(i),
      status: statusOf(i),
      enabled: disabled(i) ? 0 : 1,
      attributes: JSON.stringify(attributes),
      version: 1,
      created_at: now,
      updated_at: now,
    };
    users.push(user);
    if (i % 1000 === 0) sample.push({ id: user.id, familyName: attributes.family_name });
    search.push(
      ...searchRowsOf({ id: user.id, userPoolId: poolId, usernameKey: user.username_key, status: user.status, enabled: user.enabled === 1, attributes }),
    );
  }
  return { users, search };
}

const USER_COLUMNS = ['id', 'user_pool_id', 'username', 'username_key', 'status', 'enabled', 'attributes', 'version', 'created_at', 'updated_at'] as const;

async function seedSqlite(file: string): Promise<void> {
  const db = new SqliteDatabase(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -2000000');
  db.pragma('busy_timeout = 10000');
  const insertUser = db.prepare(`insert into users (${USER_COLUMNS.join(', ')}) values (${USER_COLUMNS.map((c) => '@' + c).join(', ')})`);
  const insertSearch = db.prepare('insert into user_search (user_id, attribute, user_pool_id, key) values (@user_id, @attribute, @user_pool_id, @key)');
  const batch = db.transaction((users: UserRow[], search: SearchRow[]) => {
    for (const u of users) insertUser.run(u);
    for (const s of search) insertSearch.run(s);
  });
  for (let from = 0; from < USERS; from += BATCH) {
    const { users, search } = population(from, Math.min(USERS, from + BATCH));
    batch(users, search);
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

async function seedPostgres(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  for (let from = 0; from < USERS; from += BATCH) {
    const { users, search } = population(from, Math.min(USERS, from + BATCH));
    await client.query('begin');
    await client.query(
      `insert into users (${USER_COLUMNS.join(', ')})
       select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::text[], $8::int[], $9::bigint[], $10::bigint[])`,
      USER_COLUMNS.map((c) => users.map((u) => u[c])),
    );
    await client.query(
      'insert into user_search (user_id, attribute, user_pool_id, key) select * from unnest($1::text[], $2::text[], $3::text[], $4::text[])',
      (['user_id', 'attribute', 'user_pool_id', 'key'] as const).map((c) => search.map((s) => s[c])),
    );
    await client.query('commit');
  }
  // What autovacuum would do shortly after a bulk load.
  await client.query('analyze users');
  await client.query('analyze user_search');
  await client.end();
}

const seedStart = performance.now();
if (database.databaseUrl) await seedPostgres(database.databaseUrl);
else await seedSqlite(database.sqliteFile);
const seedSeconds = (performance.now() - seedStart) / 1000;
console.log(JSON.stringify({ seeded: USERS, engine: database.engine, seconds: round(seedSeconds), usersPerSecond: Math.round(USERS / seedSeconds) }));

// --- the measurements ---
interface Result {
  scenario: string;
  requests: number;
  errors: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  meanUsers: number;
  firstError?: string;
}

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}
function round(n: number): number {
  return Math.round(n * 100) / 100;
}
const random = (n: number) => Math.floor(Math.random() * n);

async function scenario(name: string, operation: (i: number) => Promise<number>): Promise<Result> {
  // Warm-up: the first requests pay for JIT and cold pages.
  for (let i = 0; i < 50; i++) await operation(i).catch(() => 0);
  const latencies: number[] = [];
  let errors = 0;
  let users = 0;
  let firstError: string | undefined;
  let counter = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (counter < REQUESTS) {
        const i = counter++;
        const t0 = performance.now();
        try {
          users += await operation(i);
          latencies.push(performance.now() - t0);
        } catch (error) {
          errors++;
          firstError ??= (error as Error).message;
        }
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const result: Result = {
    scenario: name,
    requests: latencies.length,
    errors,
    p50Ms: round(percentile(latencies, 0.5)),
    p90Ms: round(percentile(latencies, 0.9)),
    p99Ms: round(percentile(latencies, 0.99)),
    maxMs: round(latencies.at(-1) ?? NaN),
    meanUsers: round(users / Math.max(1, latencies.length)),
    ...(firstError ? { firstError } : {}),
  };
  console.log(JSON.stringify(result));
  return result;
}

const listUsers = async (input: Record<string, unknown>) => {
  const out = await call('ListUsers', { UserPoolId: poolId, ...input });
  return out as { Users: unknown[]; PaginationToken?: string };
};

const results: Result[] = [];
results.push(await scenario('ListUsers email = (exact, 1 match)', async () => (await listUsers({ Filter: `email = "${emailOf(random(USERS))}"` })).Users.length));
results.push(
  await scenario('ListUsers family_name ^= (2 chars, 60/page)', async () => {
    const prefix = capital(SYLLABLES[random(12)]!);
    return (await listUsers({ Filter: `family_name ^= "${prefix}"` })).Users.length;
  }),
);
results.push(
  await scenario('ListUsers family_name ^= (4 chars, 60/page)', async () => {
    const prefix = capital(SYLLABLES[random(12)]! + SYLLABLES[random(12)]!);
    return (await listUsers({ Filter: `family_name ^= "${prefix}"` })).Users.length;
  }),
);
results.push(await scenario('ListUsers status = "Disabled" (60/page)', async () => (await listUsers({ Filter: 'status = "Disabled"' })).Users.length));
results.push(
  await scenario('ListUsers cognito:user_status = (60/page)', async () => (await listUsers({ Filter: 'cognito:user_status = "UNCONFIRMED"' })).Users.length),
);
results.push(await scenario('ListUsers no filter (60/page)', async () => (await listUsers({})).Users.length));

// Deep pages: a real token re-aimed at a random user's position (the token is base64url JSON
// [search fingerprint, key, sub]), so each request starts on average half-way through the result.
const retarget = (token: string, key: string, sub: string) => {
  const [fingerprint] = JSON.parse(JSON.parse(Buffer.from(token, 'base64url').toString('utf8')).k) as [string];
  return Buffer.from(JSON.stringify({ k: JSON.stringify([fingerprint, key, sub]) }), 'utf8').toString('base64url');
};
const enabledToken = (await listUsers({ Filter: 'status = "Enabled"', Limit: 1 })).PaginationToken!;
results.push(
  await scenario('ListUsers status = "Enabled", random deep page', async () => {
    const at = sample[random(sample.length)]!;
    return (await listUsers({ Filter: 'status = "Enabled"', PaginationToken: retarget(enabledToken, 'Enabled', at.id) })).Users.length;
  }),
);
const kaToken = (await listUsers({ Filter: 'family_name ^= "Ka"', Limit: 1 })).PaginationToken!;
const kaSample = sample.filter((u) => u.familyName.startsWith('Ka'));
results.push(
  await scenario('ListUsers family_name ^= "Ka", random deep page', async () => {
    const at = kaSample[random(kaSample.length)]!;
    return (await listUsers({ Filter: 'family_name ^= "Ka"', PaginationToken: retarget(kaToken, at.familyName, at.id) })).Users.length;
  }),
);
results.push(
  await scenario('ListUsers email = , AttributesToGet [email]', async () => {
    return (await listUsers({ Filter: `email = "${emailOf(random(USERS))}"`, AttributesToGet: ['email'] })).Users.length;
  }),
);
results.push(
  await scenario('ListUsers frontdesk: family_name ^= and status = Disabled', async () => {
    const prefix = capital(SYLLABLES[random(12)]!);
    return (await listUsers({ Filter: `frontdesk: status = "Disabled" and family_name ^= "${prefix}"` })).Users.length;
  }),
);
results.push(
  await scenario('AdminGetUser', async () => {
    await call('AdminGetUser', { UserPoolId: poolId, Username: usernameOf(random(USERS)) });
    return 1;
  }),
);

console.log(
  `\nFrontdesk on ${database.engine}: ${USERS.toLocaleString('en')} users seeded in ${round(seedSeconds)} s; ` +
    `${REQUESTS} requests per scenario at ${CONCURRENCY} in flight`,
);
console.table(
  results.map((r) => ({
    scenario: r.scenario,
    'p50 ms': r.p50Ms,
    'p90 ms': r.p90Ms,
    'p99 ms': r.p99Ms,
    'max ms': r.maxMs,
    'users/page': r.meanUsers,
    errors: r.errors,
  })),
);
await server.stop();
await connections.close();
await database.drop();
