import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createVerifier,
  issuerOf,
  TokenVerificationError,
  type VerifyFailureReason,
  type VerifierOptions,
} from '../src/verify/index.js';
import {
  hs256WithPublicKey,
  partsOf,
  resignedWithOwnKey,
  startFakeIssuer,
  startVerifyFixture,
  tampered,
  unsecured,
  withInjectedKey,
  withUnknownKid,
  type FakeIssuer,
  type VerifyFixture,
} from './support/verify-fixtures.js';
import { adminUser, createClient, createPool, HOUR_MS, passwordSignIn } from './support/cognito.js';

// frontdesk/verify with real tokens from a running Frontdesk (signed in through the AWS SDK), and a
// fake issuer for what real tokens cannot show on demand. Every refusal must carry its reason.

let f: VerifyFixture;
let fake: FakeIssuer;

beforeAll(async () => {
  [f, fake] = await Promise.all([startVerifyFixture(), startFakeIssuer()]);
});

afterAll(async () => {
  await Promise.all([f?.close(), fake?.close()]);
});

/** A verifier of the fixture pool's tokens, on the server's clock. */
const frontdesk = <U extends 'access' | 'id'>(options: Partial<VerifierOptions<U>> & { tokenUse: U }) =>
  createVerifier({ userPoolId: f.poolId, endpoint: f.server.url }, { clientId: f.clientA, clock: f.server.clock, ...options });

async function reasonOf(promise: Promise<unknown>): Promise<VerifyFailureReason> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(TokenVerificationError);
    return (error as TokenVerificationError).reason;
  }
  throw new Error('expected the token to be refused');
}

