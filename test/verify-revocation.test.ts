import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import express from 'express';
import { AdminDisableUserCommand, GlobalSignOutCommand, RevokeTokenCommand } from '@aws-sdk/client-cognito-identity-provider';
import {
  createVerifier,
  expressAuthorizer,
  IntrospectionUnavailableError,
  TokenRevokedError,
  type IntrospectionOptions,
} from '../src/verify/index.js';
import { createGateway, type Gateway } from '../src/gateway/gateway.js';
import { adminUser, createClient, createPool, passwordSignIn } from './support/cognito.js';
import { startTestServer, type TestServer } from './support/test-server.js';

// Revocation awareness (issue 8): with `introspection` on, tokens that are cryptographically fine
// but were revoked (GlobalSignOut, RevokeToken, AdminDisableUser) are refused by the library, by
// the middleware and by the gateway — with real tokens from a running Frontdesk, and a real
// confidential client authenticating the introspection calls.

let server: TestServer;
let poolId: string;
let webClient: { clientId: string; clientSecret?: string };
let introspection: IntrospectionOptions;
let introspectionCalls = 0;
/** Counts the verifier's requests to the introspection endpoint. */
const countingFetch: typeof fetch = (input, init) => {
  if (String(input).endsWith('/oauth2/introspect')) introspectionCalls++;
  return fetch(input, init);
};

const signedIn = async (username: string) => {
  await adminUser(server.client(), poolId, username);
  return passwordSignIn(server.client(), webClient.clientId, username);
};

beforeAll(async () => {
  server = await startTestServer();
  const idp = server.client();
  poolId = await createPool(idp);
  webClient = await createClient(idp, poolId);
  const api = await createClient(idp, poolId, { GenerateSecret: true });
  introspection = { clientId: api.clientId, clientSecret: api.clientSecret!, cacheSeconds: 0 };
});
afterAll(async () => {
  await server?.close();
});

describe('createVerifier({ introspection })', () => {
  it('accepts an active token and refuses it once the user signed out everywhere', async () => {
    const tokens = await signedIn('gso');
    const verifier = createVerifier({ userPoolId: poolId, endpoint: server.url }, { tokenUse: 'access', introspection, fetch: countingFetch });
    expect((await verifier.verify(tokens.AccessToken)).username).toBe('gso');
    await server.client().send(new GlobalSignOutCommand({ AccessToken: tokens.AccessToken }));
    const refusal = await verifier.verify(tokens.AccessToken).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(TokenRevokedError);
    expect(refusal).toMatchObject({ reason: 'revoked', status: 401 });
  });

  it('refuses tokens of a refresh token revoked with RevokeToken, and of a disabled user', async () => {
    const verifier = createVerifier({ userPoolId: poolId, endpoint: server.url }, { tokenUse: 'access', introspection });
    const revoked = await signedIn('rt');
    await verifier.verify(revoked.AccessToken);
    await server.client().send(new RevokeTokenCommand({ ClientId: webClient.clientId, Token: revoked.RefreshToken }));
    await expect(verifier.verify(revoked.AccessToken)).rejects.toBeInstanceOf(TokenRevokedError);

    const disabled = await signedIn('dis');
    await verifier.verify(disabled.AccessToken);
    await server.client().send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'dis' }));
    await expect(verifier.verify(disabled.AccessToken)).rejects.toBeInstanceOf(TokenRevokedError);
  });

  it('without introspection the same revoked token still verifies (a JWT cannot know), as with Cognito', async () => {
    const tokens = await signedIn('plain');
    await server.client().send(new GlobalSignOutCommand({ AccessToken: tokens.AccessToken }));
    const verifier = createVerifier({ userPoolId: poolId, endpoint: server.url }, { tokenUse: 'access' });
    expect((await verifier.verify(tokens.AccessToken)).username).toBe('plain');
  });

  it('trusts an "active" answer for cacheSeconds, asking once for concurrent checks of one token', async () => {
    const tokens = await signedIn('cached');
    const verifier = createVerifier(
      { userPoolId: poolId, endpoint: server.url },
      { tokenUse: 'access', introspection: { ...introspection, cacheSeconds: 60 }, fetch: countingFetch, clock: server.clock },
    );
    introspectionCalls = 0;
    await Promise.all([1, 2, 3, 4].map(() => verifier.verify(tokens.AccessToken)));
    expect(introspectionCalls).toBe(1);
    await server.client().send(new GlobalSignOutCommand({ AccessToken: tokens.AccessToken }));
    // Within the window the cached answer stands (that is the window's price) ...
    await verifier.verify(tokens.AccessToken);
    expect(introspectionCalls).toBe(1);
    // ... after it the issuer is asked again, and the revoked answer is kept.
    server.clock.advance(61_000);
    await expect(verifier.verify(tokens.AccessToken)).rejects.toBeInstanceOf(TokenRevokedError);
    await expect(verifier.verify(tokens.AccessToken)).rejects.toBeInstanceOf(TokenRevokedError);
    expect(introspectionCalls).toBe(2);
  });

  it('does not ask about tokens that fail locally', async () => {
    const tokens = await signedIn('local');
    const verifier = createVerifier(
      { userPoolId: poolId, endpoint: server.url },
      { tokenUse: 'access', introspection, fetch: countingFetch, groups: ['nobody-is-in-this-group'] },
    );
    introspectionCalls = 0;
    await expect(verifier.verify(tokens.AccessToken)).rejects.toMatchObject({ reason: 'missingGroup' });
    expect(introspectionCalls).toBe(0);
  });

  it('fails closed (503) when the issuer cannot be asked or refuses our client credentials', async () => {
    const tokens = await signedIn('closed');
    const unreachable = createVerifier(
      { userPoolId: poolId, endpoint: server.url },
      { tokenUse: 'access', introspection: { ...introspection, endpoint: 'http://127.0.0.1:1/oauth2/introspect' } },
    );
    const error = await unreachable.verify(tokens.AccessToken).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IntrospectionUnavailableError);
    expect(error).toMatchObject({ status: 503 });
    const wrongSecret = createVerifier({ userPoolId: poolId, endpoint: server.url }, { tokenUse: 'access', introspection: { ...introspection, clientSecret: 'wrong' } });
    await expect(wrongSecret.verify(tokens.AccessToken)).rejects.toBeInstanceOf(IntrospectionUnavailableError);
  });

  it('refuses impossible configurations at once', () => {
    expect(() => createVerifier({ userPoolId: poolId, endpoint: server.url }, { tokenUse: 'id', introspection })).toThrow(/access tokens only/);
    expect(() => createVerifier({ userPoolId: 'us-east-1_Abc' }, { tokenUse: 'access', introspection })).toThrow(/Amazon Cognito has no token introspection/);
    expect(() => createVerifier({ userPoolId: poolId, endpoint: server.url }, { tokenUse: 'access', introspection: { clientId: 'x', clientSecret: '' } })).toThrow(
      /confidential app client/,
    );
  });
});

