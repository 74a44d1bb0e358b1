// End-to-end benchmark of the hot paths of issue 3: password sign-in, SRP sign-in (two round
// trips), refresh, GetUser and SignUp, against a real server process over HTTP on loopback.
// The load generator shares the machine (as the targets assume). Prints one JSON line per
// scenario and a table.
//
//   npm run bench                                   (SQLite in a temp dir)
//   TEST_DATABASE_URL=postgres://… npm run bench    (a fresh PostgreSQL database)
//   BENCH_SECONDS=10 BENCH_CONCURRENCY=32 npm run bench

import { randomBytes } from 'node:crypto';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { Pool } from 'undici';
import { createTestDatabase } from '../test/support/test-database.js';
import { startBenchServer } from './server-process.js';
import { newClientKey, passwordClaim, type ClientKey } from './srp-client.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
/** Comma-separated scenario names to run (default: all). */
const ONLY = process.env.BENCH_SCENARIOS?.split(',').map((s) => s.trim().toLowerCase());
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const USERS = 200;
const PASSWORD = 'Bench-Passw0rd!';

const database = await createTestDatabase();
const server = await startBenchServer(database);
const { port, admin } = server;
const nextMessage = server.nextMessage;
const url = `http://127.0.0.1:${port}/`;

// undici's Pool directly: fetch's extra layers would make the load generator, not the server,
// the thing being measured.
const connections = new Pool(url, { connections: CONCURRENCY, pipelining: 1 });

