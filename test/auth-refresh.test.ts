import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminInitiateAuthCommand,
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  InitiateAuthCommand,
  RevokeTokenCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import { startTestServer, type TestServer } from './support/test-server.js';
import { adminUser, createClient, createPool, expectError, passwordSignIn, secretHash, unique, withClockAdvanced } from './support/cognito.js';

// Refreshing a session: REFRESH_TOKEN_AUTH (InitiateAuth, AdminInitiateAuth) and
// GetTokensFromRefreshToken, with rotation, its grace period and reuse detection; concurrent use
// of one refresh token; SECRET_HASH and ClientSecret; RevokeToken.

let server: TestServer;
let idp: CognitoIdentityProviderClient;
let poolId: string;
let plainClientId: string;
let rotatingClientId: string;
let strictClientId: string;

const REVOKED_ACCESS = { name: 'NotAuthorizedException', message: 'Access Token has been revoked' };
const REVOKED_REFRESH = { name: 'NotAuthorizedException', message: 'Refresh Token has been revoked' };
const REUSED = { name: 'RefreshTokenReuseException' };

beforeAll(async () => {
  server = await startTestServer();
  idp = server.client();
  poolId = await createPool(idp);
  ({ clientId: plainClientId } = await createClient(idp, poolId));
  ({ clientId: rotatingClientId } = await createClient(idp, poolId, { RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 10 } }));
  ({ clientId: strictClientId } = await createClient(idp, poolId, { RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 0 } }));
});

afterAll(async () => {
  await server?.close();
});

async function signedIn(clientId: string, username?: string) {
  const name = username ?? unique('r');
  if (!username) await adminUser(idp, poolId, name);
  return { username: name, ...(await passwordSignIn(idp, clientId, name)) };
}

const refreshAuth = (clientId: string, refreshToken: string, extra: Record<string, string> = {}) =>
  idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: refreshToken, ...extra } }));
const getTokens = (clientId: string, refreshToken: string, clientSecret?: string) =>
  idp.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: refreshToken, ...(clientSecret ? { ClientSecret: clientSecret } : {}) }));
const getUser = (accessToken: string) => idp.send(new GetUserCommand({ AccessToken: accessToken }));

describe('REFRESH_TOKEN_AUTH without rotation', () => {
  it('issues new ID and access tokens in the same session, and keeps the refresh token', async () => {
    const session = await signedIn(plainClientId);
    const { AuthenticationResult: result } = await refreshAuth(plainClientId, session.RefreshToken);
    expect(result).toMatchObject({ AccessToken: expect.any(String), IdToken: expect.any(String), ExpiresIn: 3600, TokenType: 'Bearer' });
    expect(result!.RefreshToken).toBeUndefined();
    const before = decodeJwt(session.AccessToken);
    const after = decodeJwt(result!.AccessToken!);
    expect(after.origin_jti).toBe(before.origin_jti);
    expect(after.auth_time).toBe(before.auth_time);
    expect(after.jti).not.toBe(before.jti);
    await expect(getUser(result!.AccessToken!)).resolves.toHaveProperty('Username', session.username);
    await expect(refreshAuth(plainClientId, session.RefreshToken)).resolves.toHaveProperty('AuthenticationResult.AccessToken');
  });

  it('works through AdminInitiateAuth and GetTokensFromRefreshToken too', async () => {
    const session = await signedIn(plainClientId);
    const admin = await idp.send(
      new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: plainClientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: session.RefreshToken } }),
    );
    expect(admin.AuthenticationResult?.AccessToken).toEqual(expect.any(String));
    const fromRefresh = await getTokens(plainClientId, session.RefreshToken);
    expect(fromRefresh.AuthenticationResult?.AccessToken).toEqual(expect.any(String));
    expect(fromRefresh.AuthenticationResult?.RefreshToken).toBeUndefined();
  });

  it('lets one refresh token be used twice at once', async () => {
    const session = await signedIn(plainClientId);
    const results = await Promise.all([refreshAuth(plainClientId, session.RefreshToken), refreshAuth(plainClientId, session.RefreshToken)]);
    expect(results.map((r) => decodeJwt(r.AuthenticationResult!.AccessToken!).origin_jti)).toEqual([
      decodeJwt(session.AccessToken).origin_jti,
      decodeJwt(session.AccessToken).origin_jti,
    ]);
  });

  it('refuses unknown tokens, and tokens of another client', async () => {
    const session = await signedIn(plainClientId);
    await expectError(refreshAuth(plainClientId, 'x'.repeat(43)), { name: 'NotAuthorizedException', message: 'Invalid Refresh Token.' });
    await expectError(refreshAuth(plainClientId, 'not a token at all'), { name: 'NotAuthorizedException', message: 'Invalid Refresh Token.' });
    const { clientId: other } = await createClient(idp, poolId);
    await expectError(refreshAuth(other, session.RefreshToken), { name: 'NotAuthorizedException', message: 'Invalid Refresh Token.' });
  });

  it('refuses a client whose flows leave out ALLOW_REFRESH_TOKEN_AUTH', async () => {
    const { clientId } = await createClient(idp, poolId, { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] });
    const session = await signedIn(clientId);
    await expectError(refreshAuth(clientId, session.RefreshToken), {
      name: 'InvalidParameterException',
      message: 'REFRESH_TOKEN_AUTH flow not enabled for this client',
    });
  });

  it('asks for REFRESH_TOKEN', async () => {
    await expectError(idp.send(new InitiateAuthCommand({ ClientId: plainClientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: {} })), {
      name: 'InvalidParameterException',
      message: 'Missing required parameter REFRESH_TOKEN',
    });
  });
});

