import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import {
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  type CognitoIdentityProviderClient,
  type CreateUserPoolClientRequest,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from './support/test-server.js';
import { openDatabase } from '../src/store/dialect.js';
import type { Database } from '../src/store/schema.js';
import { TokenService } from '../src/domain/tokens/token-service.js';
import type { User } from '../src/domain/users/user.js';
import type { UserPool } from '../src/domain/user-pools/user-pool.js';
import type { UserPoolClient } from '../src/domain/clients/user-pool-client.js';

// Shared set-up for the token tests: a real server (pools and clients are made through the SDK,
// the well-known endpoints are fetched over HTTP) plus TokenService instances over the same store.
// A second TokenService over the same database plays a second node of a cluster.

export interface TokensHarness {
  server: TestServer;
  idp: CognitoIdentityProviderClient;
  /** A token service as one node runs it. */
  tokens: TokenService;
  /** Another node's token service (own caches), same database. */
  newNode(options?: { currentKeyTtlMs?: number }): TokenService;
  raw: Kysely<Database>;
  newPool(): Promise<UserPool>;
  newClient(poolId: string, input?: Partial<CreateUserPoolClientRequest>): Promise<UserPoolClient>;
  insertUser(poolId: string, attributes?: Record<string, string>, overrides?: { username?: string; enabled?: boolean }): Promise<User>;
  loadUser(userId: string): Promise<User | undefined>;
  setEnabled(userId: string, enabled: boolean): Promise<void>;
  deleteUser(userId: string): Promise<void>;
  /** Verifies a JWT the way a resource server would: jose, the server's JWKS over HTTP, issuer, audience. */
  verifyWithJose(token: string, poolId: string, options?: { audience?: string }): Promise<{ payload: JWTPayload; kid: string }>;
  close(): Promise<void>;
}

export async function startTokensHarness(): Promise<TokensHarness> {
  const server = await startTestServer();
  const idp = server.client();
  const { db: raw } = openDatabase({ databaseUrl: server.database.databaseUrl, sqliteFile: server.database.sqliteFile });
  const newNode = (options: { currentKeyTtlMs?: number } = {}) =>
    new TokenService({ store: server.store, clock: server.clock, publicUrl: () => server.url, ...options });

  const toUser = (row: Database['users']): User => ({
    id: row.id,
    userPoolId: row.user_pool_id,
    username: row.username,
    status: row.status as User['status'],
    enabled: Number(row.enabled) === 1,
    attributes: JSON.parse(row.attributes) as Record<string, string>,
    version: row.version,
    createdAt: new Date(Number(row.created_at)),
    updatedAt: new Date(Number(row.updated_at)),
  });

  const loadUser = async (userId: string): Promise<User | undefined> => {
    const row = await raw.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
    return row ? toUser(row) : undefined;
  };

  return {
    server,
    idp,
    tokens: newNode(),
    newNode,
    raw,
    async newPool() {
      const created = await idp.send(
        new CreateUserPoolCommand({
          PoolName: `tokens-${Math.random().toString(36).slice(2, 8)}`,
          Schema: [
            { Name: 'tenant', AttributeDataType: 'String', Mutable: true },
            { Name: 'level', AttributeDataType: 'Number', Mutable: true },
            { Name: 'internal', AttributeDataType: 'String', DeveloperOnlyAttribute: true, Mutable: true },
          ],
        }),
      );
      return (await server.store.userPools.get(created.UserPool!.Id!))!;
    },
    async newClient(poolId, input = {}) {
      const created = await idp.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app', ...input }));
      return (await server.store.clients.get(poolId, created.UserPoolClient!.ClientId!))!;
    },
    async insertUser(poolId, attributes = {}, overrides = {}) {
      const id = randomUUID();
      const username = overrides.username ?? id;
      const now = Date.now();
      await raw
        .insertInto('users')
        .values({
          id,
          user_pool_id: poolId,
          username,
          username_key: username.toLowerCase(),
          email_key: null,
          phone_key: null,
          preferred_username_key: null,
          status: 'CONFIRMED',
          enabled: overrides.enabled === false ? 0 : 1,
          attributes: JSON.stringify(attributes),
          password_kind: null,
          password_salt: null,
          password_secret: null,
          password_set_at: null,
          mfa: null,
          version: 1,
          created_at: now,
          updated_at: now,
        })
        .execute();
      return (await loadUser(id))!;
    },
    loadUser,
    async setEnabled(userId, enabled) {
      await raw.updateTable('users').set({ enabled: enabled ? 1 : 0 }).where('id', '=', userId).execute();
    },
    async deleteUser(userId) {
      await raw.deleteFrom('users').where('id', '=', userId).execute();
    },
    async verifyWithJose(token, poolId, options = {}) {
      // A fresh key set each time: jose caches a JWKS and would hide rotations from the test.
      const jwks = createRemoteJWKSet(new URL(`${server.url}/${poolId}/.well-known/jwks.json`));
      const { payload, protectedHeader } = await jwtVerify(token, jwks, {
        issuer: `${server.url}/${poolId}`,
        algorithms: ['RS256'],
        currentDate: server.clock.now(),
        ...(options.audience ? { audience: options.audience } : {}),
      });
      return { payload, kid: protectedHeader.kid! };
    },
    async close() {
      await raw.destroy();
      await server.close();
    },
  };
}

/** The payload of a JWT, unverified (for tests that already verified it or mean to tamper with it). */
export function decodePayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

export function decodeHeader(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** Resolves to the error a promise rejects with (fails the test if it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { name: string; message: string };
  }
  throw new Error('expected the call to fail, but it succeeded');
}