describe('real tokens from Frontdesk', () => {
  it('accepts a valid access token and returns its claims', async () => {
    const verifier = frontdesk({ tokenUse: 'access' });
    expect(verifier.issuer).toBe(f.issuer);
    const claims = await verifier.verify(f.plain.AccessToken);
    expect(claims).toMatchObject({ iss: f.issuer, token_use: 'access', client_id: f.clientA, username: 'alice', scope: 'aws.cognito.signin.user.admin' });
    expect(Object.isFrozen(claims)).toBe(true);
  });

  it('accepts a valid ID token where an ID token is required', async () => {
    const claims = await frontdesk({ tokenUse: 'id' }).verify(f.plain.IdToken);
    expect(claims).toMatchObject({ iss: f.issuer, token_use: 'id', aud: f.clientA, 'cognito:username': 'alice' });
  });

  it('accepts any of several clients, or any client when none is named', async () => {
    await expect(frontdesk({ tokenUse: 'access', clientId: [f.clientB, f.clientA] }).verify(f.plain.AccessToken)).resolves.toBeDefined();
    const anyClient = createVerifier({ issuer: f.issuer }, { tokenUse: 'access', clock: f.server.clock });
    await expect(anyClient.verify(f.viaB.AccessToken)).resolves.toMatchObject({ client_id: f.clientB });
  });

  it('refuses an expired token (the verifier follows the server clock), within the tolerance it is still good', async () => {
    const verifier = frontdesk({ tokenUse: 'access', cacheVerified: true });
    await verifier.verify(f.plain.AccessToken);
    f.server.clock.advance(HOUR_MS + 1000);
    try {
      expect(await reasonOf(verifier.verify(f.plain.AccessToken))).toBe('expired');
      expect(await reasonOf(frontdesk({ tokenUse: 'id' }).verify(f.plain.IdToken))).toBe('expired');
      await expect(frontdesk({ tokenUse: 'access', clockToleranceSeconds: 5 }).verify(f.plain.AccessToken)).resolves.toBeDefined();
    } finally {
      f.server.clock.advance(-(HOUR_MS + 1000));
    }
    await expect(verifier.verify(f.plain.AccessToken)).resolves.toBeDefined();
  });

  it('refuses a token of another client', async () => {
    expect(await reasonOf(frontdesk({ tokenUse: 'access' }).verify(f.viaB.AccessToken))).toBe('wrongClient');
    expect(await reasonOf(frontdesk({ tokenUse: 'id' }).verify(f.viaB.IdToken))).toBe('wrongClient');
  });

  it('refuses an ID token where an access token is required, and the other way round', async () => {
    expect(await reasonOf(frontdesk({ tokenUse: 'access' }).verify(f.plain.IdToken))).toBe('wrongTokenUse');
    expect(await reasonOf(frontdesk({ tokenUse: 'id' }).verify(f.plain.AccessToken))).toBe('wrongTokenUse');
  });

  it('checks scopes: any of the required ones passes, none is missingScope', async () => {
    await expect(frontdesk({ tokenUse: 'access', scopes: ['orders/read', 'aws.cognito.signin.user.admin'] }).verify(f.plain.AccessToken)).resolves.toBeDefined();
    const scoped = frontdesk({ tokenUse: 'access', scopes: ['orders/read'] });
    const error = await scoped.verify(f.plain.AccessToken).catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'missingScope', status: 403, requiredScopes: ['orders/read'] });
    // Per-call requirements replace the verifier's.
    await expect(scoped.verify(f.plain.AccessToken, { scopes: ['aws.cognito.signin.user.admin'] })).resolves.toBeDefined();
  });

  it('checks groups on real tokens', async (context) => {
    if (!f.admin) return context.skip(f.adminMissing);
    const admins = frontdesk({ tokenUse: 'access', groups: ['admin'] });
    await expect(admins.verify(f.admin.AccessToken)).resolves.toMatchObject({ 'cognito:groups': ['admin'] });
    await expect(frontdesk({ tokenUse: 'id', groups: ['admin'] }).verify(f.admin.IdToken)).resolves.toBeDefined();
    const error = await admins.verify(f.plain.AccessToken).catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'missingGroup', status: 403 });
    expect(await reasonOf(frontdesk({ tokenUse: 'access', groups: ['ops'] }).verify(f.admin.AccessToken))).toBe('missingGroup');
  });

  it('refuses a tampered payload and a token re-signed with another key under the genuine kid', async () => {
    const verifier = frontdesk({ tokenUse: 'access' });
    expect(await reasonOf(verifier.verify(tampered(f.plain.AccessToken, { username: 'root' })))).toBe('badSignature');
    expect(await reasonOf(verifier.verify(tampered(f.plain.AccessToken, { exp: 9_999_999_999 })))).toBe('badSignature');
    expect(await reasonOf(verifier.verify(resignedWithOwnKey(f.plain.AccessToken)))).toBe('badSignature');
    const [header, payload, signature] = partsOf(f.plain.AccessToken);
    expect(await reasonOf(verifier.verify(`${header}.${payload}.${signature.slice(0, -4)}AAAA`))).toBe('badSignature');
    expect(await reasonOf(verifier.verify(`${header}.${payload}.${signature.slice(0, 40)}`))).toBe('badSignature');
  });

  it('refuses alg "none", HS256 signed with the public key, and keys named by the header', async () => {
    const verifier = frontdesk({ tokenUse: 'access' });
    expect(await reasonOf(verifier.verify(unsecured(f.plain.AccessToken)))).toBe('badSignature');
    for (const forged of await hs256WithPublicKey(f.plain.AccessToken, `${f.issuer}/.well-known/jwks.json`)) {
      expect(await reasonOf(verifier.verify(forged))).toBe('badSignature');
    }
    for (const member of ['jwk', 'jku', 'x5u'] as const) {
      expect(await reasonOf(verifier.verify(withInjectedKey(f.plain.AccessToken, member)))).toBe('badSignature');
    }
  });

  it('refuses an unknown kid', async () => {
    expect(await reasonOf(frontdesk({ tokenUse: 'access' }).verify(withUnknownKid(f.plain.AccessToken)))).toBe('unknownKid');
  });

  it('refuses tokens of another pool (their kid is not in this pool’s JWKS), and a pool that does not exist', async () => {
    const otherPool = await createPool(f.idp);
    const { clientId } = await createClient(f.idp, otherPool);
    await adminUser(f.idp, otherPool, 'alice');
    const other = await passwordSignIn(f.idp, clientId, 'alice');
    expect(await reasonOf(createVerifier({ issuer: f.issuer }, { tokenUse: 'access' }).verify(other.AccessToken))).toBe('unknownKid');
    await expect(createVerifier({ userPoolId: otherPool, endpoint: f.server.url }, { tokenUse: 'access' }).verify(other.AccessToken)).resolves.toBeDefined();
    // A pool that does not exist has no JWKS (404), so nothing can be judged.
    const missing = createVerifier({ userPoolId: f.poolId.replace(/_.*/, '_Missing000'), endpoint: f.server.url }, { tokenUse: 'access' });
    expect(await reasonOf(missing.verify(f.plain.AccessToken))).toBe('jwksUnavailable');
  });

  it('refuses a genuine token whose issuer is not the configured one', async () => {
    // The same server under another name: the keys match, the `iss` does not.
    const aliased = createVerifier(
      { issuer: f.issuer.replace('127.0.0.1', 'localhost') },
      { tokenUse: 'access', clock: f.server.clock, jwksUri: `${f.issuer}/.well-known/jwks.json` },
    );
    expect(await reasonOf(aliased.verify(f.plain.AccessToken))).toBe('wrongIssuer');
  });

  it('refuses garbage as malformed', async () => {
    const verifier = frontdesk({ tokenUse: 'access' });
    const [header, payload] = partsOf(f.plain.AccessToken);
    for (const token of ['', 'abc', 'a.b', 'a.b.c', '...', `${f.plain.AccessToken}.x`, `${f.plain.AccessToken} `, 'x'.repeat(20_000), `${header}.${payload}!.sig`, `${header}.e30.sig`]) {
      expect([token.slice(0, 20), await reasonOf(verifier.verify(token))]).toEqual([token.slice(0, 20), expect.stringMatching(/^(malformed|badSignature)$/)]);
    }
    expect(await reasonOf(verifier.verify('a.b.c'))).toBe('malformed');
    expect(await reasonOf(verifier.verify(undefined as unknown as string))).toBe('malformed');
  });

  it('caches verified tokens: a repeated token is answered without RSA, and expiry still applies', async () => {
    const verifier = createVerifier({ issuer: f.issuer }, { tokenUse: 'access', clock: f.server.clock, cacheVerified: { maxEntries: 1 } });
    const first = await verifier.verify(f.plain.AccessToken);
    expect(await verifier.verify(f.plain.AccessToken)).toBe(first);
    // A forgery never enters the cache, and the cache is keyed by the whole token.
    expect(await reasonOf(verifier.verify(tampered(f.plain.AccessToken, { username: 'root' })))).toBe('badSignature');
    expect(await verifier.verify(f.plain.AccessToken)).toBe(first);
    // Requirements are checked on every hit.
    expect(await reasonOf(verifier.verify(f.plain.AccessToken, { scopes: ['orders/read'] }))).toBe('missingScope');
    // Bounded: another token pushes the first out, and it is verified afresh (a new claims object).
    await verifier.verify(f.viaB.AccessToken);
    expect(await verifier.verify(f.plain.AccessToken)).not.toBe(first);
  });

  it('rejects configurations that cannot be right', () => {
    expect(() => createVerifier({ issuer: 'not a url' }, { tokenUse: 'access' })).toThrow(TypeError);
    expect(() => createVerifier({ userPoolId: 'nope' }, { tokenUse: 'access' })).toThrow(TypeError);
    expect(() => createVerifier({ issuer: f.issuer }, { tokenUse: 'id', scopes: ['x'] })).toThrow(/ID tokens carry no scopes/);
    expect(() => createVerifier({ issuer: f.issuer }, { tokenUse: 'access', clientId: [] })).toThrow(TypeError);
    expect(() => createVerifier({ issuer: f.issuer }, { tokenUse: 'refresh' as 'access' })).toThrow(TypeError);
    expect(issuerOf({ userPoolId: 'eu-west-1_AbC123' })).toBe('https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123');
    expect(issuerOf({ issuer: 'http://127.0.0.1:9330/us-east-1_X/' })).toBe('http://127.0.0.1:9330/us-east-1_X');
  });
});

