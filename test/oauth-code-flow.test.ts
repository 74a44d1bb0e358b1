import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminGetUserCommand,
  CreateResourceServerCommand,
  GetUserCommand,
  InitiateAuthCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from './support/test-server.js';
import { PASSWORD, adminUser, createClient, createPool, unique } from './support/cognito.js';
import { CookieJar, authorizeUrl, csrfOf, pkce, signInThroughHostedUi } from './support/hosted-ui.js';

// The authorization code flow with plain HTTP: /oauth2/authorize → /login → code → /oauth2/token
// (PKCE S256), userInfo, refresh, revocation, SSO between two clients, logout; and the security
// rules: exact redirect_uri matching, single-use codes, PKCE required and never downgraded, CSRF.

let server: TestServer;
let idp: CognitoIdentityProviderClient;
let poolId: string;
let publicClient: string;
let confidential: { clientId: string; clientSecret: string };
let username: string;
const CALLBACK = 'https://app.example.com/callback';
const LOGOUT = 'https://app.example.com/signed-out';

beforeAll(async () => {
  server = await startTestServer();
  idp = server.client();
  poolId = await createPool(idp, { UsernameAttributes: ['email'] });
  await idp.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'api', Name: 'API', Scopes: [{ ScopeName: 'read', ScopeDescription: 'read' }] }));
  const oauth = {
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ['code' as const],
    AllowedOAuthScopes: ['openid', 'email', 'profile', 'aws.cognito.signin.user.admin', 'api/read'],
    CallbackURLs: [CALLBACK, 'http://127.0.0.1/native', 'myapp://callback'],
    LogoutURLs: [LOGOUT],
    SupportedIdentityProviders: ['COGNITO'],
  };
  publicClient = (await createClient(idp, poolId, oauth)).clientId;
  confidential = (await createClient(idp, poolId, { ...oauth, GenerateSecret: true })) as { clientId: string; clientSecret: string };
  username = `${unique('jane')}@example.com`;
  await adminUser(idp, poolId, username, { email: username, email_verified: 'true', name: 'Jane <b>Doe</b>' });
});
afterAll(async () => {
  await server?.close();
});

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

