// The 100,000-user import: writes a transfer-format file (docs/user-transfer.md) of BENCH_USERS
// users (default 100,000) — a third Frontdesk SRP exports, a third Frontdesk Argon2id exports, a
// third bcrypt hashes from another system; each with attributes, a third in groups — then runs
// `frontdesk users import` as a child process against a real server process over HTTP, and times
// it. Then it exports the pool back with `frontdesk users export`, and proves the data is usable:
// a bcrypt user and an Argon2id user sign in with USER_PASSWORD_AUTH. Prints one JSON line per
// step and a summary.
//
//   npm run bench:transfer                                    (SQLite in a temp dir)
//   TEST_DATABASE_URL=postgres://… npm run bench:transfer     (a fresh PostgreSQL database)
//   BENCH_USERS=20000 npm run bench:transfer

import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { hash as bcryptHash } from '@node-rs/bcrypt';
import { hashPassword } from '../src/crypto/password-hash.js';
import { AdminApiClient } from '../src/cli/admin-api-client.js';
import { createTestDatabase } from '../test/support/test-database.js';
import { startBenchServer } from './server-process.js';

const USERS = Number(process.env.BENCH_USERS ?? 100_000);
const PASSWORD = 'Corr3ct-horse-battery';
/** Distinct hashes to draw from: the import never recomputes a hash, so reuse costs it nothing. */
const DISTINCT_HASHES = 8;

const database = await createTestDatabase();
const server = await startBenchServer(database);
const endpoint = `http://127.0.0.1:${server.port}`;
const api = new AdminApiClient({ endpoint, ...server.admin, region: 'us-east-1' });
const dir = mkdtempSync(join(tmpdir(), 'frontdesk-transfer-bench-'));
const file = join(dir, 'users.jsonl');

/** CPU seconds a process has used so far (Linux /proc; undefined elsewhere). */
function cpuSeconds(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 1/100 s
  } catch {
    return undefined;
  }
}

const idp = <T>(operation: string, input: unknown) => api.call<T>(`AWSCognitoIdentityProviderService.${operation}`, JSON.stringify(input));

function cli(args: string[]): Promise<{ ms: number; stdout: string; stderr: string }> {
  const started = performance.now();
  return new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', ...args],
      {
        env: { PATH: process.env.PATH, AWS_ACCESS_KEY_ID: server.admin.accessKeyId, AWS_SECRET_ACCESS_KEY: server.admin.secretAccessKey, FRONTDESK_ENDPOINT: endpoint },
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => (error ? reject(new Error(`${args.join(' ')}: ${stderr}`)) : resolve({ ms: performance.now() - started, stdout, stderr })),
    ),
  );
}

