// Token verification throughput on ONE core: frontdesk/verify beside jose and aws-jwt-verify, on
// the same genuine Frontdesk access tokens, with the JWKS fetched over HTTP from a running
// Frontdesk. Two scenarios:
//   distinct  — every token is new to the verifier (an RSA verification each time);
//   repeated  — the same few tokens again and again (frontdesk/verify with cacheVerified; the others
//               have no such cache and verify in full).
// frontdesk/verify is also measured on distinct tokens with its cache on (every lookup misses and
// every insert evicts: the cache's worst case).
//
// The process pins itself to one CPU (taskset) so that libraries which verify on libuv's thread
// pool (jose, through WebCrypto) get no extra cores. Prints one JSON line per measurement, then a
// table.
//
//   npm run bench:verify                      BENCH_SECONDS=5 BENCH_TOKENS=20000 npm run bench:verify

import { spawnSync } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';

if (!process.env.BENCH_PINNED && process.platform === 'linux') {
  const pinned = spawnSync('taskset', ['-c', '0', process.execPath, ...process.execArgv, fileURLToPath(import.meta.url)], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_PINNED: '1' },
  });
  if (!pinned.error) process.exit(pinned.status ?? 1);
  console.error(`taskset unavailable (${pinned.error.message}); running unpinned`);
}

const { createRemoteJWKSet, jwtVerify } = await import('jose');
const { JwtRsaVerifier } = await import('aws-jwt-verify');
const { createVerifier } = await import('../src/verify/index.js');
const { signRs256, headerSegment } = await import('../src/domain/tokens/jwt.js');
const { startTestServer } = await import('../test/support/test-server.js');
const { adminUser, createClient, createPool, passwordSignIn } = await import('../test/support/cognito.js');

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const TOKENS = Number(process.env.BENCH_TOKENS ?? 10_000);
const REPEATED = 16;
const BATCH = 64;

// --- genuine tokens ---------------------------------------------------------------------------
const server = await startTestServer();
const idp = server.client();
const poolId = await createPool(idp);
const { clientId } = await createClient(idp, poolId);
await adminUser(idp, poolId, 'bench');
const signedIn = await passwordSignIn(idp, clientId, 'bench');
const issuer = `${server.url}/${poolId}`;
const jwksUri = `${issuer}/.well-known/jwks.json`;

// One token comes from a sign-in through the SDK; the rest are that token's claims with fresh ids,
// signed by the pool's own key with Frontdesk's signer (sign-ins would take minutes for 10,000).
const [headerPart, payloadPart] = signedIn.AccessToken.split('.') as [string, string];
const kid = (JSON.parse(Buffer.from(headerPart, 'base64url').toString()) as { kid: string }).kid;
const template = JSON.parse(Buffer.from(payloadPart, 'base64url').toString()) as Record<string, unknown>;
const privateKey = createPrivateKey((await server.store.signingKeys.privateKeyPem(kid))!);
const header = headerSegment(kid);
const distinct: string[] = [signedIn.AccessToken];
while (distinct.length < TOKENS) {
  const batch = Array.from({ length: Math.min(256, TOKENS - distinct.length) }, () =>
    signRs256(header, { ...template, jti: randomUUID(), event_id: randomUUID(), origin_jti: randomUUID() }, privateKey),
  );
  distinct.push(...(await Promise.all(batch)));
}
const repeated = distinct.slice(0, REPEATED);

// --- the verifiers, configured alike: issuer, access tokens, this client, RS256 -----------------
type Verify = (token: string) => Promise<unknown>;

const frontdesk = (cacheVerified: boolean): Verify => {
  const verifier = createVerifier({ issuer }, { tokenUse: 'access', clientId, cacheVerified: cacheVerified ? { maxEntries: 1_000 } : false });
  return (token) => verifier.verify(token);
};

const joseKeys = createRemoteJWKSet(new URL(jwksUri));
const jose: Verify = async (token) => {
  const { payload } = await jwtVerify(token, joseKeys, { issuer, algorithms: ['RS256'] });
  if (payload.token_use !== 'access' || payload.client_id !== clientId) throw new Error('wrong token');
  return payload;
};

const awsVerifier = JwtRsaVerifier.create({
  issuer,
  jwksUri,
  audience: null,
  customJwtCheck: ({ payload }) => {
    if (payload.token_use !== 'access' || payload.client_id !== clientId) throw new Error('wrong token');
  },
});
// aws-jwt-verify fetches JWKS over https only; it is handed the same JWKS, fetched here.
awsVerifier.cacheJwks((await (await fetch(jwksUri)).json()) as Parameters<typeof awsVerifier.cacheJwks>[0]);
const awsJwtVerify: Verify = (token) => awsVerifier.verify(token);

// --- measurement --------------------------------------------------------------------------------
interface Result {
  library: string;
  scenario: string;
  opsPerSecond: number;
  ops: number;
  seconds: number;
  target?: number;
}

async function measure(library: string, scenario: string, verify: Verify, tokens: string[], target?: number): Promise<Result> {
  // Warm-up: fetches the JWKS, JIT-compiles the path, and (repeated) fills the cache.
  for (let i = 0; i < Math.min(tokens.length, 2_000); i++) await verify(tokens[i]!);
  let ops = 0;
  let next = 0;
  const started = performance.now();
  const end = started + SECONDS * 1000;
  while (performance.now() < end) {
    const batch: Promise<unknown>[] = [];
    for (let i = 0; i < BATCH; i++) {
      batch.push(verify(tokens[next]!));
      next = next + 1 === tokens.length ? 0 : next + 1;
    }
    await Promise.all(batch);
    ops += BATCH;
  }
  const seconds = (performance.now() - started) / 1000;
  const result: Result = { library, scenario, opsPerSecond: Math.round(ops / seconds), ops, seconds: Number(seconds.toFixed(2)), ...(target ? { target } : {}) };
  console.log(JSON.stringify({ bench: 'verify', ...result }));
  return result;
}

const results: Result[] = [];
results.push(await measure('frontdesk/verify', 'distinct', frontdesk(false), distinct, 15_000));
results.push(await measure('frontdesk/verify', 'distinct, cache on (all misses)', frontdesk(true), distinct));
results.push(await measure('jose', 'distinct', jose, distinct));
results.push(await measure('aws-jwt-verify', 'distinct', awsJwtVerify, distinct));
results.push(await measure('frontdesk/verify', 'repeated, cache on', frontdesk(true), repeated, 200_000));
results.push(await measure('frontdesk/verify', 'repeated, cache off', frontdesk(false), repeated));
results.push(await measure('jose', 'repeated', jose, repeated));
results.push(await measure('aws-jwt-verify', 'repeated', awsJwtVerify, repeated));

await server.close();

console.log(`\nverification on one core, ${TOKENS} distinct tokens of ${distinct[0]!.length} bytes, ${SECONDS} s each (node ${process.version})`);
console.table(
  results.map((r) => ({
    library: r.library,
    scenario: r.scenario,
    'ops/s': r.opsPerSecond.toLocaleString('en-US'),
    target: r.target ? `≥ ${r.target.toLocaleString('en-US')} ${r.opsPerSecond >= r.target ? 'met' : 'MISSED'}` : '',
  })),
);
