import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GetUserCommand,
  InitiateAuthCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import { startTestServer, type TestServer } from './support/test-server.js';
import { DAY_MS, adminUser, createClient, createPool, expectError, passwordSignIn, unique, withClockAdvanced } from './support/cognito.js';

// Tokens from a real SDK sign-in, verified the way a resource server verifies Cognito's: jose
// against the pool's JWKS URL, issuer and audience checked. Exact claim sets, and lifetimes taken
// from the client's token validity settings.

let server: TestServer;
let idp: CognitoIdentityProviderClient;
let poolId: string;
let clientId: string;
let shortClientId: string;
let readLimitedClientId: string;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

beforeAll(async () => {
  server = await startTestServer();
  idp = server.client();
  poolId = await createPool(idp, { Schema: [{ Name: 'tenant', AttributeDataType: 'String', Mutable: true }] });
  ({ clientId } = await createClient(idp, poolId));
  ({ clientId: shortClientId } = await createClient(idp, poolId, {
    AccessTokenValidity: 5,
    IdTokenValidity: 2,
    RefreshTokenValidity: 1,
    TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'hours', RefreshToken: 'days' },
  }));
  ({ clientId: readLimitedClientId } = await createClient(idp, poolId, { ReadAttributes: ['email', 'email_verified'] }));
});

afterAll(async () => {
  await server?.close();
});

async function verify(token: string, audience?: string): Promise<JWTPayload> {
  const jwks = createRemoteJWKSet(new URL(`${server.url}/${poolId}/.well-known/jwks.json`));
  const { payload } = await jwtVerify(token, jwks, {
    issuer: `${server.url}/${poolId}`,
    algorithms: ['RS256'],
    currentDate: server.clock.now(),
    ...(audience ? { audience } : {}),
  });
  return payload;
}

async function user(): Promise<string> {
  const username = unique('t');
  await adminUser(idp, poolId, username, { email: `${username}@example.com`, email_verified: 'true', given_name: 'Tess', 'custom:tenant': 'acme' });
  return username;
}

