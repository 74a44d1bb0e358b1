import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePayload, rejectionOf, startTokensHarness, type TokensHarness } from './tokens-fixtures.js';
import type { UserPool } from '../src/domain/user-pools/user-pool.js';
import type { UserPoolClient } from '../src/domain/clients/user-pool-client.js';
import type { User } from '../src/domain/users/user.js';
import { hashRefreshToken } from '../src/domain/tokens/refresh-token.js';
import { CONCURRENT_USE_WINDOW_MS, type RefreshTokensInput, type TokenService } from '../src/domain/tokens/token-service.js';

// Refresh tokens, families, rotation with grace and reuse detection, revocation.

let h: TokensHarness;
let pool: UserPool;
let plain: UserPoolClient;
let rotating: UserPoolClient;
let strict: UserPoolClient;

beforeAll(async () => {
  h = await startTokensHarness();
  pool = await h.newPool();
  plain = await h.newClient(pool.id);
  rotating = await h.newClient(pool.id, { RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 10 } });
  strict = await h.newClient(pool.id, { RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 0 } });
});

afterAll(async () => {
  await h?.close();
});

const refresh = (client: UserPoolClient, refreshToken: string, extra: Partial<RefreshTokensInput> = {}, node: TokenService = h.tokens) =>
  node.refreshTokens({ pool, client, refreshToken, loadUser: (id) => h.loadUser(id), ...extra });

async function signIn(client: UserPoolClient, user?: User) {
  const u = user ?? (await h.insertUser(pool.id, { email: 'r@example.com' }));
  const tokens = await h.tokens.issueTokens({ pool, client, user: u });
  return { user: u, ...tokens, originJti: decodePayload(tokens.AccessToken).origin_jti as string };
}

describe('refreshing', () => {
  it('issues new ID and access tokens in the same family, without a refresh token when rotation is off', async () => {
    const session = await signIn(plain);
    h.server.clock.advance(5_000);
    const result = await refresh(plain, session.RefreshToken);
    h.server.clock.advance(-5_000);
    expect(result).toEqual({ AccessToken: expect.any(String), IdToken: expect.any(String), ExpiresIn: 3600, TokenType: 'Bearer' });
    expect(result).not.toHaveProperty('RefreshToken');
    for (const [before, after] of [
      [session.AccessToken, result.AccessToken],
      [session.IdToken, result.IdToken],
    ] as const) {
      const old = decodePayload(before);
      const fresh = decodePayload(after);
      expect(fresh.origin_jti).toBe(old.origin_jti);
      expect(fresh.auth_time).toBe(old.auth_time);
      expect(fresh.jti).not.toBe(old.jti);
      expect(fresh.event_id).not.toBe(old.event_id);
      // The test clock runs with real time on top of the 5 s it was moved.
      expect(fresh.iat as number).toBeGreaterThanOrEqual((old.iat as number) + 5);
      expect(fresh.iat as number).toBeLessThanOrEqual((old.iat as number) + 7);
    }
    await h.verifyWithJose(result.IdToken, pool.id, { audience: plain.id });
    // Without rotation the same refresh token keeps working.
    await expect(refresh(plain, session.RefreshToken)).resolves.toHaveProperty('AccessToken');
  });

  it('passes groups and keeps the device key of the session', async () => {
    const user = await h.insertUser(pool.id);
    const session = await h.tokens.issueTokens({ pool, client: plain, user, deviceKey: 'us-east-1_dev1' });
    const result = await refresh(plain, session.RefreshToken, { deviceKey: 'us-east-1_dev1', loadGroups: async () => ['g1'] });
    const access = decodePayload(result.AccessToken);
    expect(access.device_key).toBe('us-east-1_dev1');
    expect(access['cognito:groups']).toEqual(['g1']);
    // A device-bound session refreshes only from its device.
    for (const deviceKey of [undefined, 'us-east-1_other']) {
      const error = await rejectionOf(refresh(plain, session.RefreshToken, deviceKey ? { deviceKey } : {}));
      expect(error).toMatchObject({ name: 'NotAuthorizedException', message: 'Invalid Refresh Token.' });
    }
  });

  it('refuses unknown tokens, tokens of another client and tokens of another pool', async () => {
    const session = await signIn(plain);
    for (const token of ['', 'x', 'A'.repeat(43), session.AccessToken, `${session.RefreshToken}x`]) {
      expect(await rejectionOf(refresh(plain, token))).toMatchObject({ name: 'NotAuthorizedException', message: 'Invalid Refresh Token.' });
    }
    expect(await rejectionOf(refresh(rotating, session.RefreshToken))).toMatchObject({ message: 'Invalid Refresh Token.' });
    const otherPool = await h.newPool();
    const otherClient = { ...plain, userPoolId: otherPool.id };
    expect(
      await rejectionOf(h.tokens.refreshTokens({ pool: otherPool, client: otherClient, refreshToken: session.RefreshToken, loadUser: h.loadUser })),
    ).toMatchObject({ message: 'Invalid Refresh Token.' });
  });

  it('refuses a token whose session has reached its absolute expiry', async () => {
    const short = await h.newClient(pool.id, { RefreshTokenValidity: 60, TokenValidityUnits: { RefreshToken: 'minutes' } });
    const session = await signIn(short);
    h.server.clock.advance(59 * 60_000);
    await expect(refresh(short, session.RefreshToken)).resolves.toHaveProperty('IdToken');
    h.server.clock.advance(60_000);
    expect(await rejectionOf(refresh(short, session.RefreshToken))).toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Refresh Token has expired',
    });
    h.server.clock.advance(-60 * 60_000);
  });

  it('refuses disabled and deleted users', async () => {
    const session = await signIn(plain);
    await h.setEnabled(session.user.id, false);
    expect(await rejectionOf(refresh(plain, session.RefreshToken))).toMatchObject({ name: 'NotAuthorizedException', message: 'User is disabled.' });
    await h.setEnabled(session.user.id, true);
    await expect(refresh(plain, session.RefreshToken)).resolves.toHaveProperty('AccessToken');
    // A user the loader cannot find (the row is still there, so the family is too).
    expect(await rejectionOf(refresh(plain, session.RefreshToken, { loadUser: async () => undefined }))).toMatchObject({
      name: 'NotAuthorizedException',
      message: 'User does not exist.',
    });
    // Deleting the user deletes its sessions with it.
    await h.deleteUser(session.user.id);
    expect(await rejectionOf(refresh(plain, session.RefreshToken))).toMatchObject({ message: 'Invalid Refresh Token.' });
    expect(await rejectionOf(h.tokens.verifyAccessToken(session.AccessToken))).toMatchObject({ message: 'Access Token has been revoked' });
  });
});