async function call(operation: string, body: unknown): Promise<any> {
  const response = await connections.request({
    path: '/',
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${operation}` },
    body: JSON.stringify(body),
  });
  const json = (await response.body.json()) as any;
  if (response.statusCode !== 200) throw new Error(`${operation}: ${json.__type}: ${json.message}`);
  return json;
}

// --- setup through the SDK, as an administrator would ---
const sdk = new CognitoIdentityProviderClient({ endpoint: url, region: 'us-east-1', credentials: admin });
const { UserPool } = await sdk.send(new CreateUserPoolCommand({ PoolName: 'bench', AutoVerifiedAttributes: ['email'] }));
const poolId = UserPool!.Id!;
const poolShortName = poolId.split('_')[1]!;
const { UserPoolClient } = await sdk.send(
  new CreateUserPoolClientCommand({
    UserPoolId: poolId,
    ClientName: 'bench',
    ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  }),
);
const clientId = UserPoolClient!.ClientId!;
const usernames: string[] = [];
for (let i = 0; i < USERS; i++) {
  const Username = `user${i}`;
  await sdk.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username, MessageAction: 'SUPPRESS' }));
  await sdk.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username, Password: PASSWORD, Permanent: true }));
  usernames.push(Username);
}

// --- the load loop ---
interface Result {
  scenario: string;
  ops: number;
  errors: number;
  seconds: number;
  opsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** The target, and latency and event-loop stalls when requests arrive at that rate. */
  targetPerSecond: number;
  atTargetP50Ms: number;
  atTargetP99Ms: number;
  eventLoopMaxMs: number;
  eventLoopP99Ms: number;
  firstError?: string;
}

async function loopStats(): Promise<{ maxMs: number; p99Ms: number }> {
  server.send('stats');
  return nextMessage<{ maxMs: number; p99Ms: number }>();
}

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

/**
 * Each scenario runs twice: closed-loop at CONCURRENCY requests in flight (the throughput it can
 * sustain), then open-loop at the target rate (latency and event-loop stalls at that load).
 */
async function scenario(name: string, targetPerSecond: number, operation: (i: number) => Promise<void>): Promise<Result | undefined> {
  if (ONLY && !ONLY.some((wanted) => name.toLowerCase().startsWith(wanted))) return undefined;
  let counter = 0;
  let errors = 0;
  let firstError: string | undefined;
  const timed = async (latencies: number[]) => {
    const i = counter++;
    const t0 = performance.now();
    try {
      await operation(i);
      latencies.push(performance.now() - t0);
    } catch (error) {
      errors++;
      firstError ??= (error as Error).message;
    }
  };

  // Saturation.
  await loopStats();
  const saturated: number[] = [];
  const end = performance.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end) await timed(saturated);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await loopStats();

  // At the target rate: requests start on a fixed schedule whatever the answers take.
  const paced: number[] = [];
  const inFlight: Promise<void>[] = [];
  const pacedStart = performance.now();
  const total = Math.round(targetPerSecond * SECONDS);
  for (let n = 0; n < total; n++) {
    const due = pacedStart + (n * 1000) / targetPerSecond;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(timed(paced));
  }
  await Promise.all(inFlight);
  const loop = await loopStats();

  saturated.sort((a, b) => a - b);
  paced.sort((a, b) => a - b);
  const result: Result = {
    scenario: name,
    ops: saturated.length,
    errors,
    seconds: round(seconds),
    opsPerSecond: round(saturated.length / seconds),
    p50Ms: round(percentile(saturated, 0.5)),
    p99Ms: round(percentile(saturated, 0.99)),
    targetPerSecond,
    atTargetP50Ms: round(percentile(paced, 0.5)),
    atTargetP99Ms: round(percentile(paced, 0.99)),
    eventLoopMaxMs: round(loop.maxMs),
    eventLoopP99Ms: round(loop.p99Ms),
    ...(firstError ? { firstError } : {}),
  };
  console.log(JSON.stringify(result));
  return result;
}
const round = (n: number) => Math.round(n * 100) / 100;
const userOf = (i: number) => usernames[i % usernames.length]!;

const results: (Result | undefined)[] = [];
results.push(
  await scenario('password sign-in', 400, async (i) => {
    await call('InitiateAuth', { ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: userOf(i), PASSWORD } });
  }),
);

const keys: ClientKey[] = Array.from({ length: 8 }, newClientKey);
results.push(
  await scenario('SRP sign-in (2 round trips)', 250, async (i) => {
    const key = keys[i % keys.length]!;
    const first = await call('InitiateAuth', {
      ClientId: clientId,
      AuthFlow: 'USER_SRP_AUTH',
      AuthParameters: { USERNAME: userOf(i), SRP_A: key.srpA },
    });
    const p = first.ChallengeParameters;
    const claim = passwordClaim({ key, poolShortName, userIdForSrp: p.USER_ID_FOR_SRP, password: PASSWORD, salt: p.SALT, srpB: p.SRP_B, secretBlock: p.SECRET_BLOCK });
    await call('RespondToAuthChallenge', {
      ClientId: clientId,
      ChallengeName: 'PASSWORD_VERIFIER',
      ChallengeResponses: {
        USERNAME: p.USER_ID_FOR_SRP,
        PASSWORD_CLAIM_SECRET_BLOCK: p.SECRET_BLOCK,
        PASSWORD_CLAIM_SIGNATURE: claim.signature,
        TIMESTAMP: claim.timestamp,
      },
    });
  }),
);

const sessions = await Promise.all(
  usernames.slice(0, 50).map((USERNAME) =>
    call('InitiateAuth', { ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME, PASSWORD } }),
  ),
);
results.push(
  await scenario('refresh', 700, async (i) => {
    const session = sessions[i % sessions.length]!.AuthenticationResult;
    await call('InitiateAuth', { ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: session.RefreshToken } });
  }),
);
results.push(
  await scenario('GetUser', 3000, async (i) => {
    await call('GetUser', { AccessToken: sessions[i % sessions.length]!.AuthenticationResult.AccessToken });
  }),
);
const run = randomBytes(3).toString('hex');
results.push(
  await scenario('SignUp', 300, async (i) => {
    await call('SignUp', {
      ClientId: clientId,
      Username: `new-${run}-${i}`,
      Password: PASSWORD,
      UserAttributes: [{ Name: 'email', Value: `new-${run}-${i}@example.com` }],
    });
  }),
);

console.log(`\nFrontdesk on ${database.engine}: ${SECONDS} s at ${CONCURRENCY} requests in flight, then ${SECONDS} s at the target rate`);
console.table(
  results
    .filter((r): r is Result => r !== undefined)
    .map((r) => ({
      scenario: r.scenario,
      'max ops/s': r.opsPerSecond,
      'p50 ms': r.p50Ms,
      'p99 ms': r.p99Ms,
      'target/s': r.targetPerSecond,
      'p99 ms at target': r.atTargetP99Ms,
      'loop max ms at target': r.eventLoopMaxMs,
      errors: r.errors,
    })),
);
await server.stop();
await connections.close();
sdk.destroy();
await database.drop();
