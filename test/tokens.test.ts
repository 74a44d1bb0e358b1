import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeHeader, decodePayload, startTokensHarness, type TokensHarness } from './tokens-fixtures.js';
import type { UserPool } from '../src/domain/user-pools/user-pool.js';
import type { UserPoolClient } from '../src/domain/clients/user-pool-client.js';
import { RETIRED_KEY_PUBLISHED_MS } from '../src/domain/tokens/signing-keys.js';

// Minting: Cognito's exact claim sets, lifetimes from the client, the JWKS and discovery documents,
// signing-key creation and rotation. Tokens are checked with jose against the server's JWKS URL,
// the way a resource server checks Cognito's.

let h: TokensHarness;
let pool: UserPool;
let client: UserPoolClient;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ATTRIBUTES = {
  email: 'jane@example.com',
  email_verified: 'true',
  phone_number: '+15555550100',
  phone_number_verified: 'false',
  given_name: 'Jane',
  updated_at: '1700000000',
  address: '1 Main St',
  'custom:tenant': 'acme',
  'custom:level': '7',
  'dev:custom:internal': 'never in a token',
};

beforeAll(async () => {
  h = await startTokensHarness();
  pool = await h.newPool();
  client = await h.newClient(pool.id);
});

afterAll(async () => {
  await h?.close();
});

