import type { AuthenticationResultType } from '@aws-sdk/client-cognito-identity-provider';
import type { UserPool } from '../user-pools/user-pool.js';
import type { UserPoolClient } from '../clients/user-pool-client.js';
import type { User } from '../users/user.js';
import type { TokenService } from '../tokens/token-service.js';
import type { UserDirectory } from '../users/user-directory.js';
import type { GroupService } from '../groups/group-service.js';
import type { CustomizeTokens } from '../tokens/claim-overrides.js';

/** What the sign-in engine needs from the token service. */
export interface TokenIssuer {
  /** Starts a token family (one sign-in session) and returns ID, access and refresh tokens. */
  issue(input: {
    pool: UserPool;
    client: UserPoolClient;
    user: User;
    authTime: Date;
    deviceKey?: string;
    customize?: CustomizeTokens;
  }): Promise<AuthenticationResultType>;
  /** New ID and access tokens (and, with rotation, a new refresh token) from a refresh token. */
  refresh(input: {
    pool: UserPool;
    client: UserPoolClient;
    refreshToken: string;
    deviceKey?: string;
    /** Called with the token's user before anything is issued, to check SECRET_HASH. */
    checkSecretHash?: (user: User) => void;
    /** The pre token generation trigger for the refreshing user, if the pool has one. */
    customize?: (user: User) => CustomizeTokens | undefined;
  }): Promise<AuthenticationResultType>;
  /** RevokeToken: ends the session the refresh token belongs to. */
  revoke(input: { client: UserPoolClient; token: string }): Promise<void>;
}

/**
 * The TokenService, fed with users from the directory and, when given, their groups: read afresh
 * for every issuance, so membership changes show in the next tokens, refreshed ones included.
 */
export function tokenIssuerFor(tokens: TokenService, users: UserDirectory, groups?: Pick<GroupService, 'tokenGroups'>): TokenIssuer {
  return {
    issue: async (input) => {
      if (!groups) return tokens.issueTokens(input);
      const claims = await groups.tokenGroups(input.pool.id, input.user.id);
      return tokens.issueTokens({ ...input, groups: claims.groups, roles: claims });
    },
    revoke: (input) => tokens.revokeRefreshToken(input),
    refresh: ({ pool, client, refreshToken, deviceKey, checkSecretHash, customize }) =>
      tokens.refreshTokens({
        pool,
        client,
        refreshToken,
        ...(deviceKey ? { deviceKey } : {}),
        ...(customize ? { customize } : {}),
        loadUser: async (userId) => {
          const user = await users.byId(pool, userId);
          if (user) checkSecretHash?.(user);
          return user;
        },
        ...(groups ? { loadGroups: (user: User) => groups.tokenGroups(pool.id, user.id) } : {}),
      }),
  };
}
