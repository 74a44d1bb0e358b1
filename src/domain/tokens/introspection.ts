import { timingSafeEqual } from 'node:crypto';
import type { UserPoolClientService } from '../clients/user-pool-client-service.js';
import type { UserDirectory } from '../users/user-directory.js';
import type { TokenService } from './token-service.js';

/** RFC 7662's answer: `active` and, for an active token, what it says. */
export type IntrospectionResult = { active: false } | ({ active: true; token_type: 'Bearer' } & Record<string, unknown>);

export class InvalidClientError extends Error {}

/**
 * Token introspection (RFC 7662), a Frontdesk extension: Cognito offers no way for an API to learn
 * that an access token was revoked by GlobalSignOut or RevokeToken before it expires. A confidential
 * app client of the token's pool asks; the answer is active only for a genuine, unexpired,
 * unrevoked access token of that pool whose user still exists and is enabled. Anything else,
 * including another pool's token, is simply inactive, so the answer reveals nothing more.
 */
export class TokenIntrospection {
  constructor(
    private readonly deps: { tokens: TokenService; clients: UserPoolClientService; users: UserDirectory },
  ) {}

  async introspect(client: { clientId: string; clientSecret: string }, token: string): Promise<IntrospectionResult> {
    const caller = await this.deps.clients.resolvePublicClient(client.clientId).catch(() => undefined);
    if (!caller?.client.secret || !sameSecret(caller.client.secret, client.clientSecret)) {
      throw new InvalidClientError('client authentication failed');
    }
    let verified;
    try {
      verified = await this.deps.tokens.verifyAccessToken(token);
    } catch {
      return { active: false };
    }
    if (verified.userPoolId !== caller.pool.id) return { active: false };
    const user = await this.deps.users.byId(caller.pool, verified.claims.sub);
    if (!user?.enabled) return { active: false };
    const { claims } = verified;
    return {
      active: true,
      token_type: 'Bearer',
      scope: claims.scope,
      client_id: claims.client_id,
      username: claims.username,
      sub: claims.sub,
      iss: claims.iss,
      exp: claims.exp,
      iat: claims.iat,
      jti: claims.jti,
      token_use: claims.token_use,
      origin_jti: claims.origin_jti,
      ...(claims['cognito:groups'] ? { 'cognito:groups': claims['cognito:groups'] } : {}),
    };
  }
}

function sameSecret(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