describe('client secrets', () => {
  it('REFRESH_TOKEN_AUTH needs the SECRET_HASH of the user, GetTokensFromRefreshToken the ClientSecret', async () => {
    const { clientId, clientSecret } = await createClient(idp, poolId, { GenerateSecret: true });
    const username = unique('sec');
    await adminUser(idp, poolId, username);
    const session = await passwordSignIn(idp, clientId, username, undefined, { SECRET_HASH: secretHash(clientSecret!, username, clientId) });
    await expectError(refreshAuth(clientId, session.RefreshToken), {
      name: 'NotAuthorizedException',
      message: `Client ${clientId} is configured for secret but secret was not received`,
    });
    await expectError(refreshAuth(clientId, session.RefreshToken, { SECRET_HASH: secretHash(clientSecret!, 'someone-else', clientId) }), {
      name: 'NotAuthorizedException',
      message: `Unable to verify secret hash for client ${clientId}`,
    });
    await expect(
      refreshAuth(clientId, session.RefreshToken, { SECRET_HASH: secretHash(clientSecret!, username, clientId) }),
    ).resolves.toHaveProperty('AuthenticationResult.AccessToken');

    await expectError(getTokens(clientId, session.RefreshToken), {
      name: 'NotAuthorizedException',
      message: `Client ${clientId} is configured for secret but secret was not received`,
    });
    await expectError(getTokens(clientId, session.RefreshToken, 'x'.repeat(clientSecret!.length)), {
      name: 'NotAuthorizedException',
      message: `Unable to verify secret hash for client ${clientId}`,
    });
    await expect(getTokens(clientId, session.RefreshToken, clientSecret)).resolves.toHaveProperty('AuthenticationResult.AccessToken');
  });
});

describe('GetTokensFromRefreshToken with rotation', () => {
  it('issues a new refresh token each time; the old one lasts the grace period, then reuse ends the session', async () => {
    const session = await signedIn(rotatingClientId);
    const first = (await getTokens(rotatingClientId, session.RefreshToken)).AuthenticationResult!;
    expect(first.RefreshToken).toEqual(expect.any(String));
    expect(first.RefreshToken).not.toBe(session.RefreshToken);
    expect(decodeJwt(first.AccessToken!).origin_jti).toBe(decodeJwt(session.AccessToken).origin_jti);

    // A retry with the old token inside the grace period is answered, with yet another token.
    const retried = await withClockAdvanced(server, 9_000, () => getTokens(rotatingClientId, session.RefreshToken));
    expect(retried.AuthenticationResult!.RefreshToken).toEqual(expect.any(String));

    // After it (and the concurrent-request window), the old token is a replay: it fails and
    // revokes the whole session.
    await withClockAdvanced(server, 15_000, async () => {
      await expectError(getTokens(rotatingClientId, session.RefreshToken), REUSED);
      await expectError(getTokens(rotatingClientId, first.RefreshToken!), REVOKED_REFRESH);
      await expectError(getUser(first.AccessToken!), REVOKED_ACCESS);
      await expectError(getUser(session.AccessToken), REVOKED_ACCESS);
    });
  });

  it('keeps the newest refresh token working', async () => {
    const session = await signedIn(rotatingClientId);
    let token = session.RefreshToken;
    for (let i = 0; i < 3; i++) token = (await getTokens(rotatingClientId, token)).AuthenticationResult!.RefreshToken!;
    const last = (await getTokens(rotatingClientId, token)).AuthenticationResult!;
    await expect(getUser(last.AccessToken!)).resolves.toHaveProperty('Username', session.username);
  });

  it('without a grace period, refuses the old token at once', async () => {
    const session = await signedIn(strictClientId);
    const next = (await getTokens(strictClientId, session.RefreshToken)).AuthenticationResult!;
    await expectError(getTokens(strictClientId, session.RefreshToken), REUSED);
    // Inside the concurrent-request window the session survives…
    await expect(getTokens(strictClientId, next.RefreshToken!)).resolves.toHaveProperty('AuthenticationResult.RefreshToken');
  });

  it('lets exactly one of two concurrent uses of one token rotate it without a grace period, and keeps the session', async () => {
    const session = await signedIn(strictClientId);
    const results = await Promise.allSettled([getTokens(strictClientId, session.RefreshToken), getTokens(strictClientId, session.RefreshToken)]);
    const won = results.filter((r): r is PromiseFulfilledResult<Awaited<ReturnType<typeof getTokens>>> => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost.map((r) => r.reason.name)).toEqual(['RefreshTokenReuseException']);
    await expect(getTokens(strictClientId, won[0]!.value.AuthenticationResult!.RefreshToken!)).resolves.toHaveProperty('AuthenticationResult.AccessToken');
  });

  it('answers both of two concurrent uses inside a grace period', async () => {
    const session = await signedIn(rotatingClientId);
    const results = await Promise.all([getTokens(rotatingClientId, session.RefreshToken), getTokens(rotatingClientId, session.RefreshToken)]);
    const tokens = results.map((r) => r.AuthenticationResult!.RefreshToken!);
    expect(new Set(tokens).size).toBe(2);
    for (const token of tokens) await expect(getTokens(rotatingClientId, token)).resolves.toHaveProperty('AuthenticationResult.AccessToken');
  });

  it('is the only way to refresh on a rotating client: REFRESH_TOKEN_AUTH is refused', async () => {
    const session = await signedIn(rotatingClientId);
    await expectError(refreshAuth(rotatingClientId, session.RefreshToken), {
      name: 'InvalidParameterException',
      message: 'REFRESH_TOKEN_AUTH cannot be used when refresh token rotation is enabled for the client; use GetTokensFromRefreshToken.',
    });
    // …and the refusal did not use up the token.
    await expect(getTokens(rotatingClientId, session.RefreshToken)).resolves.toHaveProperty('AuthenticationResult.RefreshToken');
  });
});

