import type { Store } from '../../store/store.js';

/** Scopes every pool has; anything else must be `<resourceServerIdentifier>/<scopeName>`. */
export const STANDARD_SCOPES: ReadonlySet<string> = new Set(['phone', 'email', 'openid', 'profile', 'aws.cognito.signin.user.admin']);

/** OIDC claim scopes, which only mean something in an OpenID Connect request (with `openid`). */
export const OIDC_CLAIM_SCOPES: readonly string[] = ['phone', 'email', 'profile'];

export const isStandardScope = (scope: string) => STANDARD_SCOPES.has(scope);

/** Every custom scope of the pool: `<identifier>/<ScopeName>` of each of its resource servers. */
export async function customScopesOf(deps: { store: Pick<Store, 'resourceServers'> }, poolId: string): Promise<Set<string>> {
  const servers = await deps.store.resourceServers.all(poolId);
  return new Set(servers.flatMap((server) => server.scopes.map((scope) => `${server.identifier}/${scope.ScopeName}`)));
}

/**
 * The requested scopes that do not exist in the pool. A custom scope exists when a resource server
 * of the pool has that identifier and scope name.
 */
export async function findUndefinedScopes(deps: { store: Pick<Store, 'resourceServers'> }, poolId: string, scopes: readonly string[]): Promise<string[]> {
  const custom = scopes.filter((scope) => !isStandardScope(scope));
  if (custom.length === 0) return [];
  const defined = await customScopesOf(deps, poolId);
  return custom.filter((scope) => !defined.has(scope));
}