describe('ID and access tokens', () => {
  it('carry exactly the claims Cognito puts in an ID token', async () => {
    const user = await h.insertUser(pool.id, ATTRIBUTES, { username: 'jane' });
    const authTime = new Date(h.server.clock.now().getTime() - 5_000);
    const result = await h.tokens.issueTokens({ pool, client, user, authTime });
    expect(result.TokenType).toBe('Bearer');
    expect(result.ExpiresIn).toBe(3600);
    expect(result.RefreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const { payload, kid } = await h.verifyWithJose(result.IdToken, pool.id, { audience: client.id });
    expect(decodeHeader(result.IdToken)).toEqual({ kid, alg: 'RS256' });
    expect(Object.keys(payload).sort()).toEqual(
      [
        'sub',
        'email',
        'email_verified',
        'phone_number',
        'phone_number_verified',
        'given_name',
        'updated_at',
        'address',
        'custom:tenant',
        'custom:level',
        'iss',
        'cognito:username',
        'origin_jti',
        'aud',
        'event_id',
        'token_use',
        'auth_time',
        'exp',
        'iat',
        'jti',
      ].sort(),
    );
    const iat = payload.iat!;
    expect(payload).toEqual({
      sub: user.id,
      email: 'jane@example.com',
      email_verified: true,
      phone_number: '+15555550100',
      phone_number_verified: false,
      given_name: 'Jane',
      updated_at: 1700000000,
      address: { formatted: '1 Main St' },
      'custom:tenant': 'acme',
      'custom:level': '7',
      iss: `${h.server.url}/${pool.id}`,
      'cognito:username': 'jane',
      origin_jti: expect.stringMatching(UUID),
      aud: client.id,
      event_id: expect.stringMatching(UUID),
      token_use: 'id',
      auth_time: Math.floor(authTime.getTime() / 1000),
      exp: iat + 3600,
      iat,
      jti: expect.stringMatching(UUID),
    });
    expect(Math.abs(iat - Date.now() / 1000)).toBeLessThan(5);
  });

  it('carry exactly the claims Cognito puts in an access token', async () => {
    const user = await h.insertUser(pool.id, ATTRIBUTES, { username: 'jane2' });
    const result = await h.tokens.issueTokens({ pool, client, user });
    const { payload } = await h.verifyWithJose(result.AccessToken, pool.id);
    const iat = payload.iat!;
    expect(payload).toEqual({
      sub: user.id,
      iss: `${h.server.url}/${pool.id}`,
      client_id: client.id,
      origin_jti: expect.stringMatching(UUID),
      event_id: expect.stringMatching(UUID),
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      auth_time: iat,
      exp: iat + 3600,
      iat,
      jti: expect.stringMatching(UUID),
      username: 'jane2',
    });
    // One sign-in: both tokens share origin_jti and event_id, each has its own jti.
    const id = decodePayload(result.IdToken);
    expect(id.origin_jti).toBe(payload.origin_jti);
    expect(id.event_id).toBe(payload.event_id);
    expect(id.jti).not.toBe(payload.jti);
  });

  it('add cognito:groups, device_key and OAuth scopes when given, and the nonce to the ID token', async () => {
    const user = await h.insertUser(pool.id, { email: 'g@example.com' });
    const result = await h.tokens.issueTokens({
      pool,
      client,
      user,
      groups: ['admins', 'readers'],
      scopes: ['openid', 'email', 'api/read'],
      deviceKey: 'us-east-1_device-key',
      nonce: 'n-0S6_WzA2Mj',
    });
    const access = decodePayload(result.AccessToken);
    expect(access['cognito:groups']).toEqual(['admins', 'readers']);
    expect(access.device_key).toBe('us-east-1_device-key');
    expect(access.scope).toBe('openid email api/read');
    const id = decodePayload(result.IdToken);
    expect(id['cognito:groups']).toEqual(['admins', 'readers']);
    expect(id.nonce).toBe('n-0S6_WzA2Mj');
    expect(id).not.toHaveProperty('device_key');

    const none = await h.tokens.issueTokens({ pool, client, user, groups: [] });
    expect(decodePayload(none.AccessToken)).not.toHaveProperty('cognito:groups');
    expect(decodePayload(none.IdToken)).not.toHaveProperty('cognito:groups');
  });

  it('show only the client ReadAttributes, and never developer-only attributes', async () => {
    const reader = await h.newClient(pool.id, { ReadAttributes: ['email', 'custom:tenant', 'dev:custom:internal'] });
    const user = await h.insertUser(pool.id, ATTRIBUTES);
    const { IdToken } = await h.tokens.issueTokens({ pool, client: reader, user });
    const id = decodePayload(IdToken);
    expect(id.email).toBe('jane@example.com');
    expect(id['custom:tenant']).toBe('acme');
    for (const hidden of ['email_verified', 'phone_number', 'given_name', 'custom:level', 'dev:custom:internal', 'address']) {
      expect(id).not.toHaveProperty(hidden);
    }
    expect(id.sub).toBe(user.id);
  });

  it('live as long as the client says, in its units', async () => {
    const custom = await h.newClient(pool.id, {
      AccessTokenValidity: 2,
      IdTokenValidity: 30,
      RefreshTokenValidity: 1,
      TokenValidityUnits: { AccessToken: 'hours', IdToken: 'minutes', RefreshToken: 'days' },
    });
    const user = await h.insertUser(pool.id);
    const result = await h.tokens.issueTokens({ pool, client: custom, user });
    expect(result.ExpiresIn).toBe(7200);
    const access = decodePayload(result.AccessToken);
    const id = decodePayload(result.IdToken);
    expect((access.exp as number) - (access.iat as number)).toBe(7200);
    expect((id.exp as number) - (id.iat as number)).toBe(1800);
    const family = await h.raw.selectFrom('token_families').selectAll().where('id', '=', access.origin_jti as string).executeTakeFirstOrThrow();
    expect(Number(family.expires_at) - Number(family.created_at)).toBe(86_400_000);
  });

  it('store only a hash of the refresh token', async () => {
    const user = await h.insertUser(pool.id);
    const { RefreshToken, AccessToken } = await h.tokens.issueTokens({ pool, client, user });
    const rows = await h.raw
      .selectFrom('refresh_tokens')
      .selectAll()
      .where('family_id', '=', decodePayload(AccessToken).origin_jti as string)
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash).not.toContain(RefreshToken);
    expect(rows[0]!.token_hash).toHaveLength(43);
  });
});

