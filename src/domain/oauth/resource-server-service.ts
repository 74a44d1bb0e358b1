// Resource servers and their custom scopes: CreateResourceServer, DescribeResourceServer,
// UpdateResourceServer, DeleteResourceServer, ListResourceServers. Reference: "Scopes, M2M, and
// resource servers" in the Cognito developer guide. A custom scope is `<identifier>/<ScopeName>`.
import type {
  CreateResourceServerRequest,
  ResourceServerScopeType,
  ResourceServerType,
  UpdateResourceServerRequest,
} from '@aws-sdk/client-cognito-identity-provider';
import { InvalidParameterException, LimitExceededException, ResourceNotFoundException } from '../../generated/exceptions.js';
import type { Store } from '../../store/store.js';
import type { ResourceServer } from '../../store/resource-server-store.js';
import { decodePageToken, encodePageToken } from '../../store/page-token.js';
import type { Clock } from '../clock.js';
import type { UserPoolService } from '../user-pools/user-pool-service.js';

/** Cognito's quota of resource servers per user pool. */
export const MAX_RESOURCE_SERVERS_PER_POOL = 25;

export interface ResourceServerServiceDeps {
  store: Pick<Store, 'resourceServers'>;
  clock: Clock;
  userPools: UserPoolService;
}

export const toResourceServerType = (server: ResourceServer): ResourceServerType => ({
  UserPoolId: server.userPoolId,
  Identifier: server.identifier,
  Name: server.name,
  Scopes: server.scopes.map((s) => ({ ScopeName: s.ScopeName, ScopeDescription: s.ScopeDescription })),
});

const notFound = (identifier: string, poolId: string) =>
  new ResourceNotFoundException(`Resource server ${identifier} does not exist in user pool ${poolId}.`);

export class ResourceServerService {
  constructor(private readonly deps: ResourceServerServiceDeps) {}

  async create(input: CreateResourceServerRequest): Promise<ResourceServerType> {
    const pool = await this.deps.userPools.get(input.UserPoolId!);
    const scopes = checkScopes(input.Scopes);
    // Counted before the insert: racing creations may overshoot by a few (the quota bounds growth).
    if ((await this.deps.store.resourceServers.count(pool.id)) >= MAX_RESOURCE_SERVERS_PER_POOL) {
      throw new LimitExceededException(`The user pool ${pool.id} already has the maximum number of resource servers.`);
    }
    const now = this.deps.clock.now();
    const server: ResourceServer = { userPoolId: pool.id, identifier: input.Identifier!, name: input.Name!, scopes, createdAt: now, updatedAt: now };
    const result = await this.deps.store.resourceServers.insert(server);
    if (result === 'exists') throw new InvalidParameterException(`${server.identifier} already exists in user pool ${pool.id}.`);
    if (result === 'missing') throw new ResourceNotFoundException(`User pool ${pool.id} does not exist.`);
    return toResourceServerType(server);
  }

  async describe(poolId: string, identifier: string): Promise<ResourceServerType> {
    return toResourceServerType(await this.require(poolId, identifier));
  }

  /** Replaces name and scopes, as Cognito does (omitted Scopes leave the server with none). */
  async update(input: UpdateResourceServerRequest): Promise<ResourceServerType> {
    const current = await this.require(input.UserPoolId!, input.Identifier!);
    const next: ResourceServer = { ...current, name: input.Name!, scopes: checkScopes(input.Scopes), updatedAt: this.deps.clock.now() };
    if (!(await this.deps.store.resourceServers.update(next))) throw notFound(current.identifier, current.userPoolId);
    return toResourceServerType(next);
  }

  async delete(poolId: string, identifier: string): Promise<void> {
    const pool = await this.deps.userPools.get(poolId);
    if (!(await this.deps.store.resourceServers.delete(pool.id, identifier))) throw notFound(identifier, pool.id);
  }

  async list(poolId: string, maxResults: number, nextToken?: string): Promise<{ servers: ResourceServerType[]; nextToken?: string }> {
    const pool = await this.deps.userPools.get(poolId);
    const after = nextToken === undefined ? undefined : decodePageToken(nextToken);
    if (nextToken !== undefined && after === undefined) throw new InvalidParameterException('Invalid pagination token.');
    const page = await this.deps.store.resourceServers.list(pool.id, { limit: maxResults, after });
    return {
      servers: page.items.map(toResourceServerType),
      ...(page.lastKey !== undefined ? { nextToken: encodePageToken(page.lastKey) } : {}),
    };
  }

  private async require(poolId: string, identifier: string): Promise<ResourceServer> {
    const pool = await this.deps.userPools.get(poolId);
    const server = await this.deps.store.resourceServers.get(pool.id, identifier);
    if (!server) throw notFound(identifier, pool.id);
    return server;
  }
}

function checkScopes(scopes: ResourceServerScopeType[] | undefined): ResourceServerScopeType[] {
  const list = (scopes ?? []).map((s) => ({ ScopeName: s.ScopeName!, ScopeDescription: s.ScopeDescription! }));
  const seen = new Set<string>();
  for (const scope of list) {
    if (seen.has(scope.ScopeName)) throw new InvalidParameterException(`Duplicate scope name ${scope.ScopeName}.`);
    seen.add(scope.ScopeName);
  }
  return list;
}
