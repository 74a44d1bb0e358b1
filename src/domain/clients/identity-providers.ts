import type { DomainDeps } from '../services.js';

/** The pool's own user directory, always available to a client. */
export const COGNITO_PROVIDER = 'COGNITO';

/**
 * The requested SupportedIdentityProviders that the pool does not have. Federated identity
 * providers are not implemented yet, so only COGNITO exists; the identity-provider work extends
 * this one function (it has the store through `deps`).
 */
export async function findUndefinedIdentityProviders(
  _deps: DomainDeps,
  _poolId: string,
  providers: readonly string[],
): Promise<string[]> {
  return providers.filter((provider) => provider !== COGNITO_PROVIDER);
}
