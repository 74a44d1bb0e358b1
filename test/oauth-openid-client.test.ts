import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as oidc from 'openid-client';
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from './support/test-server.js';
import { PASSWORD, adminUser, createClient, createPool, unique } from './support/cognito.js';
import { CookieJar, csrfOf } from './support/hosted-ui.js';

// A standard OpenID Connect relying-party library, openid-client v6, against Frontdesk: discovery,
// the authorization code flow with PKCE (public client) and with a client secret, the ID token's
// validation (issuer, audience, nonce, signature through the JWKS), userInfo and refresh.

let server: TestServer;
let idp: CognitoIdentityProviderClient;
let poolId: string;
const CALLBACK = 'http://127.0.0.1:8765/callback';
let username: string;

beforeAll(async () => {
  server = await startTestServer();
  idp = server.client();
  poolId = await createPool(idp);
  username = unique('rp');
  await adminUser(idp, poolId, username, { email: `${username}@example.com`, email_verified: 'true', given_name: 'Ada' });
});
afterAll(async () => {
  await server?.close();
});

/** Plays the browser: follows the authorization URL, signs in on the login page, returns the callback URL. */
async function browse(url: URL): Promise<URL> {
  const jar = new CookieJar();
  const start = await jar.fetch(url.href);
  const login = new URL(start.headers.get('location')!, url);
  const page = await (await jar.fetch(login.href)).text();
  const posted = await jar.fetch(login.href, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrfOf(page), username, password: PASSWORD }).toString(),
  });
  return new URL(posted.headers.get('location')!);
}

async function relyingParty(secret: boolean) {
  const created = await createClient(idp, poolId, {
    GenerateSecret: secret,
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ['code'],
    AllowedOAuthScopes: ['openid', 'email', 'profile'],
    CallbackURLs: [CALLBACK],
  });
  const issuer = new URL(`${server.url}/${poolId}`);
  const config = await oidc.discovery(
    issuer,
    created.clientId,
    created.clientSecret,
    secret ? oidc.ClientSecretBasic(created.clientSecret) : oidc.None(),
    { execute: [oidc.allowInsecureRequests] },
  );
  return { config, clientId: created.clientId };
}

describe('openid-client', () => {
  it('discovers the provider', async () => {
    const { config } = await relyingParty(false);
    const metadata = config.serverMetadata();
    expect(metadata.issuer).toBe(`${server.url}/${poolId}`);
    expect(metadata.code_challenge_methods_supported).toEqual(['S256']);
    expect(metadata.token_endpoint).toBe(`${server.url}/${poolId}/oauth2/token`);
  });

  it('runs the code flow with PKCE for a public client, then userInfo and refresh', async () => {
    const { config, clientId } = await relyingParty(false);
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: CALLBACK,
      scope: 'openid email profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    const callback = await browse(url);
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
    const claims = tokens.claims()!;
    expect(claims).toMatchObject({ aud: clientId, iss: `${server.url}/${poolId}`, 'cognito:username': username, email: `${username}@example.com` });

    const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
    expect(info).toMatchObject({ sub: claims.sub, email: `${username}@example.com`, given_name: 'Ada', username });

    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.claims()!.sub).toBe(claims.sub);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
  });

  it('runs the code flow for a confidential client (client_secret_basic)', async () => {
    const { config } = await relyingParty(true);
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: CALLBACK, scope: 'openid', state });
    const tokens = await oidc.authorizationCodeGrant(config, await browse(url), { expectedState: state });
    expect(tokens.claims()!['cognito:username']).toBe(username);
  });

  it('rejects a callback whose state does not round-trip', async () => {
    const { config } = await relyingParty(false);
    const verifier = oidc.randomPKCECodeVerifier();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: CALLBACK,
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: 'expected-state',
    });
    const callback = await browse(url);
    expect(callback.searchParams.get('state')).toBe('expected-state');
    callback.searchParams.delete('state');
    await expect(oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: 'expected-state' })).rejects.toThrow();
  });
});