describe('RevokeToken', () => {
  it("ends the refresh token's session: its refresh and access tokens stop working, other sessions go on", async () => {
    const session = await signedIn(plainClientId);
    const other = await signedIn(plainClientId, session.username);
    await idp.send(new RevokeTokenCommand({ ClientId: plainClientId, Token: session.RefreshToken }));
    await expectError(refreshAuth(plainClientId, session.RefreshToken), REVOKED_REFRESH);
    await expectError(getUser(session.AccessToken), REVOKED_ACCESS);
    await expect(getUser(other.AccessToken)).resolves.toHaveProperty('Username', session.username);
    await expect(refreshAuth(plainClientId, other.RefreshToken)).resolves.toHaveProperty('AuthenticationResult.AccessToken');
    // Revoking again is fine.
    await idp.send(new RevokeTokenCommand({ ClientId: plainClientId, Token: session.RefreshToken }));
  });

  it('refuses an access token, and succeeds quietly for an unknown refresh token or another client\'s', async () => {
    const session = await signedIn(plainClientId);
    await expectError(idp.send(new RevokeTokenCommand({ ClientId: plainClientId, Token: session.AccessToken })), {
      name: 'UnsupportedTokenTypeException',
    });
    await idp.send(new RevokeTokenCommand({ ClientId: plainClientId, Token: 'y'.repeat(43) }));
    await idp.send(new RevokeTokenCommand({ ClientId: rotatingClientId, Token: session.RefreshToken }));
    await expect(refreshAuth(plainClientId, session.RefreshToken)).resolves.toHaveProperty('AuthenticationResult.AccessToken');
  });

  it('needs the ClientSecret of a client that has one', async () => {
    const { clientId, clientSecret } = await createClient(idp, poolId, { GenerateSecret: true });
    const username = unique('rv');
    await adminUser(idp, poolId, username);
    const session = await passwordSignIn(idp, clientId, username, undefined, { SECRET_HASH: secretHash(clientSecret!, username, clientId) });
    await expectError(idp.send(new RevokeTokenCommand({ ClientId: clientId, Token: session.RefreshToken })), { name: 'UnauthorizedException', message: 'Client authentication failed.' });
    await idp.send(new RevokeTokenCommand({ ClientId: clientId, Token: session.RefreshToken, ClientSecret: clientSecret }));
    await expectError(getUser(session.AccessToken), REVOKED_ACCESS);
  });

  it('is refused on a client with EnableTokenRevocation off', async () => {
    const { clientId } = await createClient(idp, poolId, { EnableTokenRevocation: false });
    const session = await signedIn(clientId);
    await expectError(idp.send(new RevokeTokenCommand({ ClientId: clientId, Token: session.RefreshToken })), { name: 'UnsupportedOperationException' });
  });
});
