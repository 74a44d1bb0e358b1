import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { buildApp } from '../../src/app.js';
import { openStore, type Store } from '../../src/store/store.js';
import { SecretBox } from '../../src/crypto/secret-box.js';
import { loadConfig } from '../../src/config/config.js';
import type { Clock } from '../../src/domain/clock.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export const TEST_REGION = 'us-east-1';

export interface AdminKeys {
  accessKeyId: string;
  secretAccessKey: string;
}

/** A clock tests can move; starts at real time. */
export class TestClock implements Clock {
  private offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

export interface TestServer {
  url: string;
  app: FastifyInstance;
  store: Store;
  database: TestDatabase;
  admin: AdminKeys;
  clock: TestClock;
  /** An AWS SDK v3 client signed with the admin credentials. */
  client(overrides?: Partial<ConstructorParameters<typeof CognitoIdentityProviderClient>[0]>): CognitoIdentityProviderClient;
  /** Stops the server and reopens the same database: proves state survives a restart. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** Starts the real server on 127.0.0.1, port 0, over a fresh database of the configured engine. */
export async function startTestServer(options: { env?: Record<string, string> } = {}): Promise<TestServer> {
  const database = await createTestDatabase();
  const masterKey = randomBytes(32);
  const admin: AdminKeys = {
    accessKeyId: `FDAKTEST${randomBytes(6).toString('hex').toUpperCase()}`,
    secretAccessKey: randomBytes(24).toString('base64'),
  };
  const config = loadConfig({
    FRONTDESK_DATA_DIR: database.dataDir,
    FRONTDESK_REGION: TEST_REGION,
    ...(database.databaseUrl ? { FRONTDESK_DATABASE_URL: database.databaseUrl } : {}),
    FRONTDESK_MASTER_KEY: masterKey.toString('hex'),
    FRONTDESK_ADMIN_ACCESS_KEY_ID: admin.accessKeyId,
    FRONTDESK_ADMIN_SECRET_ACCESS_KEY: admin.secretAccessKey,
    ...options.env,
  });
  const clock = new TestClock();
  const clients: CognitoIdentityProviderClient[] = [];

  const boot = async () => {
    const secrets = new SecretBox(masterKey);
    const store = await openStore({
      databaseUrl: database.databaseUrl,
      sqliteFile: database.sqliteFile,
      secrets,
    });
    let url = '';
    const app = await buildApp({
      config,
      store,
      clock,
      secrets,
      lookupSecret: (id) => (id === admin.accessKeyId ? admin.secretAccessKey : undefined),
      logger: process.env.TEST_LOG ? { level: process.env.TEST_LOG } : false,
      // Token issuers name the real port, known only once listening.
      publicUrl: () => url,
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    if (!address || typeof address === 'string') throw new Error('server has no TCP address');
    url = `http://127.0.0.1:${address.port}`;
    return { store, app, url };
  };

  let running = await boot();
  const server: TestServer = {
    get url() {
      return running.url;
    },
    get app() {
      return running.app;
    },
    get store() {
      return running.store;
    },
    database,
    admin,
    clock,
    client(overrides = {}) {
      const client = new CognitoIdentityProviderClient({
        endpoint: running.url,
        region: TEST_REGION,
        credentials: admin,
        maxAttempts: 1,
        ...overrides,
      });
      clients.push(client);
      return client;
    },
    async restart() {
      await running.app.close();
      await running.store.close();
      running = await boot();
    },
    async close() {
      for (const client of clients) client.destroy();
      await running.app.close();
      await running.store.close();
      await database.drop();
    },
  };
  return server;
}