describe('claims', () => {
  it('an ID token carries exactly Cognito\'s claims and the user\'s attributes', async () => {
    const username = await user();
    const tokens = await passwordSignIn(idp, clientId, username);
    const header = decodeProtectedHeader(tokens.IdToken);
    expect(header).toEqual({ kid: expect.any(String), alg: 'RS256' });
    const id = await verify(tokens.IdToken, clientId);
    expect(Object.keys(id).sort()).toEqual(
      [
        'sub',
        'email',
        'email_verified',
        'given_name',
        'custom:tenant',
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
    expect(id).toMatchObject({
      sub: expect.stringMatching(UUID),
      email: `${username}@example.com`,
      email_verified: true,
      given_name: 'Tess',
      'custom:tenant': 'acme',
      iss: `${server.url}/${poolId}`,
      'cognito:username': username,
      origin_jti: expect.stringMatching(UUID),
      aud: clientId,
      event_id: expect.stringMatching(UUID),
      token_use: 'id',
      jti: expect.stringMatching(UUID),
    });
    const now = Math.floor(server.clock.now().getTime() / 1000);
    expect(id.iat).toBeGreaterThanOrEqual(now - 5);
    expect(id.iat).toBeLessThanOrEqual(now);
    expect(id.auth_time).toBe(id.iat);
    expect(id.exp).toBe(id.iat! + 3600);
  });

  it('an access token carries exactly Cognito\'s claims, and shares the session ids with its ID token', async () => {
    const username = await user();
    const tokens = await passwordSignIn(idp, clientId, username);
    const access = await verify(tokens.AccessToken);
    expect(Object.keys(access).sort()).toEqual(
      ['sub', 'iss', 'client_id', 'origin_jti', 'event_id', 'token_use', 'scope', 'auth_time', 'exp', 'iat', 'jti', 'username'].sort(),
    );
    const id = await verify(tokens.IdToken, clientId);
    expect(access).toMatchObject({
      sub: id.sub,
      iss: `${server.url}/${poolId}`,
      client_id: clientId,
      origin_jti: id.origin_jti,
      event_id: id.event_id,
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      auth_time: id.auth_time,
      iat: id.iat,
      username,
    });
    expect(access.jti).not.toBe(id.jti);
    expect(access.exp).toBe(access.iat! + 3600);
    // An access token has no audience: verifying it for a client id as audience fails.
    await expect(verify(tokens.AccessToken, clientId)).rejects.toThrow(/aud/);
  });

  it("limits the ID token's attributes to the client's ReadAttributes", async () => {
    const username = await user();
    const id = await verify((await passwordSignIn(idp, readLimitedClientId, username)).IdToken, readLimitedClientId);
    expect(id).toMatchObject({ email: `${username}@example.com`, email_verified: true });
    expect(id).not.toHaveProperty('given_name');
    expect(id).not.toHaveProperty('custom:tenant');
    expect(id['cognito:username']).toBe(username);
  });

  it('starts a new session (origin_jti) with every sign-in', async () => {
    const username = await user();
    const first = await verify((await passwordSignIn(idp, clientId, username)).AccessToken);
    const second = await verify((await passwordSignIn(idp, clientId, username)).AccessToken);
    expect(first.origin_jti).not.toBe(second.origin_jti);
  });

  it('is refused by jose for another pool\'s issuer or a tampered payload', async () => {
    const username = await user();
    const tokens = await passwordSignIn(idp, clientId, username);
    const jwks = createRemoteJWKSet(new URL(`${server.url}/${poolId}/.well-known/jwks.json`));
    await expect(jwtVerify(tokens.IdToken, jwks, { issuer: `${server.url}/us-east-1_other`, currentDate: server.clock.now() })).rejects.toThrow();
    const [h, p, s] = tokens.AccessToken.split('.');
    const forged = JSON.parse(Buffer.from(p!, 'base64url').toString());
    forged.username = 'admin';
    const tampered = [h, Buffer.from(JSON.stringify(forged)).toString('base64url'), s].join('.');
    await expect(jwtVerify(tampered, jwks, { currentDate: server.clock.now() })).rejects.toThrow(/signature/);
    await expectError(idp.send(new GetUserCommand({ AccessToken: tampered })), { name: 'NotAuthorizedException', message: 'Invalid Access Token' });
  });
});

describe("lifetimes from the client's token validity", () => {
  it('sets exp and ExpiresIn from AccessTokenValidity and IdTokenValidity in their units', async () => {
    const username = await user();
    const tokens = await passwordSignIn(idp, shortClientId, username);
    expect(tokens.ExpiresIn).toBe(300);
    const access = await verify(tokens.AccessToken);
    const id = await verify(tokens.IdToken, shortClientId);
    expect(access.exp! - access.iat!).toBe(300);
    expect(id.exp! - id.iat!).toBe(7200);
  });

  it('refuses an access token once it has expired', async () => {
    const username = await user();
    const tokens = await passwordSignIn(idp, shortClientId, username);
    await expect(idp.send(new GetUserCommand({ AccessToken: tokens.AccessToken }))).resolves.toHaveProperty('Username', username);
    await withClockAdvanced(server, 5 * 60_000 + 1_000, async () => {
      await expectError(idp.send(new GetUserCommand({ AccessToken: tokens.AccessToken })), {
        name: 'NotAuthorizedException',
        message: 'Access Token has expired',
      });
      await expect(verify(tokens.AccessToken)).rejects.toThrow(/exp/);
      // The ID token lives longer.
      await expect(verify(tokens.IdToken, shortClientId)).resolves.toHaveProperty('token_use', 'id');
    });
  });

  it('ends the refresh token after RefreshTokenValidity', async () => {
    const username = await user();
    const tokens = await passwordSignIn(idp, shortClientId, username);
    const refresh = () =>
      idp.send(new InitiateAuthCommand({ ClientId: shortClientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken } }));
    await withClockAdvanced(server, DAY_MS - 60_000, async () => {
      const refreshed = (await refresh()).AuthenticationResult!;
      const access = await verify(refreshed.AccessToken!);
      // auth_time stays the sign-in's, a day earlier.
      expect(access.iat! - (access.auth_time as number)).toBeGreaterThanOrEqual(DAY_MS / 1000 - 61);
    });
    await withClockAdvanced(server, DAY_MS + 60_000, async () => {
      await expectError(refresh(), { name: 'NotAuthorizedException', message: 'Refresh Token has expired' });
    });
  });
});

describe('the JWKS and discovery documents', () => {
  it('publish the key the tokens are signed with, and the issuer', async () => {
    const username = await user();
    const tokens = await passwordSignIn(idp, clientId, username);
    const jwks = (await (await fetch(`${server.url}/${poolId}/.well-known/jwks.json`)).json()) as { keys: Record<string, string>[] };
    const { kid } = decodeProtectedHeader(tokens.AccessToken);
    expect(jwks.keys.find((k) => k.kid === kid)).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB' });
    const discovery = (await (await fetch(`${server.url}/${poolId}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(discovery.issuer).toBe(`${server.url}/${poolId}`);
    expect(discovery.jwks_uri).toBe(`${server.url}/${poolId}/.well-known/jwks.json`);
  });

  it('answers 404 for a pool that does not exist', async () => {
    expect((await fetch(`${server.url}/us-east-1_nosuchpool/.well-known/jwks.json`)).status).toBe(404);
  });
});

