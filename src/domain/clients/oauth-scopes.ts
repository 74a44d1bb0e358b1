import type { DomainDeps } from '../services.js';

/** Scopes every pool has; anything else must be `<resourceServerIdentifier>/<scopeName>`. */
export const STANDARD_SCOPES: ReadonlySet<string> = new Set(['phone', 'email', 'openid', 'profile', 'aws.cognito.signin.user.admin']);

/** OIDC claim scopes, which only mean something in an OpenID Connect request (with `openid`). */
export const OIDC_CLAIM_SCOPES: readonly string[] = ['phone', 'email', 'profile'];

export const isStandardScope = (scope: string) => STANDARD_SCOPES.has(scope);

/**
 * The requested scopes that do not exist in the pool. A custom scope exists when a resource server
 * of the pool has that identifier and scope name.
 *
 * Resource servers are not implemented yet, so every custom scope is unknown for now; the
 * resource-server work extends this one function (it has the store through `deps`).
 */
export async function findUndefinedScopes(_deps: DomainDeps, _poolId: string, scopes: readonly string[]): Promise<string[]> {
  return scopes.filter((scope) => !isStandardScope(scope));
}