try {
  const { UserPool } = await idp<{ UserPool: { Id: string } }>('CreateUserPool', {
    PoolName: 'transfer-bench',
    AliasAttributes: ['email'],
    Schema: [{ Name: 'plan', AttributeDataType: 'String', Mutable: true }],
  });
  const poolId = UserPool.Id;
  const { UserPoolClient } = await idp<{ UserPoolClient: { ClientId: string } }>('CreateUserPoolClient', {
    UserPoolId: poolId,
    ClientName: 'bench',
    ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  });

  // The file: hashes made once (bcrypt cost 10, Frontdesk's Argon2id), SRP verifiers shaped like
  // Frontdesk's for this pool's name (random values: the import stores them without checking).
  const generated = performance.now();
  const bcrypts = await Promise.all(Array.from({ length: DISTINCT_HASHES }, () => bcryptHash(PASSWORD, 10)));
  const argons = await Promise.all(Array.from({ length: DISTINCT_HASHES }, () => hashPassword(PASSWORD)));
  const poolName = poolId.split('_')[1]!;
  const out = createWriteStream(file, { mode: 0o600 });
  const header = {
    Format: 'frontdesk-users',
    Version: 1,
    UserPoolId: 'us-east-1_Source001',
    ExportDate: new Date().toISOString(),
    Groups: [
      { GroupName: 'admins', Description: 'Administrators', Precedence: 1 },
      { GroupName: 'customers', Precedence: 10 },
    ],
  };
  out.write(`${JSON.stringify(header)}\n`);
  const now = new Date().toISOString();
  for (let i = 0; i < USERS; i++) {
    const kind = i % 3;
    const password =
      kind === 0
        ? { Type: 'SRP', PoolName: poolName, Salt: randomBytes(16).toString('hex'), Verifier: randomBytes(384).toString('hex') }
        : { Type: 'HASH', Hash: (kind === 1 ? argons : bcrypts)[i % DISTINCT_HASHES] };
    const record = {
      Username: `user${String(i).padStart(7, '0')}`,
      Sub: randomUUID(),
      UserStatus: 'CONFIRMED',
      Enabled: true,
      UserCreateDate: now,
      UserLastModifiedDate: now,
      Attributes: { email: `user${i}@example.com`, email_verified: 'true', name: `User ${i}`, 'custom:plan': kind === 2 ? 'legacy' : 'pro' },
      Groups: i % 3 === 0 ? ['customers'] : i % 1000 === 1 ? ['admins'] : [],
      Password: password,
    };
    if (!out.write(`${JSON.stringify(record)}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'close');
  const fileBytes = statSync(file).size;
  console.log(JSON.stringify({ step: 'generate', users: USERS, fileMB: +(fileBytes / 1e6).toFixed(1), ms: Math.round(performance.now() - generated) }));

  server.send('stats'); // resets the server's event-loop delay histogram
  await server.nextMessage();
  const cpuBefore = cpuSeconds(server.pid);
  const imported = await cli(['users', 'import', '--pool', poolId, file]);
  const cpuAfter = cpuSeconds(server.pid);
  server.send('stats');
  const loop = await server.nextMessage<{ maxMs: number; p99Ms: number }>();
  const summary = JSON.parse(imported.stdout) as { Imported: number; Failed: number };
  if (summary.Imported !== USERS) throw new Error(`imported ${summary.Imported} of ${USERS}: ${imported.stderr}`);
  const importSeconds = imported.ms / 1000;
  console.log(JSON.stringify({ step: 'import', engine: database.databaseUrl ? 'postgres' : 'sqlite', users: USERS, seconds: +importSeconds.toFixed(1), usersPerSecond: Math.round(USERS / importSeconds), eventLoopMaxMs: Math.round(loop.maxMs), eventLoopP99Ms: Math.round(loop.p99Ms), ...(cpuBefore !== undefined && cpuAfter !== undefined ? { serverCpuSeconds: +(cpuAfter - cpuBefore).toFixed(1) } : {}), loadAverage: +loadavg()[0]!.toFixed(1) }));

  const exported = await cli(['users', 'export', '--pool', poolId, '--out', join(dir, 'export.jsonl')]);
  const exportSeconds = exported.ms / 1000;
  console.log(JSON.stringify({ step: 'export', users: USERS, seconds: +exportSeconds.toFixed(1), usersPerSecond: Math.round(USERS / exportSeconds) }));

  // The imported credentials work: a bcrypt user and an Argon2id user sign in (and are upgraded).
  for (const username of ['user0000002', 'user0000001']) {
    const result = await idp<{ AuthenticationResult?: unknown }>('InitiateAuth', {
      ClientId: UserPoolClient.ClientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: username, PASSWORD },
    });
    if (!result.AuthenticationResult) throw new Error(`${username} did not sign in`);
  }
  console.log(JSON.stringify({ step: 'sign-in after import', ok: true }));

  console.log('');
  console.log(`| ${database.databaseUrl ? 'PostgreSQL' : 'SQLite'} | users | seconds | users/s |`);
  console.log('|---|---|---|---|');
  console.log(`| frontdesk users import | ${USERS.toLocaleString('en-US')} | ${importSeconds.toFixed(1)} | ${Math.round(USERS / importSeconds).toLocaleString('en-US')} |`);
  console.log(`| frontdesk users export | ${USERS.toLocaleString('en-US')} | ${exportSeconds.toFixed(1)} | ${Math.round(USERS / exportSeconds).toLocaleString('en-US')} |`);
} finally {
  await server.stop();
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
}
