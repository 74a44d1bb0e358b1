import { createHmac, createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, UnsecuredJWT, importPKCS8 } from 'jose';
import { decodeHeader, decodePayload, rejectionOf, startTokensHarness, type TokensHarness } from './tokens-fixtures.js';
import type { UserPool } from '../src/domain/user-pools/user-pool.js';
import type { UserPoolClient } from '../src/domain/clients/user-pool-client.js';
import type { User } from '../src/domain/users/user.js';

// verifyAccessToken: the check behind every access-token operation. Anything not minted by us for
// a live session must fail with Cognito's NotAuthorizedException messages.

let h: TokensHarness;
let pool: UserPool;
let client: UserPoolClient;
let user: User;
let issued: { AccessToken: string; IdToken: string; RefreshToken: string };

const INVALID = { name: 'NotAuthorizedException', message: 'Invalid Access Token' };
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

beforeAll(async () => {
  h = await startTokensHarness();
  pool = await h.newPool();
  client = await h.newClient(pool.id);
  user = await h.insertUser(pool.id, { email: 'v@example.com' }, { username: 'victor' });
  issued = await h.tokens.issueTokens({ pool, client, user, groups: ['staff'] });
});

afterAll(async () => {
  await h?.close();
});

describe('verifyAccessToken', () => {
  it('returns the pool and the claims of a good token', async () => {
    const { userPoolId, claims } = await h.tokens.verifyAccessToken(issued.AccessToken);
    expect(userPoolId).toBe(pool.id);
    expect(claims).toMatchObject({
      sub: user.id,
      username: 'victor',
      client_id: client.id,
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      'cognito:groups': ['staff'],
    });
    expect(claims.origin_jti).toBe(decodePayload(issued.IdToken).origin_jti);
  });

  it('is passed by another node that has never seen the key (keys come from the database)', async () => {
    await expect(h.newNode().verifyAccessToken(issued.AccessToken)).resolves.toMatchObject({ userPoolId: pool.id });
  });

  it('checks a required scope', async () => {
    await expect(h.tokens.verifyAccessToken(issued.AccessToken, { requiredScope: 'aws.cognito.signin.user.admin' })).resolves.toBeDefined();
    const oauth = await h.tokens.issueTokens({ pool, client, user, scopes: ['openid', 'email'] });
    expect(await rejectionOf(h.tokens.verifyAccessToken(oauth.AccessToken, { requiredScope: 'aws.cognito.signin.user.admin' }))).toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Access Token does not have required scopes',
    });
  });

  it('refuses an expired token with Cognito’s message', async () => {
    h.server.clock.advance(3600_000);
    expect(await rejectionOf(h.tokens.verifyAccessToken(issued.AccessToken))).toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Access Token has expired',
    });
    h.server.clock.advance(-3600_000);
    await expect(h.tokens.verifyAccessToken(issued.AccessToken)).resolves.toBeDefined();
  });

  it('refuses an ID token', async () => {
    expect(await rejectionOf(h.tokens.verifyAccessToken(issued.IdToken))).toMatchObject(INVALID);
  });

  it('refuses garbage', async () => {
    for (const token of ['', 'abc', 'a.b.c', 'a.b', '...', `${issued.AccessToken}.x`, `${issued.AccessToken} `, 'x'.repeat(20_000), issued.RefreshToken]) {
      expect(await rejectionOf(h.tokens.verifyAccessToken(token))).toMatchObject(INVALID);
    }
  });

  it('refuses a tampered payload or header', async () => {
    const [header, payload, signature] = issued.AccessToken.split('.') as [string, string, string];
    const claims = decodePayload(issued.AccessToken);
    for (const change of [{ username: 'admin' }, { scope: 'aws.cognito.signin.user.admin admin' }, { exp: (claims.exp as number) + 3600 }, { sub: 'x' }]) {
      const forged = `${header}.${b64({ ...claims, ...change })}.${signature}`;
      expect(await rejectionOf(h.tokens.verifyAccessToken(forged))).toMatchObject(INVALID);
    }
    const otherKid = `${b64({ ...decodeHeader(issued.AccessToken), kid: 'unknown-kid' })}.${payload}.${signature}`;
    expect(await rejectionOf(h.tokens.verifyAccessToken(otherKid))).toMatchObject(INVALID);
    const flipped = Buffer.from(signature, 'base64url');
    flipped[10] = flipped[10]! ^ 1;
    expect(await rejectionOf(h.tokens.verifyAccessToken(`${header}.${payload}.${flipped.toString('base64url')}`))).toMatchObject(INVALID);
    const withCrit = `${b64({ ...decodeHeader(issued.AccessToken), crit: ['exp'] })}.${payload}.${signature}`;
    expect(await rejectionOf(h.tokens.verifyAccessToken(withCrit))).toMatchObject(INVALID);
  });

  it('refuses alg "none" and HS256 signed with the public key', async () => {
    const claims = decodePayload(issued.AccessToken);
    const kid = decodeHeader(issued.AccessToken).kid as string;
    const unsecured = new UnsecuredJWT(claims).encode();
    expect(await rejectionOf(h.tokens.verifyAccessToken(unsecured))).toMatchObject(INVALID);
    const noneWithKid = `${b64({ alg: 'none', kid })}.${b64(claims)}.`;
    expect(await rejectionOf(h.tokens.verifyAccessToken(noneWithKid))).toMatchObject(INVALID);

    // The classic confusion attack: HMAC keyed with the published public key (as JWK, as PEM).
    const jwks = (await (await fetch(`${h.server.url}/${pool.id}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] };
    const jwk = jwks.keys.find((k) => k.kid === kid)!;
    const pem = createPublicKey({ key: jwk as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' }) as string;
    for (const secret of [JSON.stringify(jwk), pem]) {
      const input = `${b64({ kid, alg: 'HS256' })}.${b64(claims)}`;
      const hs = `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
      expect(await rejectionOf(h.tokens.verifyAccessToken(hs))).toMatchObject(INVALID);
    }
    // RS256 header, HMAC bytes: wrong length for the key, refused before any RSA work.
    const input = `${b64({ kid, alg: 'RS256' })}.${b64(claims)}`;
    const mixed = `${input}.${createHmac('sha256', pem).update(input).digest('base64url')}`;
    expect(await rejectionOf(h.tokens.verifyAccessToken(mixed))).toMatchObject(INVALID);
  });

  it('refuses a token signed with a key of our own making, even with a known kid', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const kid = decodeHeader(issued.AccessToken).kid as string;
    const forged = await new SignJWT(decodePayload(issued.AccessToken)).setProtectedHeader({ kid, alg: 'RS256' }).sign(privateKey);
    expect(await rejectionOf(h.tokens.verifyAccessToken(forged))).toMatchObject(INVALID);
  });

  it('refuses a token of another pool, and a token whose issuer names another pool than its key', async () => {
    const otherPool = await h.newPool();
    const otherClient = await h.newClient(otherPool.id);
    const otherUser = await h.insertUser(otherPool.id);
    const other = await h.tokens.issueTokens({ pool: otherPool, client: otherClient, user: otherUser });
    // Verification says which pool a token belongs to; an operation for `pool` must compare it.
    await expect(h.tokens.verifyAccessToken(other.AccessToken)).resolves.toMatchObject({ userPoolId: otherPool.id });

    // An insider with pool A's private key cannot mint for pool B: the issuer must name the key's pool.
    const kid = decodeHeader(issued.AccessToken).kid as string;
    const pem = (await h.server.store.signingKeys.privateKeyPem(kid))!;
    const key = await importPKCS8(createPrivateKey(pem).export({ type: 'pkcs8', format: 'pem' }) as string, 'RS256');
    const claims = { ...decodePayload(other.AccessToken) };
    const crossed = await new SignJWT(claims).setProtectedHeader({ kid, alg: 'RS256' }).sign(key);
    expect(await rejectionOf(h.tokens.verifyAccessToken(crossed))).toMatchObject(INVALID);

    // Same key, right issuer, but a family that is not this user's.
    const mismatched = await new SignJWT({ ...decodePayload(issued.AccessToken), sub: otherUser.id })
      .setProtectedHeader({ kid, alg: 'RS256' })
      .sign(key);
    expect(await rejectionOf(h.tokens.verifyAccessToken(mismatched))).toMatchObject(INVALID);
  });

  it('refuses tokens of a deleted pool', async () => {
    const doomed = await h.newPool();
    const c = await h.newClient(doomed.id);
    const u = await h.insertUser(doomed.id);
    const t = await h.tokens.issueTokens({ pool: doomed, client: c, user: u });
    await expect(h.tokens.verifyAccessToken(t.AccessToken)).resolves.toBeDefined();
    await h.server.store.userPools.delete(doomed.id);
    expect(await rejectionOf(h.tokens.verifyAccessToken(t.AccessToken))).toMatchObject({ message: 'Access Token has been revoked' });
    const response = await fetch(`${h.server.url}/${doomed.id}/.well-known/jwks.json`);
    expect(response.status).toBe(404);
  });
});