async function token(fields: Record<string, string>, headers: Record<string, string> = {}) {
  const init = form(fields);
  const response = await fetch(`${server.url}/oauth2/token`, { ...init, headers: { ...init.headers, ...headers } });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

async function codeFor(clientId: string, extra: Record<string, string> = {}, jar = new CookieJar()) {
  const { verifier, challenge } = pkce();
  const location = await signInThroughHostedUi(
    jar,
    server.url,
    { client_id: clientId, response_type: 'code', redirect_uri: CALLBACK, scope: 'openid email profile', state: 'xyz', code_challenge: challenge, code_challenge_method: 'S256', ...extra },
    username,
    PASSWORD,
  );
  return { location, code: location.searchParams.get('code')!, verifier, jar };
}

describe('the code flow', () => {
  it('signs in, redirects with code and state, and exchanges the code with PKCE', async () => {
    const { location, code, verifier, jar } = await codeFor(publicClient, { nonce: 'n-0S6_WzA2Mj' });
    expect(`${location.origin}${location.pathname}`).toBe(CALLBACK);
    expect(location.searchParams.get('state')).toBe('xyz');
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const session = [...jar.cookies.keys()].find((name) => name.startsWith('fd_session_'));
    expect(session).toBe(`fd_session_${poolId}`);

    const { status, body } = await token({ grant_type: 'authorization_code', client_id: publicClient, code, redirect_uri: CALLBACK, code_verifier: verifier });
    expect(status).toBe(200);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    const issuer = `${server.url}/${poolId}`;
    const jwks = createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`));
    const id = await jwtVerify(body.id_token!, jwks, { issuer, audience: publicClient });
    expect(id.payload).toMatchObject({ email: username, nonce: 'n-0S6_WzA2Mj', token_use: 'id' });
    const access = await jwtVerify(body.access_token!, jwks, { issuer });
    expect(access.payload).toMatchObject({ client_id: publicClient, scope: 'openid email profile', token_use: 'access' });

    const info = await fetch(`${server.url}/oauth2/userInfo`, { headers: { authorization: `Bearer ${body.access_token}` } });
    expect(info.status).toBe(200);
    expect(await info.json()).toMatchObject({ sub: id.payload.sub, email: username, email_verified: 'true', name: 'Jane <b>Doe</b>' });

    // Refresh keeps the granted scopes, and the ID token.
    const refreshed = await token({ grant_type: 'refresh_token', client_id: publicClient, refresh_token: body.refresh_token! });
    expect(refreshed.status).toBe(200);
    expect(decodeJwt(refreshed.body.access_token!).scope).toBe('openid email profile');
    expect(refreshed.body.id_token).toBeDefined();
    expect(refreshed.body.refresh_token).toBeUndefined();

    // Without aws.cognito.signin.user.admin the access token cannot call the user API.
    await expect(idp.send(new GetUserCommand({ AccessToken: body.access_token! }))).rejects.toMatchObject({ name: 'NotAuthorizedException' });

    // Revocation ends the session.
    const revoked = await fetch(`${server.url}/oauth2/revoke`, form({ token: body.refresh_token!, client_id: publicClient }));
    expect(revoked.status).toBe(200);
    expect((await token({ grant_type: 'refresh_token', client_id: publicClient, refresh_token: body.refresh_token! })).body.error).toBe('invalid_grant');
  });

  it('grants the admin scope and custom scopes when asked for', async () => {
    const { code, verifier } = await codeFor(publicClient, { scope: 'openid aws.cognito.signin.user.admin api/read' });
    const { body } = await token({ grant_type: 'authorization_code', client_id: publicClient, code, redirect_uri: CALLBACK, code_verifier: verifier });
    expect(decodeJwt(body.access_token!).scope).toBe('openid aws.cognito.signin.user.admin api/read');
    const user = await idp.send(new GetUserCommand({ AccessToken: body.access_token! }));
    expect(user.Username).toBeDefined();
  });

  it('works for a confidential client authenticating with HTTP Basic, without PKCE', async () => {
    const jar = new CookieJar();
    const location = await signInThroughHostedUi(
      jar,
      server.url,
      { client_id: confidential.clientId, response_type: 'code', redirect_uri: CALLBACK, scope: 'openid' },
      username,
      PASSWORD,
    );
    const code = location.searchParams.get('code')!;
    expect(location.searchParams.has('state')).toBe(false);
    const denied = await token({ grant_type: 'authorization_code', client_id: confidential.clientId, code, redirect_uri: CALLBACK });
    expect(denied).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    // The failed attempt never got as far as the code: it still works for its client.
    const { status, body } = await token(
      { grant_type: 'authorization_code', code, redirect_uri: CALLBACK },
      { authorization: basic(confidential.clientId, confidential.clientSecret) },
    );
    expect(status).toBe(200);
    expect(body.id_token).toBeDefined();
    // Introspection answers under the issuer path too, where discovery lists it.
    const introspected = await fetch(`${server.url}/${poolId}/oauth2/introspect`, {
      ...form({ token: body.access_token! }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(confidential.clientId, confidential.clientSecret) },
    });
    expect(await introspected.json()).toMatchObject({ active: true, client_id: confidential.clientId, scope: 'openid' });
  });

  it('signs a user in once for two clients of the pool (SSO), until logout', async () => {
    const jar = new CookieJar();
    await codeFor(publicClient, {}, jar);
    // The second client gets a code straight from /oauth2/authorize: no login page.
    const second = await jar.fetch(authorizeUrl(server.url, { client_id: confidential.clientId, response_type: 'code', redirect_uri: CALLBACK, scope: 'openid' }));
    expect(second.status).toBe(302);
    const location = new URL(second.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(CALLBACK);
    const { body } = await token(
      { grant_type: 'authorization_code', code: location.searchParams.get('code')!, redirect_uri: CALLBACK },
      { authorization: basic(confidential.clientId, confidential.clientSecret) },
    );
    expect(decodeJwt(body.id_token!).aud).toBe(confidential.clientId);
    // prompt=login asks again.
    const forced = await jar.fetch(authorizeUrl(server.url, { client_id: confidential.clientId, response_type: 'code', redirect_uri: CALLBACK, prompt: 'login' }));
    expect(new URL(forced.headers.get('location')!, server.url).pathname).toBe('/login');

    // Cognito's logout: client_id + logout_uri (registered) → cookie cleared, redirect.
    const out = await jar.fetch(`${server.url}/logout?${new URLSearchParams({ client_id: publicClient, logout_uri: LOGOUT })}`);
    expect(out.status).toBe(302);
    expect(out.headers.get('location')).toBe(LOGOUT);
    expect([...jar.cookies.keys()].some((name) => name.startsWith('fd_session_'))).toBe(false);
    const again = await jar.fetch(authorizeUrl(server.url, { client_id: confidential.clientId, response_type: 'code', redirect_uri: CALLBACK }));
    expect(new URL(again.headers.get('location')!, server.url).pathname).toBe('/login');
    // prompt=none without a session: login_required back to the client.
    const none = await jar.fetch(authorizeUrl(server.url, { client_id: confidential.clientId, response_type: 'code', redirect_uri: CALLBACK, prompt: 'none', state: 's' }));
    const noneLocation = new URL(none.headers.get('location')!);
    expect(Object.fromEntries(noneLocation.searchParams)).toMatchObject({ error: 'login_required', state: 's' });
  });

  it('supports RP-initiated logout with id_token_hint, post_logout_redirect_uri and state', async () => {
    const { code, verifier, jar } = await codeFor(publicClient);
    const { body } = await token({ grant_type: 'authorization_code', client_id: publicClient, code, redirect_uri: CALLBACK, code_verifier: verifier });
    const out = await jar.fetch(`${server.url}/${poolId}/logout?${new URLSearchParams({ id_token_hint: body.id_token!, post_logout_redirect_uri: LOGOUT, state: 'bye' })}`);
    expect(out.status).toBe(302);
    expect(out.headers.get('location')).toBe(`${LOGOUT}?state=bye`);
    // Unregistered targets, forged hints: an error page, no redirect.
    for (const params of [
      { client_id: publicClient, logout_uri: 'https://evil.example.com/' } as Record<string, string>,
      { id_token_hint: `${body.id_token!.slice(0, -4)}AAAA`, post_logout_redirect_uri: LOGOUT },
      { id_token_hint: body.access_token!, post_logout_redirect_uri: LOGOUT },
    ]) {
      const response = await fetch(`${server.url}/logout?${new URLSearchParams(params)}`, { redirect: 'manual' });
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
    }
  });

  it('ends SSO for a disabled user', async () => {
    const other = `${unique('dis')}@example.com`;
    await adminUser(idp, poolId, other, { email: other });
    const jar = new CookieJar();
    await signInThroughHostedUi(jar, server.url, { client_id: confidential.clientId, response_type: 'code', redirect_uri: CALLBACK }, other, PASSWORD);
    await idp.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: other }));
    const again = await jar.fetch(authorizeUrl(server.url, { client_id: confidential.clientId, response_type: 'code', redirect_uri: CALLBACK }));
    expect(new URL(again.headers.get('location')!, server.url).pathname).toBe('/login');
  });
});

describe('the new-password page and the implicit flow', () => {
  it('asks a user with a temporary password for a new one, then completes the sign-in', async () => {
    const temp = `${unique('temp')}@example.com`;
    await idp.send(
      new AdminCreateUserCommand({ UserPoolId: poolId, Username: temp, TemporaryPassword: 'Temp0rary-pass', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: temp }] }),
    );
    const jar = new CookieJar();
    const { verifier, challenge } = pkce();
    const login = `${server.url}/login?${new URLSearchParams({ client_id: publicClient, response_type: 'code', redirect_uri: CALLBACK, code_challenge: challenge, code_challenge_method: 'S256' })}`;
    const page = await (await jar.fetch(login)).text();
    const challengePage = await jar.fetch(login, form({ _csrf: csrfOf(page), username: temp, password: 'Temp0rary-pass' }));
    expect(challengePage.status).toBe(200);
    const html = await challengePage.text();
    expect(html).toContain('Choose a new password');
    const hidden = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)![1]!;
    const fields = { _csrf: csrfOf(html), challenge: 'NEW_PASSWORD_REQUIRED', session: hidden('session'), username: hidden('username') };
    // Mismatched confirmation and a weak password are caught without spending the session.
    const differ = await jar.fetch(login, form({ ...fields, new_password: 'N3w-password!', confirm_password: 'other' }));
    expect(await differ.text()).toContain('The passwords do not match.');
    const weak = await jar.fetch(login, form({ ...fields, new_password: 'short', confirm_password: 'short' }));
    expect(weak.status).toBe(400);
    expect(await weak.text()).toContain('Password did not conform with policy');
    const done = await jar.fetch(login, form({ ...fields, new_password: 'N3w-password!', confirm_password: 'N3w-password!' }));
    expect(done.status).toBe(302);
    const code = new URL(done.headers.get('location')!).searchParams.get('code')!;
    const { status } = await token({ grant_type: 'authorization_code', client_id: publicClient, code, redirect_uri: CALLBACK, code_verifier: verifier });
    expect(status).toBe(200);
    const user = await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: temp }));
    expect(user.UserStatus).toBe('CONFIRMED');
  });

  it('returns tokens in the fragment for response_type=token when the client allows the implicit flow', async () => {
    const implicit = (await createClient(idp, poolId, {
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['implicit'],
      AllowedOAuthScopes: ['openid', 'email'],
      CallbackURLs: [CALLBACK],
    })).clientId;
    const location = await signInThroughHostedUi(
      new CookieJar(),
      server.url,
      { client_id: implicit, response_type: 'token', redirect_uri: CALLBACK, scope: 'openid', state: 'imp', nonce: 'abc' },
      username,
      PASSWORD,
    );
    expect(location.search).toBe('');
    const fragment = new URLSearchParams(location.hash.slice(1));
    expect(fragment.get('state')).toBe('imp');
    expect(fragment.get('token_type')).toBe('Bearer');
    expect(fragment.has('refresh_token')).toBe(false);
    expect(decodeJwt(fragment.get('id_token')!)).toMatchObject({ aud: implicit, nonce: 'abc' });
    expect(decodeJwt(fragment.get('access_token')!).scope).toBe('openid');
  });
});

describe('security rules', () => {
  const authorizeParams = (extra: Record<string, string> = {}) => ({
    client_id: publicClient,
    response_type: 'code',
    redirect_uri: CALLBACK,
    code_challenge: pkce().challenge,
    code_challenge_method: 'S256',
    ...extra,
  });

  it('shows an error page, never a redirect, for an unknown client or unregistered redirect_uri', async () => {
    for (const params of [
      authorizeParams({ redirect_uri: 'https://evil.example.com/callback' }),
      authorizeParams({ redirect_uri: `${CALLBACK}/` }),
      authorizeParams({ redirect_uri: `${CALLBACK}?x=1` }),
      authorizeParams({ redirect_uri: 'https://APP.example.com/callback' }),
      authorizeParams({ redirect_uri: 'http://127.0.0.1.evil.com:8080/native' }),
      authorizeParams({ client_id: 'nosuchclient' }),
      { response_type: 'code', redirect_uri: CALLBACK },
      { client_id: publicClient, response_type: 'code' },
    ]) {
      for (const path of ['/oauth2/authorize', '/login']) {
        const response = await fetch(`${server.url}${path}?${new URLSearchParams(params as Record<string, string>)}`, { redirect: 'manual' });
        expect(response.status).toBe(400);
        expect(response.headers.get('location')).toBeNull();
        expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      }
    }
    // The client must belong to the pool whose endpoint was called.
    const other = await createPool(idp);
    const response = await fetch(authorizeUrl(`${server.url}/${other}`, authorizeParams()), { redirect: 'manual' });
    expect(response.status).toBe(400);
  });

  it('lets only the port of a loopback redirect_uri vary (RFC 8252)', async () => {
    const ok = await fetch(authorizeUrl(server.url, authorizeParams({ redirect_uri: 'http://127.0.0.1:53121/native' })), { redirect: 'manual' });
    expect(ok.status).toBe(302);
    expect(new URL(ok.headers.get('location')!, server.url).pathname).toBe('/login');
    const custom = await fetch(authorizeUrl(server.url, authorizeParams({ redirect_uri: 'myapp://callback' })), { redirect: 'manual' });
    expect(custom.status).toBe(302);
    for (const uri of ['http://127.0.0.1:53121/other', 'http://localhost:53121/native', 'https://127.0.0.1:53121/native']) {
      const response = await fetch(authorizeUrl(server.url, authorizeParams({ redirect_uri: uri })), { redirect: 'manual' });
      expect(response.status).toBe(400);
    }
  });

  it('sends other errors back to the client with RFC 6749 names and the state', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ response_type: 'id_token' }, 'unsupported_response_type'],
      [{ response_type: 'token' }, 'unauthorized_client'],
      [{ scope: 'openid phone' }, 'invalid_scope'],
      [{ code_challenge_method: 'plain' }, 'invalid_request'],
      [{ code_challenge_method: '' }, 'invalid_request'],
      [{ code_challenge: 'too-short' }, 'invalid_request'],
      [{ identity_provider: 'Google' }, 'invalid_request'],
    ];
    for (const [extra, error] of cases) {
      const request = authorizeParams({ state: 'st<>"', ...extra });
      if (extra.code_challenge_method === '') delete (request as Record<string, string>).code_challenge_method;
      const response = await fetch(authorizeUrl(server.url, request), { redirect: 'manual' });
      expect(response.status).toBe(302);
      const location = new URL(response.headers.get('location')!);
      expect(`${location.origin}${location.pathname}`).toBe(CALLBACK);
      // Errors of the implicit flow travel in the fragment (RFC 6749 §4.2.2.1).
      const params = extra.response_type === 'token' ? new URLSearchParams(location.hash.slice(1)) : location.searchParams;
      expect({ error: params.get('error'), state: params.get('state') }).toEqual({ error, state: 'st<>"' });
    }
  });

  it('requires PKCE from public clients', async () => {
    const params = authorizeParams();
    delete (params as Record<string, string>).code_challenge;
    delete (params as Record<string, string>).code_challenge_method;
    const response = await fetch(authorizeUrl(server.url, params), { redirect: 'manual' });
    const location = new URL(response.headers.get('location')!);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('error_description')).toMatch(/PKCE/);
  });

  it('refuses a wrong or missing verifier, and a verifier without a challenge (downgrade)', async () => {
    const { code } = await codeFor(publicClient);
    expect((await token({ grant_type: 'authorization_code', client_id: publicClient, code, redirect_uri: CALLBACK })).body.error).toBe('invalid_grant');
    const second = await codeFor(publicClient);
    expect(
      (await token({ grant_type: 'authorization_code', client_id: publicClient, code: second.code, redirect_uri: CALLBACK, code_verifier: pkce().verifier })).body.error,
    ).toBe('invalid_grant');
    // A failed verification uses the code up: the right verifier no longer helps.
    expect(
      (await token({ grant_type: 'authorization_code', client_id: publicClient, code: second.code, redirect_uri: CALLBACK, code_verifier: second.verifier })).body.error,
    ).toBe('invalid_grant');
    // Confidential client, no challenge at authorize, yet a verifier at the token endpoint.
    const jar = new CookieJar();
    const location = await signInThroughHostedUi(jar, server.url, { client_id: confidential.clientId, response_type: 'code', redirect_uri: CALLBACK }, username, PASSWORD);
    const downgrade = await token(
      { grant_type: 'authorization_code', code: location.searchParams.get('code')!, redirect_uri: CALLBACK, code_verifier: pkce().verifier },
      { authorization: basic(confidential.clientId, confidential.clientSecret) },
    );
    expect(downgrade.body.error).toBe('invalid_grant');
  });

  it('refuses a reused code and revokes what its first redemption issued', async () => {
    const { code, verifier } = await codeFor(publicClient);
    const exchange = () => token({ grant_type: 'authorization_code', client_id: publicClient, code, redirect_uri: CALLBACK, code_verifier: verifier });
    const first = await exchange();
    expect(first.status).toBe(200);
    const second = await exchange();
    expect(second).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect((await token({ grant_type: 'refresh_token', client_id: publicClient, refresh_token: first.body.refresh_token! })).body.error).toBe('invalid_grant');
    await expect(idp.send(new GetUserCommand({ AccessToken: first.body.access_token! }))).rejects.toMatchObject({ name: 'NotAuthorizedException' });
  });

  it('lets only one of two concurrent redemptions of a code succeed, and revokes its session', async () => {
    const { code, verifier } = await codeFor(publicClient);
    const exchange = () => token({ grant_type: 'authorization_code', client_id: publicClient, code, redirect_uri: CALLBACK, code_verifier: verifier });
    const results = await Promise.all([exchange(), exchange(), exchange()]);
    const winners = results.filter((r) => r.status === 200);
    expect(results.filter((r) => r.status === 400).every((r) => r.body.error === 'invalid_grant')).toBe(true);
    expect(winners.length).toBeLessThanOrEqual(1);
    // Whatever was issued is revoked: the code was presented more than once.
    for (const winner of winners) {
      expect((await token({ grant_type: 'refresh_token', client_id: publicClient, refresh_token: winner.body.refresh_token! })).body.error).toBe('invalid_grant');
    }
  });

  it('keeps an OAuth session to its granted scopes when it is refreshed through the API', async () => {
    const { code, verifier } = await codeFor(publicClient, { scope: 'openid' });
    const { body } = await token({ grant_type: 'authorization_code', client_id: publicClient, code, redirect_uri: CALLBACK, code_verifier: verifier });
    const refreshed = await idp.send(
      new InitiateAuthCommand({ ClientId: publicClient, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: body.refresh_token! } }),
    );
    expect(decodeJwt(refreshed.AuthenticationResult!.AccessToken!).scope).toBe('openid');
    await expect(idp.send(new GetUserCommand({ AccessToken: refreshed.AuthenticationResult!.AccessToken! }))).rejects.toMatchObject({ name: 'NotAuthorizedException' });
  });

  it('binds the code to its redirect_uri, its client, and five minutes', async () => {
    const a = await codeFor(publicClient);
    expect((await token({ grant_type: 'authorization_code', client_id: publicClient, code: a.code, redirect_uri: 'myapp://callback', code_verifier: a.verifier })).body.error).toBe('invalid_grant');
    const b = await codeFor(publicClient);
    expect(
      (await token({ grant_type: 'authorization_code', code: b.code, redirect_uri: CALLBACK, code_verifier: b.verifier }, { authorization: basic(confidential.clientId, confidential.clientSecret) })).body.error,
    ).toBe('invalid_grant');
    const c = await codeFor(publicClient);
    server.clock.advance(5 * 60 * 1000 + 1000);
    try {
      expect((await token({ grant_type: 'authorization_code', client_id: publicClient, code: c.code, redirect_uri: CALLBACK, code_verifier: c.verifier })).body.error).toBe('invalid_grant');
    } finally {
      server.clock.advance(-(5 * 60 * 1000 + 1000));
    }
  });

  it('refuses a login form without its CSRF token', async () => {
    const jar = new CookieJar();
    const login = `${server.url}/login?${new URLSearchParams(authorizeParams())}`;
    const page = await jar.fetch(login);
    const html = await page.text();
    expect(csrfOf(html)).not.toBe('');
    for (const fields of [{ username, password: PASSWORD } as Record<string, string>, { username, password: PASSWORD, _csrf: 'forged' }]) {
      const response = await jar.fetch(login, form(fields));
      expect(response.status).toBe(403);
      expect(response.headers.get('location')).toBeNull();
    }
    // A token from another browser (another cookie) is no good either.
    const other = new CookieJar();
    const response = await other.fetch(login, form({ username, password: PASSWORD, _csrf: csrfOf(html) }));
    expect(response.status).toBe(403);
  });

  it('serves pages with a strict CSP, no framing, and safe cookies', async () => {
    const jar = new CookieJar();
    const page = await jar.fetch(`${server.url}/login?${new URLSearchParams(authorizeParams())}`);
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/style-src 'nonce-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("form-action 'self' https://app.example.com");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    const html = await page.text();
    const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
    expect(html).toContain(`<style nonce="${nonce}">`);
    expect(html).not.toMatch(/<script/i);
    expect(html).toMatch(/<label for="username"[^>]*>/);
    expect(html).toMatch(/<label for="password"[^>]*>/);
    const setCookie = page.headers.getSetCookie().find((c) => c.startsWith('fd_csrf='))!;
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).not.toMatch(/Secure/); // plain http in tests; https public URLs add it
  });

  it('renders XSS payloads inert in every field and parameter', async () => {
    const payload = `"><script>alert(1)</script><img src=x onerror=alert(2)>'`;
    const jar = new CookieJar();
    const login = `${server.url}/login?${new URLSearchParams(authorizeParams({ state: payload, lang: payload, nonce: payload }))}`;
    const page = await jar.fetch(login);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    const posted = await jar.fetch(login, form({ _csrf: csrfOf(html), username: payload, password: 'wrong' }));
    const failed = await posted.text();
    expect(posted.status).toBe(400);
    expect(failed).toContain('Incorrect username or password.');
    expect(failed).not.toContain('<script>alert');
    expect(failed).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    const error = await fetch(`${server.url}/oauth2/authorize?${new URLSearchParams({ client_id: payload, redirect_uri: payload })}`);
    const errorHtml = await error.text();
    expect(errorHtml).not.toContain('<script>alert');
  });

  it('answers in French and German', async () => {
    const fr = await (await fetch(`${server.url}/login?${new URLSearchParams(authorizeParams({ lang: 'fr' }))}`)).text();
    expect(fr).toContain('<html lang="fr">');
    expect(fr).toContain('Mot de passe');
    const de = await (await fetch(`${server.url}/login?${new URLSearchParams(authorizeParams())}`, { headers: { 'accept-language': 'de-DE,de;q=0.9,en;q=0.5' } })).text();
    expect(de).toContain('<html lang="de">');
    expect(de).toContain('Passwort');
  });
});

describe('malformed requests', () => {
  it('answers an unreadable login form with an error page, and an unreadable token request with JSON', async () => {
    const page = await fetch(`${server.url}/login?client_id=x`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a'.repeat(2 * 1024 * 1024) });
    expect(page.status).toBe(413);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const json = await fetch(`${server.url}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a'.repeat(2 * 1024 * 1024) });
    expect(json.status).toBe(413);
    expect(((await json.json()) as { error: string }).error).toBe('invalid_request');
  });
});
