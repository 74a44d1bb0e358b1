import { timingSafeEqual } from 'node:crypto';
import type { UserPoolClientService } from '../clients/user-pool-client-service.js';
import type { UserPoolClient } from '../clients/user-pool-client.js';
import type { UserPool } from '../user-pools/user-pool.js';
import { OAuthError } from './oauth-error.js';

/** What a caller of the token or revocation endpoint presented to identify its app client. */
export interface PresentedClient {
  clientId: string;
  /** From HTTP Basic or `client_secret` in the body; undefined for a public client. */
  clientSecret?: string;
}

export interface AuthenticatedClient {
  pool: UserPool;
  client: UserPoolClient;
}

/**
 * RFC 6749 §2.3: a confidential client (one with a secret) must prove it; a public client only
 * names itself, and must not present a secret it does not have. `poolId` confines the client to
 * the pool whose endpoint was called (issuer path or domain). Every failure is the same
 * invalid_client, so the answer tells nobody which client ids exist.
 */
export async function authenticateClient(
  clients: UserPoolClientService,
  presented: PresentedClient | undefined,
  poolId?: string,
): Promise<AuthenticatedClient> {
  if (!presented?.clientId) throw new OAuthError('invalid_client', 'Client authentication is required.');
  const found = await clients.resolvePublicClient(presented.clientId).catch(() => undefined);
  const failed = new OAuthError('invalid_client', 'Client authentication failed.');
  if (!found || (poolId !== undefined && found.pool.id !== poolId)) throw failed;
  const { secret } = found.client;
  if (secret === undefined ? presented.clientSecret !== undefined : !sameSecret(secret, presented.clientSecret)) throw failed;
  return found;
}

export function sameSecret(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