describe('well-known endpoints', () => {
  it('publish the JWKS with the signing kid', async () => {
    const user = await h.insertUser(pool.id);
    const { IdToken } = await h.tokens.issueTokens({ pool, client, user });
    const response = await fetch(`${h.server.url}/${pool.id}/.well-known/jwks.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const jwks = (await response.json()) as { keys: Record<string, string>[] };
    expect(jwks.keys).toHaveLength(1);
    const [key] = jwks.keys;
    expect(Object.keys(key!)).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
    expect(key).toMatchObject({ alg: 'RS256', e: 'AQAB', kty: 'RSA', use: 'sig', kid: decodeHeader(IdToken).kid });
    expect(Buffer.from(key!.n!, 'base64url')).toHaveLength(256);
  });

  it('create the first key when the JWKS is asked for before any sign-in', async () => {
    const fresh = await h.newPool();
    const response = await fetch(`${h.server.url}/${fresh.id}/.well-known/jwks.json`);
    expect(((await response.json()) as { keys: unknown[] }).keys).toHaveLength(1);
  });

  it('serve Cognito’s discovery document', async () => {
    const response = await fetch(`${h.server.url}/${pool.id}/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=3600');
    // The OAuth endpoints are listed under the issuer path, which serves them for the pool.
    const base = `${h.server.url}/${pool.id}`;
    expect(await response.json()).toEqual({
      authorization_endpoint: `${base}/oauth2/authorize`,
      end_session_endpoint: `${base}/logout`,
      id_token_signing_alg_values_supported: ['RS256'],
      issuer: base,
      jwks_uri: `${base}/.well-known/jwks.json`,
      response_types_supported: ['code', 'token'],
      revocation_endpoint: `${base}/oauth2/revoke`,
      scopes_supported: ['openid', 'email', 'phone', 'profile'],
      subject_types_supported: ['public'],
      token_endpoint: `${base}/oauth2/token`,
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      userinfo_endpoint: `${base}/oauth2/userInfo`,
      code_challenge_methods_supported: ['S256'],
      grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials', 'implicit'],
      introspection_endpoint: `${base}/oauth2/introspect`,
    });
  });

  it('answer 404 with a JSON error for an unknown pool, and never create keys for it', async () => {
    for (const path of ['jwks.json', 'openid-configuration']) {
      for (const poolId of ['us-east-1_doesNotExist', 'not-a-pool-id', 'us-east-1_%27']) {
        const response = await fetch(`${h.server.url}/${poolId}/.well-known/${path}`);
        expect(response.status).toBe(404);
        const body = (await response.json()) as { code: string; message: string };
        expect(body.code).toBe('ResourceNotFoundException');
      }
    }
    const keys = await h.raw.selectFrom('signing_keys').select('kid').where('user_pool_id', '=', 'us-east-1_doesNotExist').execute();
    expect(keys).toEqual([]);
  });
});

describe('signing keys', () => {
  it('are rotated: old tokens keep verifying, new ones use the new kid, the retired key leaves the JWKS after expiry', async () => {
    const rotating = await h.newPool();
    const rotClient = await h.newClient(rotating.id);
    const user = await h.insertUser(rotating.id);
    const before = await h.tokens.issueTokens({ pool: rotating, client: rotClient, user });
    const oldKid = decodeHeader(before.AccessToken).kid as string;

    const { kid: newKid } = await h.tokens.rotateSigningKey(rotating.id);
    expect(newKid).not.toBe(oldKid);
    const after = await h.tokens.issueTokens({ pool: rotating, client: rotClient, user });
    expect(decodeHeader(after.AccessToken).kid).toBe(newKid);
    expect(decodeHeader(after.IdToken).kid).toBe(newKid);

    // Both verify, with a standard library against the published JWKS and with our own check.
    expect((await h.verifyWithJose(before.IdToken, rotating.id)).kid).toBe(oldKid);
    expect((await h.verifyWithJose(after.IdToken, rotating.id)).kid).toBe(newKid);
    await expect(h.tokens.verifyAccessToken(before.AccessToken)).resolves.toMatchObject({ userPoolId: rotating.id });
    await expect(h.tokens.verifyAccessToken(after.AccessToken)).resolves.toMatchObject({ userPoolId: rotating.id });
    const kidsNow = await publishedKids(rotating.id);
    expect(kidsNow).toEqual([oldKid, newKid]);

    // A day later the old key's tokens have all expired; just before its retention ends it is still there.
    h.server.clock.advance(RETIRED_KEY_PUBLISHED_MS - 60_000);
    expect(await publishedKids(rotating.id)).toEqual([oldKid, newKid]);
    h.server.clock.advance(120_000);
    expect(await publishedKids(rotating.id)).toEqual([newKid]);

    // The next rotation deletes it for good.
    const { kid: third } = await h.tokens.rotateSigningKey(rotating.id);
    const rows = await h.raw.selectFrom('signing_keys').select('kid').where('user_pool_id', '=', rotating.id).orderBy('created_at').execute();
    expect(rows.map((r) => r.kid)).toEqual([newKid, third]);
    h.server.clock.advance(-(RETIRED_KEY_PUBLISHED_MS + 60_000));
  });

  it('keep the private key sealed in the database', async () => {
    const rows = await h.raw.selectFrom('signing_keys').selectAll().where('user_pool_id', '=', pool.id).execute();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.private_key).toMatch(/^v1:/);
      expect(row.private_key).not.toContain('PRIVATE KEY');
      expect(JSON.parse(row.public_jwk)).toEqual({ kty: 'RSA', n: expect.any(String), e: 'AQAB' });
    }
  });

  it('are created once when many requests race for a fresh pool on one node', async () => {
    const fresh = await h.newPool();
    const node = h.newNode();
    const keys = await Promise.all(Array.from({ length: 8 }, () => node.keys.currentKey(fresh.id)));
    expect(new Set(keys.map((k) => k.kid)).size).toBe(1);
    expect(await h.raw.selectFrom('signing_keys').select('kid').where('user_pool_id', '=', fresh.id).execute()).toHaveLength(1);
  });

  it('end up agreed (or all published) when two nodes create a pool’s first key at once', async () => {
    for (let round = 0; round < 3; round++) {
      const fresh = await h.newPool();
      const a = h.newNode();
      const b = h.newNode();
      const [ka, kb] = await Promise.all([a.keys.currentKey(fresh.id), b.keys.currentKey(fresh.id)]);
      const published = await publishedKids(fresh.id);
      // Whatever either node signs with is in the JWKS…
      expect(published).toContain(ka.kid);
      expect(published).toContain(kb.kid);
      // …and once their caches expire, both sign with the same (newest unretired) key.
      const a2 = h.newNode();
      const b2 = h.newNode();
      expect((await a2.keys.currentKey(fresh.id)).kid).toBe((await b2.keys.currentKey(fresh.id)).kid);
    }
  });

  it('are picked up by other nodes within the current-key cache lifetime after a rotation', async () => {
    const p = await h.newPool();
    const c = await h.newClient(p.id);
    const user = await h.insertUser(p.id);
    const nodeA = h.newNode();
    const nodeB = h.newNode();
    const first = await nodeB.issueTokens({ pool: p, client: c, user });
    const { kid } = await nodeA.rotateSigningKey(p.id);
    // Node B still signs with its cached (now retired) key; that key is still published, so it verifies.
    const stale = await nodeB.issueTokens({ pool: p, client: c, user });
    expect(decodeHeader(stale.IdToken).kid).toBe(decodeHeader(first.IdToken).kid);
    await h.verifyWithJose(stale.IdToken, p.id);
    h.server.clock.advance(31_000);
    const fresh = await nodeB.issueTokens({ pool: p, client: c, user });
    expect(decodeHeader(fresh.IdToken).kid).toBe(kid);
    h.server.clock.advance(-31_000);
  });

  it('cannot be rotated for an unknown pool', async () => {
    await expect(h.tokens.rotateSigningKey('us-east-1_nope')).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});

async function publishedKids(poolId: string): Promise<string[]> {
  const response = await fetch(`${h.server.url}/${poolId}/.well-known/jwks.json`);
  return ((await response.json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
}
