import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, fetch as undiciFetch } from 'undici';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { openStore, type Store } from '../src/store/store.js';
import { SecretBox } from '../src/crypto/secret-box.js';
import { loadConfig, publicUrlOf } from '../src/config/config.js';
import { createServices } from '../src/domain/services.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import { TestClock } from './support/test-server.js';
import { PASSWORD } from './support/cognito.js';
import { csrfOf, pkce } from './support/hosted-ui.js';

// Optional TLS: with FRONTDESK_TLS_CERT_FILE / FRONTDESK_TLS_KEY_FILE the server speaks HTTPS itself
// (Amplify's redirect sign-in wants https:// even in development), and every hosted-UI cookie is
// Secure. A self-signed certificate made with openssl for the test.

let database: TestDatabase;
let store: Store;
let app: FastifyInstance;
let url: string;
let clientId: string;
const CALLBACK = 'https://app.example.com/cb';
const insecure = new Agent({ connect: { rejectUnauthorized: false } });

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'frontdesk-tls-'));
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1,DNS:*.auth.localhost',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
  ], { stdio: 'ignore' });
  database = await createTestDatabase();
  const masterKey = randomBytes(32);
  const secrets = new SecretBox(masterKey);
  const config = loadConfig({
    FRONTDESK_DATA_DIR: database.dataDir,
    ...(database.databaseUrl ? { FRONTDESK_DATABASE_URL: database.databaseUrl } : {}),
    FRONTDESK_MASTER_KEY: masterKey.toString('hex'),
    FRONTDESK_TLS_CERT_FILE: join(dir, 'cert.pem'),
    FRONTDESK_TLS_KEY_FILE: join(dir, 'key.pem'),
  });
  expect(publicUrlOf(config, 443)).toBe('https://127.0.0.1:443');
  store = await openStore({ databaseUrl: database.databaseUrl, sqliteFile: database.sqliteFile, secrets });
  const clock = new TestClock();
  app = await buildApp({ config, store, clock, secrets, lookupSecret: () => undefined, logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  url = `https://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  // Pool, client and user through the domain services (the admin API would need SigV4 over TLS too).
  const domain = createServices({ store, clock, secrets, config, publicUrl: () => url });
  const pool = await domain.userPools.create({ PoolName: 'tls' });
  const client = await domain.clients.create({
    UserPoolId: pool.id,
    ClientName: 'web',
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ['code'],
    AllowedOAuthScopes: ['openid'],
    CallbackURLs: [CALLBACK],
  });
  clientId = client.id;
  await domain.adminUsers.createUser({ UserPoolId: pool.id, Username: 'tls-user', MessageAction: 'SUPPRESS' });
  await domain.adminUsers.setUserPassword({ UserPoolId: pool.id, Username: 'tls-user', Password: PASSWORD, Permanent: true });
});
afterAll(async () => {
  await app?.close();
  await store?.close();
  await database?.drop();
  await insecure.close();
});

describe('the hosted UI over HTTPS', () => {
  it('serves the code flow with Secure, HttpOnly, SameSite=Lax cookies', async () => {
    const cookies: string[] = [];
    const jarFetch = async (target: string, init: { method?: string; body?: string } = {}) => {
      const response = await undiciFetch(target, {
        method: init.method ?? 'GET',
        headers: { cookie: cookies.map((c) => c.split(';')[0]).join('; '), ...(init.body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
        ...(init.body ? { body: init.body } : {}),
        redirect: 'manual',
        dispatcher: insecure,
      });
      cookies.push(...response.headers.getSetCookie());
      return response;
    };
    const { challenge } = pkce();
    const login = `${url}/login?${new URLSearchParams({ client_id: clientId, response_type: 'code', redirect_uri: CALLBACK, code_challenge: challenge, code_challenge_method: 'S256' })}`;
    const page = await jarFetch(login);
    expect(page.status).toBe(200);
    const html = await page.text();
    const signedIn = await jarFetch(login, { method: 'POST', body: new URLSearchParams({ _csrf: csrfOf(html), username: 'tls-user', password: PASSWORD }).toString() });
    expect(signedIn.status).toBe(302);
    expect(new URL(signedIn.headers.get('location')!).searchParams.get('code')).toBeTruthy();
    const csrf = cookies.find((c) => c.startsWith('fd_csrf='))!;
    const session = cookies.find((c) => c.startsWith('fd_session_'))!;
    for (const cookie of [csrf, session]) {
      expect(cookie).toMatch(/; HttpOnly/);
      expect(cookie).toMatch(/; SameSite=Lax/);
      expect(cookie).toMatch(/; Secure/);
    }
  });
});
