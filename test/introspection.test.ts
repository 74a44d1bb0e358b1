import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from './support/test-server.js';

describe('POST /oauth2/introspect (RFC 7662)', () => {
  let server: TestServer;
  let poolId: string;
  let webClientId: string;
  let api: { id: string; secret: string };
  let otherPoolApi: { id: string; secret: string };

  const introspect = (body: Record<string, string>, auth?: { id: string; secret: string }) =>
    fetch(new URL('/oauth2/introspect', server.url), {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(auth ? { authorization: `Basic ${Buffer.from(`${auth.id}:${auth.secret}`).toString('base64')}` } : {}),
      },
      body: new URLSearchParams(body).toString(),
    });

  const signIn = async (username: string) => {
    const result = await server
      .client()
      .send(new InitiateAuthCommand({ ClientId: webClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: 'Passw0rd!' } }));
    return result.AuthenticationResult!.AccessToken!;
  };

  beforeAll(async () => {
    server = await startTestServer();
    const admin = server.client();
    const confidential = async (UserPoolId: string) => {
      const { UserPoolClient } = await admin.send(new CreateUserPoolClientCommand({ UserPoolId, ClientName: 'api', GenerateSecret: true }));
      return { id: UserPoolClient!.ClientId!, secret: UserPoolClient!.ClientSecret! };
    };
    poolId = (await admin.send(new CreateUserPoolCommand({ PoolName: 'introspect' }))).UserPool!.Id!;
    const other = (await admin.send(new CreateUserPoolCommand({ PoolName: 'other' }))).UserPool!.Id!;
    const { UserPoolClient } = await admin.send(
      new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'web', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }),
    );
    webClientId = UserPoolClient!.ClientId!;
    api = await confidential(poolId);
    otherPoolApi = await confidential(other);
    for (const Username of ['ana', 'ben', 'cy']) {
      await admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username, MessageAction: 'SUPPRESS' }));
      await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username, Password: 'Passw0rd!', Permanent: true }));
    }
  });
  afterAll(async () => {
    await server?.close();
  });

  it("answers an active token with its claims, for a confidential client of the token's pool", async () => {
    const token = await signIn('ana');
    const response = await introspect({ token }, api);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = await response.json();
    expect(body).toMatchObject({
      active: true,
      token_type: 'Bearer',
      client_id: webClientId,
      username: 'ana',
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      iss: `${server.url}/${poolId}`,
    });
    // Client credentials in the body work as well as HTTP Basic.
    const viaBody = await introspect({ token, client_id: api.id, client_secret: api.secret });
    expect((await viaBody.json()).active).toBe(true);
  });

  it('turns inactive once the user signs out everywhere or is disabled', async () => {
    const token = await signIn('ben');
    await server.client().send(new GlobalSignOutCommand({ AccessToken: token }));
    expect(await (await introspect({ token }, api)).json()).toEqual({ active: false });

    const other = await signIn('cy');
    await server.client().send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'cy' }));
    expect(await (await introspect({ token: other }, api)).json()).toEqual({ active: false });
  });

  it('says inactive, and nothing more, for garbage, expired tokens and tokens of another pool', async () => {
    const token = await signIn('ana');
    expect(await (await introspect({ token: 'not-a-token' }, api)).json()).toEqual({ active: false });
    expect(await (await introspect({ token }, otherPoolApi)).json()).toEqual({ active: false });
    server.clock.advance(2 * 60 * 60 * 1000);
    try {
      expect(await (await introspect({ token }, api)).json()).toEqual({ active: false });
    } finally {
      server.clock.advance(-2 * 60 * 60 * 1000);
    }
  });

  it('refuses unauthenticated or wrongly authenticated callers and malformed requests', async () => {
    const token = await signIn('ana');
    const anonymous = await introspect({ token });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toContain('Basic');
    expect((await anonymous.json()).error).toBe('invalid_client');
    expect((await introspect({ token }, { id: api.id, secret: 'wrong' })).status).toBe(401);
    // A public client (no secret) cannot introspect.
    expect((await introspect({ token }, { id: webClientId, secret: '' })).status).toBe(401);
    const missing = await introspect({}, api);
    expect(missing.status).toBe(400);
    expect((await missing.json()).error).toBe('invalid_request');
    const json = await fetch(new URL('/oauth2/introspect', server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
    });
    expect(json.status).toBeGreaterThanOrEqual(400);
    expect(json.status).toBeLessThan(500);
  });
});
