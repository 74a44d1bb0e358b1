import type { UserPoolClient } from '../clients/user-pool-client.js';
import { isStandardScope } from '../clients/oauth-scopes.js';
import { OAuthError } from './oauth-error.js';

/** Splits a `scope` parameter (RFC 6749 §3.3: space-delimited, case-sensitive); repeats dropped. */
export function parseScopeParameter(scope: string | undefined): string[] | undefined {
  if (scope === undefined) return undefined;
  const scopes = [...new Set(scope.split(' ').filter(Boolean))];
  return scopes.length ? scopes : undefined;
}

/**
 * The scopes a request is granted: those it asks for (or, when it asks for none, every scope the
 * client is allowed), each of which the client must be allowed and — for custom scopes — must
 * still exist in the pool (a resource server deleted since the client was set up takes its scopes
 * with it). Asking for a scope the client is not allowed is invalid_scope, as in Cognito.
 */
export function grantScopes(client: UserPoolClient, requested: string[] | undefined, existingCustom: ReadonlySet<string>): string[] {
  const allowed = new Set(client.settings.AllowedOAuthScopes ?? []);
  const usable = (scope: string) => allowed.has(scope) && (isStandardScope(scope) || existingCustom.has(scope));
  if (requested === undefined) return [...allowed].filter(usable);
  const refused = requested.find((scope) => !usable(scope));
  if (refused !== undefined) throw new OAuthError('invalid_scope', `The scope ${refused} is not allowed for this client.`);
  return requested;
}
