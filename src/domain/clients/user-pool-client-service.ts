import type { CreateUserPoolClientRequest, UpdateUserPoolClientRequest } from '@aws-sdk/client-cognito-identity-provider';
import {
  ConcurrentModificationException,
  InvalidParameterException,
  ResourceNotFoundException,
  ScopeDoesNotExistException,
} from '../../generated/exceptions.js';
import { newClientId, newClientSecret } from '../../crypto/random.js';
import { SettingsCache } from '../settings-cache.js';
import { decodePageToken, encodePageToken } from '../../store/page-token.js';
import type { DomainDeps } from '../services.js';
import type { UserPoolService } from '../user-pools/user-pool-service.js';
import type { UserPool } from '../user-pools/user-pool.js';
import type { UserPoolClient, UserPoolClientSettings } from './user-pool-client.js';
import { buildClientSettings, type ClientSettingsInput, type SettingsContext } from './client-settings.js';
import { findUndefinedScopes } from './oauth-scopes.js';
import { findUndefinedIdentityProviders } from './identity-providers.js';

const MAX_WRITE_ATTEMPTS = 5;
export const DEFAULT_LIST_LIMIT = 60;

/** App clients of a pool: creation with defaults and validation, updates, secrets. */
export class UserPoolClientService {
  /** Clients by id (ids are unique across pools). */
  private readonly cache: SettingsCache<UserPoolClient>;

  constructor(
    private readonly deps: DomainDeps,
    private readonly userPools: UserPoolService,
  ) {
    this.cache = new SettingsCache();
  }

  private cached(clientId: string): Promise<UserPoolClient | undefined> {
    return this.cache.get(clientId, () => this.deps.store.clients.getById(clientId));
  }

  async create(input: CreateUserPoolClientRequest): Promise<UserPoolClient> {
    const { UserPoolId, ClientName, GenerateSecret, ClientSecret, ...requested } = input;
    const pool = await this.userPools.get(UserPoolId!);
    if (ClientSecret !== undefined && GenerateSecret === false) {
      throw new InvalidParameterException('A ClientSecret can only be given to a client created with GenerateSecret set to true.');
    }
    // A supplied secret (already checked against the model: 24-64 word characters) makes the
    // client confidential just as a generated one does.
    const secret = ClientSecret ?? (GenerateSecret ? newClientSecret() : undefined);
    const settings = await this.settingsFor(requested, { pool, hasSecret: secret !== undefined, action: 'creating' });
    const now = this.deps.clock.now();
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      const client: UserPoolClient = {
        id: newClientId(),
        userPoolId: pool.id,
        name: ClientName!,
        ...(secret !== undefined ? { secret } : {}),
        settings,
        createdAt: now,
        updatedAt: now,
      };
      // 26 random characters collide about never; on a collision, draw again.
      if (await this.deps.store.clients.insert(client)) return client;
    }
    throw new ConcurrentModificationException('Could not allocate a client id; try again.');
  }

  async get(poolId: string, clientId: string): Promise<UserPoolClient> {
    await this.userPools.get(poolId);
    return this.requireClient(poolId, clientId);
  }

  /** The client of a pool already in hand, or undefined; no second read of the pool. */
  async find(poolId: string, clientId: string): Promise<UserPoolClient | undefined> {
    const client = await this.cached(clientId);
    return client?.userPoolId === poolId ? client : undefined;
  }

  /** For public operations that name only a ClientId (SignUp, InitiateAuth, …): the client and its pool. */
  async resolvePublicClient(clientId: string): Promise<{ pool: UserPool; client: UserPoolClient }> {
    const client = await this.cached(clientId);
    if (!client) throw new ResourceNotFoundException(`User pool client ${clientId} does not exist.`);
    const pool = await this.userPools.get(client.userPoolId);
    return { pool, client };
  }

  /**
   * As in Cognito, every member the request leaves out returns to its default; the name is kept
   * when omitted and the secret is never touched (secrets have their own operations).
   */
  async update(input: UpdateUserPoolClientRequest): Promise<UserPoolClient> {
    const { UserPoolId, ClientId, ClientName, ...requested } = input;
    const pool = await this.userPools.get(UserPoolId!);
    const current = await this.requireClient(pool.id, ClientId!);
    const settings = await this.settingsFor(requested, { pool, hasSecret: current.secret !== undefined, action: 'updating' });
    const next: UserPoolClient = { ...current, name: ClientName ?? current.name, settings, updatedAt: this.deps.clock.now() };
    const updated = await this.deps.store.clients.update(next);
    this.cache.forget(next.id);
    if (!updated) {
      throw new ResourceNotFoundException(`User pool client ${ClientId} does not exist.`);
    }
    return next;
  }

  async delete(poolId: string, clientId: string): Promise<void> {
    await this.userPools.get(poolId);
    const deleted = await this.deps.store.clients.delete(poolId, clientId);
    this.cache.forget(clientId);
    if (!deleted) {
      throw new ResourceNotFoundException(`User pool client ${clientId} does not exist.`);
    }
  }

  async list(
    poolId: string,
    maxResults: number = DEFAULT_LIST_LIMIT,
    nextToken?: string,
  ): Promise<{ clients: UserPoolClient[]; nextToken?: string }> {
    await this.userPools.get(poolId);
    const after = nextToken === undefined ? undefined : decodePageToken(nextToken);
    if (nextToken !== undefined && after === undefined) throw new InvalidParameterException('Invalid pagination token.');
    const page = await this.deps.store.clients.list(poolId, { limit: maxResults, after });
    return { clients: page.items, nextToken: page.lastKey === undefined ? undefined : encodePageToken(page.lastKey) };
  }

  private async requireClient(poolId: string, clientId: string): Promise<UserPoolClient> {
    const client = await this.deps.store.clients.get(poolId, clientId);
    if (!client) throw new ResourceNotFoundException(`User pool client ${clientId} does not exist.`);
    return client;
  }

  /** Request-only rules first (cheap, no I/O), then what must be looked up in the pool. */
  private async settingsFor(input: ClientSettingsInput, context: SettingsContext): Promise<UserPoolClientSettings> {
    const settings = buildClientSettings(input, context);
    await this.checkReferences(context.pool, settings);
    return settings;
  }

  private async checkReferences(pool: UserPool, settings: UserPoolClientSettings): Promise<void> {
    const [unknownScope] = await findUndefinedScopes(this.deps, pool.id, settings.AllowedOAuthScopes ?? []);
    if (unknownScope !== undefined) throw new ScopeDoesNotExistException(`Invalid scope requested: ${unknownScope}`);
    const [unknownProvider] = await findUndefinedIdentityProviders(this.deps, pool.id, settings.SupportedIdentityProviders ?? []);
    if (unknownProvider !== undefined) {
      throw new InvalidParameterException(`The provider ${unknownProvider} does not exist for User Pool ${pool.id}`);
    }
  }
}