describe('rotation', () => {
  it('returns a new refresh token; the old one works within the grace period, then its reuse revokes the family', async () => {
    const session = await signIn(rotating);
    const first = await refresh(rotating, session.RefreshToken);
    expect(first.RefreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.RefreshToken).not.toBe(session.RefreshToken);
    expect(decodePayload(first.AccessToken).origin_jti).toBe(session.originJti);

    // A retry within 10 s (the client lost the answer) still works and gets its own new token.
    h.server.clock.advance(9_000);
    const retry = await refresh(rotating, session.RefreshToken);
    expect(retry.RefreshToken).toBeDefined();
    expect(retry.RefreshToken).not.toBe(first.RefreshToken);

    // The new token rotates normally.
    const second = await refresh(rotating, first.RefreshToken!);
    expect(second.RefreshToken).toBeDefined();

    // After the grace period the old token is dead, and presenting it ends the whole session.
    h.server.clock.advance(2_000);
    const reuse = await rejectionOf(refresh(rotating, session.RefreshToken));
    expect(reuse).toMatchObject({ name: 'RefreshTokenReuseException' });
    expect(await rejectionOf(refresh(rotating, second.RefreshToken!))).toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Refresh Token has been revoked',
    });
    expect(await rejectionOf(h.tokens.verifyAccessToken(second.AccessToken))).toMatchObject({ message: 'Access Token has been revoked' });
    h.server.clock.advance(-11_000);
  });

  it('without a grace period kills the old token at once; a duplicate right away fails, a replay later revokes', async () => {
    const session = await signIn(strict);
    const next = await refresh(strict, session.RefreshToken);
    // Within the concurrent-use window: refused, but taken for a duplicate request.
    expect(await rejectionOf(refresh(strict, session.RefreshToken))).toMatchObject({ name: 'RefreshTokenReuseException' });
    const later = await refresh(strict, next.RefreshToken!);
    // Past it: a replay, which ends the session.
    h.server.clock.advance(CONCURRENT_USE_WINDOW_MS);
    expect(await rejectionOf(refresh(strict, session.RefreshToken))).toMatchObject({ name: 'RefreshTokenReuseException' });
    expect(await rejectionOf(refresh(strict, later.RefreshToken!))).toMatchObject({ message: 'Refresh Token has been revoked' });
    h.server.clock.advance(-CONCURRENT_USE_WINDOW_MS);
  });

  it('lets exactly one of several concurrent uses of one token rotate it', async () => {
    const session = await signIn(strict);
    // Several nodes (own caches, their own connections from the pool) present the same token at once.
    const nodes = [h.tokens, h.newNode(), h.newNode(), h.newNode()];
    const outcomes = await Promise.allSettled(nodes.map((node) => refresh(strict, session.RefreshToken, {}, node)));
    const won = outcomes.filter((o): o is PromiseFulfilledResult<Awaited<ReturnType<TokenService['refreshTokens']>>> => o.status === 'fulfilled');
    const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(won).toHaveLength(1);
    for (const loss of lost) expect((loss.reason as Error).name).toBe('RefreshTokenReuseException');
    // The race did not end the winner's session.
    const rows = await h.raw.selectFrom('refresh_tokens').selectAll().where('family_id', '=', session.originJti).execute();
    expect(rows).toHaveLength(2);
    await expect(refresh(strict, won[0]!.value.RefreshToken!)).resolves.toHaveProperty('RefreshToken');
    await expect(h.tokens.verifyAccessToken(won[0]!.value.AccessToken)).resolves.toBeDefined();
  });

  it('rotates a stored token at most once, however many writers race (the store’s compare-and-set)', async () => {
    const session = await signIn(strict);
    const oldHash = hashRefreshToken(session.RefreshToken);
    const at = h.server.clock.now();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => h.server.store.tokenFamilies.rotate(oldHash, hashRefreshToken(`next-${i}`), session.originJti, at)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const rows = await h.raw.selectFrom('refresh_tokens').selectAll().where('family_id', '=', session.originJti).execute();
    expect(rows).toHaveLength(2);
  });

  it('lets concurrent uses within a grace period all succeed', async () => {
    const session = await signIn(rotating);
    const results = await Promise.all([h.tokens, h.newNode(), h.newNode()].map((node) => refresh(rotating, session.RefreshToken, {}, node)));
    expect(new Set(results.map((r) => r.RefreshToken)).size).toBe(3);
    const rows = await h.raw.selectFrom('refresh_tokens').selectAll().where('family_id', '=', session.originJti).execute();
    expect(rows.filter((r) => r.superseded_at !== null)).toHaveLength(1);
  });
});

