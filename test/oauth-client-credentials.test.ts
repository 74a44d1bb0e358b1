import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import {
  CreateResourceServerCommand,
  CreateUserPoolDomainCommand,
  DeleteResourceServerCommand,
  UpdateResourceServerCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from './support/test-server.js';
import { createClient, createPool, unique } from './support/cognito.js';
import { rawRequest } from './support/raw-http.js';

// client_credentials at /oauth2/token with plain HTTP: client authentication by HTTP Basic and by
// POST body, the granted `<identifier>/<scope>` scopes, Cognito's M2M claims, RFC 6749 errors, and
// the endpoint reachable at the root, under the issuer path and on the pool's prefix domain.

let server: TestServer;
let idp: CognitoIdentityProviderClient;
let poolId: string;
let m2m: { clientId: string; clientSecret: string };

beforeAll(async () => {
  server = await startTestServer();
  idp = server.client();
  poolId = await createPool(idp);
  await idp.send(
    new CreateResourceServerCommand({
      UserPoolId: poolId,
      Identifier: 'orders',
      Name: 'Orders',
      Scopes: [
        { ScopeName: 'read', ScopeDescription: 'Read orders' },
        { ScopeName: 'write', ScopeDescription: 'Write orders' },
        { ScopeName: 'admin', ScopeDescription: 'Not given to the client' },
      ],
    }),
  );
  const created = await createClient(idp, poolId, {
    GenerateSecret: true,
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ['client_credentials'],
    AllowedOAuthScopes: ['orders/read', 'orders/write'],
    AccessTokenValidity: 15,
    TokenValidityUnits: { AccessToken: 'minutes' },
  });
  m2m = created as { clientId: string; clientSecret: string };
});
afterAll(async () => {
  await server?.close();
});

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

async function tokenRequest(fields: Record<string, string>, headers: Record<string, string> = {}, path = '/oauth2/token', base = server.url) {
  if (headers.host) {
    const raw = await rawRequest(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: form(fields) });
    return { status: raw.status, headers: new Headers(raw.headers as Record<string, string>), body: JSON.parse(raw.body) as Record<string, unknown> };
  }
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: form(fields),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

describe('client_credentials', () => {
  it('issues an access token with every allowed scope, authenticated by HTTP Basic', async () => {
    const { status, headers, body } = await tokenRequest({ grant_type: 'client_credentials' }, { authorization: basic(m2m.clientId, m2m.clientSecret) });
    expect(status).toBe(200);
    expect(headers.get('cache-control')).toBe('no-store');
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
    expect(body).not.toHaveProperty('refresh_token');
    expect(body).not.toHaveProperty('id_token');
    const issuer = `${server.url}/${poolId}`;
    const { payload, protectedHeader } = await jwtVerify(body.access_token as string, createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`)), {
      issuer,
      algorithms: ['RS256'],
    });
    expect(protectedHeader.kid).toBeDefined();
    expect(payload).toMatchObject({ sub: m2m.clientId, client_id: m2m.clientId, token_use: 'access', scope: 'orders/read orders/write', version: 2 });
    expect(Object.keys(payload).sort()).toEqual(['auth_time', 'client_id', 'exp', 'iat', 'iss', 'jti', 'scope', 'sub', 'token_use', 'version']);
    expect(payload.exp! - payload.iat!).toBe(900);
  });

  it('authenticates by POST body and grants the requested scopes only', async () => {
    const { status, body } = await tokenRequest({
      grant_type: 'client_credentials',
      client_id: m2m.clientId,
      client_secret: m2m.clientSecret,
      scope: 'orders/read',
    });
    expect(status).toBe(200);
    expect(decodeJwt(body.access_token as string).scope).toBe('orders/read');
  });

  it('refuses scopes the client is not allowed (invalid_scope)', async () => {
    for (const scope of ['orders/admin', 'orders/read openid', 'nothing/here']) {
      const { status, body } = await tokenRequest({ grant_type: 'client_credentials', scope }, { authorization: basic(m2m.clientId, m2m.clientSecret) });
      expect({ status, error: body.error }).toEqual({ status: 400, error: 'invalid_scope' });
    }
  });

  it('stops granting scopes whose resource server changed', async () => {
    const pool = await createPool(idp);
    await idp.send(
      new CreateResourceServerCommand({ UserPoolId: pool, Identifier: 'tmp', Name: 'Tmp', Scopes: [{ ScopeName: 'a', ScopeDescription: 'a' }, { ScopeName: 'b', ScopeDescription: 'b' }] }),
    );
    const client = (await createClient(idp, pool, {
      GenerateSecret: true,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthScopes: ['tmp/a', 'tmp/b'],
    })) as { clientId: string; clientSecret: string };
    const auth = { authorization: basic(client.clientId, client.clientSecret) };
    await idp.send(new UpdateResourceServerCommand({ UserPoolId: pool, Identifier: 'tmp', Name: 'Tmp', Scopes: [{ ScopeName: 'a', ScopeDescription: 'a' }] }));
    expect(decodeJwt((await tokenRequest({ grant_type: 'client_credentials' }, auth)).body.access_token as string).scope).toBe('tmp/a');
    expect((await tokenRequest({ grant_type: 'client_credentials', scope: 'tmp/b' }, auth)).body.error).toBe('invalid_scope');
    await idp.send(new DeleteResourceServerCommand({ UserPoolId: pool, Identifier: 'tmp' }));
    expect((await tokenRequest({ grant_type: 'client_credentials' }, auth)).body.error).toBe('invalid_scope');
  });

  it('answers client authentication failures with 401 invalid_client', async () => {
    const cases: [Record<string, string>, Record<string, string>][] = [
      [{ grant_type: 'client_credentials' }, {}],
      [{ grant_type: 'client_credentials' }, { authorization: basic(m2m.clientId, 'wrong-secret') }],
      [{ grant_type: 'client_credentials', client_id: m2m.clientId }, {}],
      [{ grant_type: 'client_credentials', client_id: m2m.clientId, client_secret: `${m2m.clientSecret}x` }, {}],
      [{ grant_type: 'client_credentials' }, { authorization: basic('no-such-client', 'x') }],
    ];
    for (const [fields, headers] of cases) {
      const { status, body, headers: h } = await tokenRequest(fields, headers);
      expect({ status, error: body.error }).toEqual({ status: 401, error: 'invalid_client' });
      expect(h.get('www-authenticate')).toMatch(/^Basic/);
    }
  });

  it('uses RFC 6749 error names for bad requests', async () => {
    const auth = { authorization: basic(m2m.clientId, m2m.clientSecret) };
    expect((await tokenRequest({}, auth)).body.error).toBe('invalid_request');
    expect((await tokenRequest({ grant_type: 'password', username: 'x', password: 'y' }, auth)).body.error).toBe('unsupported_grant_type');
    expect((await tokenRequest({ grant_type: 'authorization_code', code: 'x', redirect_uri: 'https://x' }, auth)).body.error).toBe('unauthorized_client');
    // Two authentication methods at once, and repeated parameters, are refused.
    expect(
      (await tokenRequest({ grant_type: 'client_credentials', client_id: m2m.clientId, client_secret: m2m.clientSecret }, auth)).body.error,
    ).toBe('invalid_request');
    const repeated = await fetch(`${server.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...auth },
      body: 'grant_type=client_credentials&scope=orders/read&scope=orders/write',
    });
    expect(((await repeated.json()) as { error: string }).error).toBe('invalid_request');
    const json = await fetch(`${server.url}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: '{}' });
    expect(json.status).toBe(400);
    expect(((await json.json()) as { error: string }).error).toBe('invalid_request');
  });

  it('answers under the issuer path and on the pool’s domain, and only for that pool', async () => {
    const auth = { authorization: basic(m2m.clientId, m2m.clientSecret) };
    expect((await tokenRequest({ grant_type: 'client_credentials' }, auth, `/${poolId}/oauth2/token`)).status).toBe(200);
    const other = await createPool(idp);
    expect((await tokenRequest({ grant_type: 'client_credentials' }, auth, `/${other}/oauth2/token`)).body.error).toBe('invalid_client');
    expect((await tokenRequest({ grant_type: 'client_credentials' }, auth, '/us-east-1_nosuchpool/oauth2/token')).status).toBe(404);

    const prefix = unique('m2m').toLowerCase();
    await idp.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: prefix }));
    const viaDomain = await tokenRequest({ grant_type: 'client_credentials' }, { ...auth, host: `${prefix}.auth.localhost` });
    expect(viaDomain.status).toBe(200);
    const otherPrefix = unique('other').toLowerCase();
    await idp.send(new CreateUserPoolDomainCommand({ UserPoolId: other, Domain: otherPrefix }));
    expect((await tokenRequest({ grant_type: 'client_credentials' }, { ...auth, host: `${otherPrefix}.auth.localhost` })).body.error).toBe('invalid_client');
    expect((await tokenRequest({ grant_type: 'client_credentials' }, { ...auth, host: 'nosuchprefix.auth.localhost' })).status).toBe(404);
  });

  it('lists every endpoint in the discovery document', async () => {
    const discovery = (await (await fetch(`${server.url}/${poolId}/.well-known/openid-configuration`)).json()) as Record<string, string>;
    const issuer = `${server.url}/${poolId}`;
    expect(discovery).toMatchObject({
      issuer,
      authorization_endpoint: `${issuer}/oauth2/authorize`,
      token_endpoint: `${issuer}/oauth2/token`,
      userinfo_endpoint: `${issuer}/oauth2/userInfo`,
      revocation_endpoint: `${issuer}/oauth2/revoke`,
      end_session_endpoint: `${issuer}/logout`,
      introspection_endpoint: `${issuer}/oauth2/introspect`,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
    });
    // The M2M token verifies against the JWKS the document names.
    const { body } = await tokenRequest({ grant_type: 'client_credentials' }, { authorization: basic(m2m.clientId, m2m.clientSecret) }, discovery.token_endpoint!.slice(server.url.length));
    await jwtVerify(body.access_token as string, createRemoteJWKSet(new URL(discovery.jwks_uri!)), { issuer });
  });

  it('refuses M2M tokens at userInfo (no user, no openid scope)', async () => {
    const { body } = await tokenRequest({ grant_type: 'client_credentials' }, { authorization: basic(m2m.clientId, m2m.clientSecret) });
    const response = await fetch(`${server.url}/oauth2/userInfo`, { headers: { authorization: `Bearer ${body.access_token as string}` } });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect(((await response.json()) as { error: string }).error).toBe('invalid_token');
  });
});