describe('a fake issuer (local key, local JWKS server)', () => {
  const verifierFor = (options: Partial<VerifierOptions<'access'>> = {}) =>
    createVerifier({ issuer: fake.url }, { tokenUse: 'access', clientId: 'fake-client', clock: fake.clock, ...options });

  it('accepts its tokens, and refuses another issuer’s claim and a future nbf', async () => {
    const verifier = verifierFor();
    await expect(verifier.verify(fake.mint())).resolves.toMatchObject({ sub: 'fake-user' });
    expect(await reasonOf(verifier.verify(fake.mint({ iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other' })))).toBe('wrongIssuer');
    const nbf = Math.floor(fake.clock.now().getTime() / 1000) + 60;
    expect(await reasonOf(verifier.verify(fake.mint({ nbf })))).toBe('notYetValid');
    await expect(verifierFor({ clockToleranceSeconds: 120 }).verify(fake.mint({ nbf }))).resolves.toBeDefined();
    expect(await reasonOf(verifier.verify(fake.mint({ sub: 42 })))).toBe('malformed');
    expect(await reasonOf(verifier.verify(fake.mint({ exp: 'tomorrow' })))).toBe('malformed');
    expect(await reasonOf(verifier.verify(fake.mint({ client_id: undefined })))).toBe('malformed');
    expect(await reasonOf(verifier.verify(fake.mint({ 'cognito:groups': 'admin' })))).toBe('malformed');
  });

  it('checks groups of access and ID tokens (cognito:groups, any of the required)', async () => {
    const access = verifierFor({ groups: ['admin', 'ops'] });
    await expect(access.verify(fake.mint({ 'cognito:groups': ['ops'] }))).resolves.toBeDefined();
    expect(await reasonOf(access.verify(fake.mint({ 'cognito:groups': ['staff'] })))).toBe('missingGroup');
    expect(await reasonOf(access.verify(fake.mint()))).toBe('missingGroup');
    const id = createVerifier({ issuer: fake.url }, { tokenUse: 'id', clientId: 'fake-client', clock: fake.clock, groups: ['admin'] });
    const idToken = (groups?: string[]) =>
      fake.mint({ token_use: 'id', aud: 'fake-client', client_id: undefined, scope: undefined, 'cognito:username': 'u', ...(groups ? { 'cognito:groups': groups } : {}) });
    await expect(id.verify(idToken(['admin']))).resolves.toMatchObject({ aud: 'fake-client' });
    expect(await reasonOf(id.verify(idToken()))).toBe('missingGroup');
  });

  it('refetches the JWKS for a new kid at most once per interval: no fetch storm from forged kids', async () => {
    const counted = { n: 0 };
    const fetchCounting: typeof fetch = (input, init) => {
      counted.n++;
      return fetch(input, init);
    };
    const verifier = verifierFor({ fetch: fetchCounting, jwksRefetchIntervalSeconds: 10 });
    await verifier.verify(fake.mint());
    expect(counted.n).toBe(1);
    // Right after a fetch, an unknown kid does not cause another.
    expect(await reasonOf(verifier.verify(withUnknownKid(fake.mint())))).toBe('unknownKid');
    expect(counted.n).toBe(1);

    // Later, 200 tokens with made-up kids, at once and one after another: one refetch in all.
    fake.clock.advance(10_000);
    const forged = () => withUnknownKid(fake.mint());
    const burst = Array.from({ length: 100 }, forged);
    const reasons = await Promise.all(burst.map((token) => reasonOf(verifier.verify(token))));
    expect(new Set(reasons)).toEqual(new Set(['unknownKid']));
    for (let i = 0; i < 100; i++) expect(await reasonOf(verifier.verify(forged()))).toBe('unknownKid');
    expect(counted.n).toBe(2);

    // A genuine rotation inside the interval waits for it; after it, the new kid is fetched once.
    fake.rotate();
    const rotated = fake.mint();
    expect(await reasonOf(verifier.verify(rotated))).toBe('unknownKid');
    fake.clock.advance(10_000);
    await expect(verifier.verify(rotated)).resolves.toBeDefined();
    expect(counted.n).toBe(3);
    await expect(verifier.verify(fake.mint())).resolves.toBeDefined();
    expect(counted.n).toBe(3);
  });

  it('refreshes a stale JWKS in the background; a withdrawn key stops working, cached tokens included', async () => {
    const verifier = verifierFor({ cacheVerified: true, jwksMaxAgeSeconds: 60, jwksRefetchIntervalSeconds: 1 });
    const old = fake.mint();
    await verifier.verify(old);
    fake.rotate({ dropOld: true });
    fake.clock.advance(61_000);
    await verifier.verify(old); // stale set still used; triggers the refresh
    await verifier.hydrate();
    expect(await reasonOf(verifier.verify(old))).toBe('unknownKid');
    await expect(verifier.verify(fake.mint())).resolves.toBeDefined();
  });

  it('reports jwksUnavailable when the JWKS cannot be had, with a back-off, and recovers', async () => {
    const counted = { n: 0 };
    const verifier = verifierFor({
      fetch: (input, init) => {
        counted.n++;
        return fetch(input, init);
      },
    });
    fake.failWith = 500;
    try {
      const error = await verifier.verify(fake.mint()).catch((e: unknown) => e);
      expect(error).toMatchObject({ reason: 'jwksUnavailable', status: 503, message: expect.stringContaining('HTTP 500') });
      // Within the back-off, no new fetch.
      expect(await reasonOf(verifier.verify(fake.mint()))).toBe('jwksUnavailable');
      expect(counted.n).toBe(1);
    } finally {
      fake.failWith = undefined;
    }
    fake.clock.advance(1_000);
    await expect(verifier.verify(fake.mint())).resolves.toBeDefined();
    expect(counted.n).toBe(2);

    const nowhere = createVerifier({ issuer: 'http://127.0.0.1:1/none' }, { tokenUse: 'access', jwksTimeoutSeconds: 1 });
    expect(await reasonOf(nowhere.verify(fake.mint()))).toBe('jwksUnavailable');
  });

  it('skips JWKS members it cannot use (other key types, other algorithms, short keys)', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' });
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const smallJwk = small.publicKey.export({ format: 'jwk' });
    const jwks = { keys: [{ ...ec, kid: 'ec' }, { ...smallJwk, kid: 'small' }, { ...smallJwk, kid: 'enc', use: 'enc' }, 'junk', null] };
    const verifier = verifierFor({ fetch: async () => new Response(JSON.stringify(jwks), { headers: { 'content-type': 'application/json' } }) });
    expect(await reasonOf(verifier.verify(fake.mint({}, { kid: 'small', key: small.privateKey })))).toBe('unknownKid');
  });
});