describe('revocation', () => {
  it('RevokeToken revokes the family: its refresh and access tokens stop working, other sessions do not', async () => {
    const session = await signIn(plain);
    const other = await signIn(plain, session.user);
    const refreshed = await refresh(plain, session.RefreshToken);
    await h.tokens.revokeRefreshToken({ client: plain, token: session.RefreshToken });
    expect(await rejectionOf(refresh(plain, session.RefreshToken))).toMatchObject({ message: 'Refresh Token has been revoked' });
    for (const token of [session.AccessToken, refreshed.AccessToken]) {
      expect(await rejectionOf(h.tokens.verifyAccessToken(token))).toMatchObject({
        name: 'NotAuthorizedException',
        message: 'Access Token has been revoked',
      });
    }
    await expect(h.tokens.verifyAccessToken(other.AccessToken)).resolves.toBeDefined();
    await expect(refresh(plain, other.RefreshToken)).resolves.toBeDefined();
    // Revoking again is harmless.
    await expect(h.tokens.revokeRefreshToken({ client: plain, token: session.RefreshToken })).resolves.toBeUndefined();
  });

  it('RevokeToken answers unknown tokens and other clients’ tokens with success and leaves them alone', async () => {
    const session = await signIn(plain);
    await expect(h.tokens.revokeRefreshToken({ client: plain, token: 'A'.repeat(43) })).resolves.toBeUndefined();
    await expect(h.tokens.revokeRefreshToken({ client: plain, token: 'not=a+token' })).resolves.toBeUndefined();
    await expect(h.tokens.revokeRefreshToken({ client: rotating, token: session.RefreshToken })).resolves.toBeUndefined();
    await expect(refresh(plain, session.RefreshToken)).resolves.toBeDefined();
  });

  it('RevokeToken refuses access and ID tokens, and clients with token revocation off', async () => {
    const session = await signIn(plain);
    for (const token of [session.AccessToken, session.IdToken]) {
      expect(await rejectionOf(h.tokens.revokeRefreshToken({ client: plain, token }))).toMatchObject({ name: 'UnsupportedTokenTypeException' });
    }
    const noRevocation = await h.newClient(pool.id, { EnableTokenRevocation: false });
    const s2 = await signIn(noRevocation);
    expect(await rejectionOf(h.tokens.revokeRefreshToken({ client: noRevocation, token: s2.RefreshToken }))).toMatchObject({
      name: 'UnsupportedOperationException',
    });
    await expect(refresh(noRevocation, s2.RefreshToken)).resolves.toBeDefined();
  });

  it('revokeAllForUser ends every session of the user and only theirs', async () => {
    const a = await signIn(plain);
    const b = await signIn(rotating, a.user);
    const bystander = await signIn(plain);
    expect(await h.tokens.revokeAllForUser(a.user.id)).toBe(2);
    for (const s of [a, b]) {
      expect(await rejectionOf(h.tokens.verifyAccessToken(s.AccessToken))).toMatchObject({ message: 'Access Token has been revoked' });
    }
    expect(await rejectionOf(refresh(plain, a.RefreshToken))).toMatchObject({ message: 'Refresh Token has been revoked' });
    expect(await rejectionOf(refresh(rotating, b.RefreshToken))).toMatchObject({ message: 'Refresh Token has been revoked' });
    await expect(h.tokens.verifyAccessToken(bystander.AccessToken)).resolves.toBeDefined();
    expect(await h.tokens.revokeAllForUser(a.user.id)).toBe(0);
    // A new sign-in after a global sign-out works.
    const again = await signIn(plain, a.user);
    await expect(h.tokens.verifyAccessToken(again.AccessToken)).resolves.toBeDefined();
  });
});
