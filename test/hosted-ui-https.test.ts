import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { openStore, type Store } from '../src/store/store.js';
import { SecretBox } from '../src/crypto/secret-box.js';
import { loadConfig } from '../src/config/config.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import { TestClock } from './support/test-server.js';
import { pkce } from './support/hosted-ui.js';

// Behind an https public URL (TLS here or at a proxy), every hosted-UI cookie is Secure. Driven
// in-process with Fastify's inject, because the test server itself speaks plain http.

let database: TestDatabase;
let store: Store;
let app: FastifyInstance;
let clientId: string;
const CALLBACK = 'https://app.example.com/cb';

beforeAll(async () => {
  database = await createTestDatabase();
  const masterKey = randomBytes(32);
  const secrets = new SecretBox(masterKey);
  const config = loadConfig({
    FRONTDESK_DATA_DIR: database.dataDir,
    ...(database.databaseUrl ? { FRONTDESK_DATABASE_URL: database.databaseUrl } : {}),
    FRONTDESK_MASTER_KEY: masterKey.toString('hex'),
    FRONTDESK_PUBLIC_URL: 'https://id.example.com',
  });
  store = await openStore({ databaseUrl: database.databaseUrl, sqliteFile: database.sqliteFile, secrets });
  app = await buildApp({ config, store, clock: new TestClock(), secrets, lookupSecret: () => undefined, logger: false });
  // Pools and clients through the domain services the admin API uses (no SigV4 needed in-process).
  const { createServices } = await import('../src/domain/services.js');
  const domain = createServices({ store, clock: new TestClock(), secrets, config, publicUrl: () => 'https://id.example.com' });
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
});
afterAll(async () => {
  await app?.close();
  await store?.close();
  await database?.drop();
});

describe('under an https public URL', () => {
  // The session cookie is written by the same setCookie with the same flag.
  it('marks the CSRF cookie Secure (and HttpOnly, SameSite=Lax)', async () => {
    const response = await app.inject({
      method: 'GET',
      url: `/login?${new URLSearchParams({ client_id: clientId, response_type: 'code', redirect_uri: CALLBACK, code_challenge: pkce().challenge, code_challenge_method: 'S256' })}`,
    });
    expect(response.statusCode).toBe(200);
    const cookie = ([] as string[]).concat(response.headers['set-cookie'] ?? []).find((c) => c.startsWith('fd_csrf='))!;
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).toMatch(/; Secure/);
  });
});
