import { NotAuthorizedException } from '../../generated/exceptions.js';
import type { TokenService } from '../tokens/token-service.js';
import type { UserPoolService } from '../user-pools/user-pool-service.js';
import type { UserPool } from '../user-pools/user-pool.js';
import type { UserDirectory } from './user-directory.js';
import type { User } from './user.js';

export interface AccessTokenCaller {
  pool: UserPool;
  user: User;
  clientId: string;
  /** The `origin_jti` of the token: its sign-in session. */
  familyId: string;
}

/**
 * The gate of every operation that takes an AccessToken (GetUser, ChangePassword, …): the token
 * verifies, is not revoked, its pool exists and its user exists and is enabled.
 */
export class AccessTokenGuard {
  constructor(private readonly deps: { tokens: TokenService; userPools: UserPoolService; users: UserDirectory }) {}

  async authenticate(accessToken: string): Promise<AccessTokenCaller> {
    // Tokens from OAuth sign-ins without this scope may not manage the user (as in Cognito).
    const { userPoolId, claims } = await this.deps.tokens.verifyAccessToken(accessToken, { requiredScope: 'aws.cognito.signin.user.admin' });
    const pool = await this.deps.userPools.get(userPoolId).catch(() => {
      throw new NotAuthorizedException('Invalid Access Token');
    });
    const user = await this.deps.users.byId(pool, claims.sub);
    if (!user) throw new NotAuthorizedException('User does not exist.');
    if (!user.enabled) throw new NotAuthorizedException('User is disabled.');
    return { pool, user, clientId: claims.client_id, familyId: claims.origin_jti };
  }
}
