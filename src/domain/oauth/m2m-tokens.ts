import { randomUUID } from 'node:crypto';
import type { UserPool } from '../user-pools/user-pool.js';
import type { UserPoolClient } from '../clients/user-pool-client.js';
import { resolveTokenValidity } from '../clients/token-validity.js';
import type { TokenService } from '../tokens/token-service.js';
import { signRs256 } from '../tokens/jwt.js';
import type { Clock } from '../clock.js';
import { applyCustomization, customizedScopes, type TokenCustomization } from '../tokens/claim-overrides.js';

const SECONDS = { seconds: 1, minutes: 60, hours: 3600, days: 86400 } as const;

/** The claims of Cognito's machine-to-machine access tokens (client_credentials), in its order. */
export interface M2mAccessTokenClaims {
  sub: string;
  token_use: 'access';
  scope: string;
  auth_time: number;
  iss: string;
  exp: number;
  iat: number;
  version: 2;
  jti: string;
  client_id: string;
}

/**
 * client_credentials access tokens: the client acts for itself, so `sub` is the client id, there is
 * no user, no ID token and no refresh token. Signed with the pool's current key, like every token.
 * They are not sessions: nothing is stored, so they cannot be revoked and end only by expiring
 * (as in Cognito).
 */
export async function mintM2mAccessToken(
  deps: { tokens: TokenService; clock: Clock },
  pool: UserPool,
  client: UserPoolClient,
  scopes: readonly string[],
  /** A V3 pre token generation answer: access-token claims and scopes (reserved claims stay as they are). */
  customization?: TokenCustomization,
): Promise<{ accessToken: string; expiresIn: number }> {
  const validity = resolveTokenValidity(client.settings);
  const expiresIn = validity.AccessTokenValidity * SECONDS[validity.TokenValidityUnits.AccessToken];
  const now = Math.floor(deps.clock.now().getTime() / 1000);
  const claims: M2mAccessTokenClaims = {
    sub: client.id,
    token_use: 'access',
    scope: customizedScopes(scopes, customization).join(' '),
    auth_time: now,
    iss: deps.tokens.issuer(pool.id),
    exp: now + expiresIn,
    iat: now,
    version: 2,
    jti: randomUUID(),
    client_id: client.id,
  };
  applyCustomization({}, claims as unknown as Record<string, unknown>, customization?.access ? { access: customization.access } : undefined);
  const key = await deps.tokens.keys.currentKey(pool.id);
  return { accessToken: await signRs256(key.header, claims, key.privateKey), expiresIn };
}
