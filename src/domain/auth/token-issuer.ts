import type { AuthenticationResultType } from '@aws-sdk/client-cognito-identity-provider';
import type { UserPool } from '../user-pools/user-pool.js';
import type { UserPoolClient } from '../clients/user-pool-client.js';
import type { User } from '../users/user.js';
import type { TokenService } from '../tokens/token-service.js';
import type { UserDirectory } from '../users/user-directory.js';

/** What the sign-in engine needs from the token service. */
export interface TokenIssuer {
  /** Starts a token family (one sign-in session) and returns ID, access and refresh tokens. */
  issue(input: { pool: UserPool; client: UserPoolClient; user: User; authTime: Date }): Promise<AuthenticationResultType>;
  /** New ID and access tokens (and, with rotation, a new refresh token) from a refresh token. */
  refresh(input: {
    pool: UserPool;
    client: UserPoolClient;
    refreshToken: string;
    deviceKey?: string;
    /** Called with the token's user before anything is issued, to check SECRET_HASH. */
    checkSecretHash?: (user: User) => void;
  }): Promise<AuthenticationResultType>;
  /** RevokeToken: ends the session the refresh token belongs to. */
  revoke(input: { client: UserPoolClient; token: string }): Promise<void>;
}

/** The TokenService, fed with users from the directory. */
export function tokenIssuerFor(tokens: TokenService, users: UserDirectory): TokenIssuer {
  return {
    issue: (input) => tokens.issueTokens(input),
    revoke: (input) => tokens.revokeRefreshToken(input),
    refresh: ({ pool, client, refreshToken, deviceKey, checkSecretHash }) =>
      tokens.refreshTokens({
        pool,
        client,
        refreshToken,
        ...(deviceKey ? { deviceKey } : {}),
        loadUser: async (userId) => {
          const user = await users.byId(pool, userId);
          if (user) checkSecretHash?.(user);
          return user;
        },
      }),
  };
}