describe('middleware and gateway with introspection', () => {
  let api: Server;
  let apiUrl: string;
  let upstream: Server;
  let gateway: Gateway;
  let gatewayUrl: string;

  beforeAll(async () => {
    const verifier = createVerifier({ userPoolId: poolId, endpoint: server.url }, { tokenUse: 'access', introspection });
    const app = express();
    app.get('/me', expressAuthorizer(verifier), (req, res) => {
      res.json({ username: (req as unknown as { claims: { username: string } }).claims.username });
    });
    api = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => api.once('listening', resolve));
    apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;

    upstream = createServer((_req, res) => res.end('upstream reached'));
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    gateway = createGateway({
      listen: { host: '127.0.0.1', port: 0 },
      upstream: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`,
      tokens: { userPoolId: poolId, endpoint: server.url },
      introspection,
      routes: [{ method: 'GET', path: '/*' }],
    });
    gatewayUrl = await gateway.listen();
  });
  afterAll(async () => {
    await gateway?.close();
    await new Promise((resolve) => upstream?.close(resolve));
    await new Promise((resolve) => api?.close(resolve));
  });

  it('Express: 200 before GlobalSignOut, 401 invalid_token after', async () => {
    const tokens = await signedIn('mw');
    const call = () => fetch(`${apiUrl}/me`, { headers: { authorization: `Bearer ${tokens.AccessToken}` } });
    const before = await call();
    expect(before.status).toBe(200);
    expect(await before.json()).toEqual({ username: 'mw' });
    await server.client().send(new GlobalSignOutCommand({ AccessToken: tokens.AccessToken }));
    const after = await call();
    expect(after.status).toBe(401);
    expect(after.headers.get('www-authenticate')).toBe('Bearer error="invalid_token", error_description="the token has been revoked"');
  });

  it('gateway: forwards before GlobalSignOut, answers 401 after without reaching the upstream', async () => {
    const tokens = await signedIn('gw');
    const call = () => fetch(`${gatewayUrl}/anything`, { headers: { authorization: `Bearer ${tokens.AccessToken}` } });
    const before = await call();
    expect(before.status).toBe(200);
    expect(await before.text()).toBe('upstream reached');
    await server.client().send(new GlobalSignOutCommand({ AccessToken: tokens.AccessToken }));
    const after = await call();
    expect(after.status).toBe(401);
    expect(after.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(await after.text()).not.toContain('upstream reached');
  });
});
