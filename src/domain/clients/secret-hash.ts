import { createHmac, timingSafeEqual } from 'node:crypto';
import { NotAuthorizedException } from '../../generated/exceptions.js';
import type { UserPoolClient } from './user-pool-client.js';

/** Cognito's SECRET_HASH: Base64(HMAC-SHA256(clientSecret, username + clientId)). */
export function secretHashOf(clientSecret: string, username: string, clientId: string): string {
  return createHmac('sha256', clientSecret).update(username + clientId).digest('base64');
}

/**
 * A client with a secret must prove it on every public call. The hash may be computed over any
 * name the user is known by (the caller passes the candidates: what was sent, the internal
 * username), because clients compute it over what they send.
 */
export function checkSecretHash(client: UserPoolClient, secretHash: string | undefined, usernames: string[]): void {
  if (client.secret === undefined) return;
  if (!secretHash) {
    throw new NotAuthorizedException(`Client ${client.id} is configured for secret but secret was not received`);
  }
  const presented = Buffer.from(secretHash, 'utf8');
  const matches = usernames.some((name) => {
    const expected = Buffer.from(secretHashOf(client.secret!, name, client.id), 'utf8');
    return expected.length === presented.length && timingSafeEqual(expected, presented);
  });
  if (!matches) throw new NotAuthorizedException(`Unable to verify secret hash for client ${client.id}`);
}
