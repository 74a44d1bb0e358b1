// /oauth2/userInfo: OIDC Core §5.3. Reference: "The user attributes endpoint" in the Cognito
// developer guide: the access token must carry `openid`; `openid` alone returns every attribute
// the client may read, `profile`, `email` and `phone` narrow the answer to their claims.
import { NotAuthorizedException } from '../../generated/exceptions.js';
import type { UserPoolClientService } from '../clients/user-pool-client-service.js';
import { attributeClaims } from '../tokens/claims.js';
import type { TokenService } from '../tokens/token-service.js';
import type { UserDirectory } from '../users/user-directory.js';
import type { UserPoolService } from '../user-pools/user-pool-service.js';
import { OAuthError } from './oauth-error.js';

const PROFILE_CLAIMS = [
  'name', 'family_name', 'given_name', 'middle_name', 'nickname', 'preferred_username', 'profile', 'picture',
  'website', 'gender', 'birthdate', 'zoneinfo', 'locale', 'updated_at', 'address',
];
const EMAIL_CLAIMS = ['email', 'email_verified'];
const PHONE_CLAIMS = ['phone_number', 'phone_number_verified'];

export class UserInfo {
  constructor(private readonly deps: { tokens: TokenService; userPools: UserPoolService; clients: UserPoolClientService; users: UserDirectory }) {}

  async claims(accessToken: string | undefined, poolId?: string): Promise<Record<string, unknown>> {
    if (!accessToken) throw new OAuthError('invalid_request', 'An access token is required.', 401);
    let verified;
    try {
      verified = await this.deps.tokens.verifyAccessToken(accessToken);
    } catch (error) {
      if (error instanceof NotAuthorizedException) throw new OAuthError('invalid_token', 'The access token is invalid.');
      throw error;
    }
    if (poolId !== undefined && verified.userPoolId !== poolId) throw new OAuthError('invalid_token', 'The access token is invalid.');
    const scopes = new Set(verified.claims.scope.split(' '));
    if (!scopes.has('openid')) throw new OAuthError('invalid_token', 'The access token does not have the openid scope.');
    const pool = await this.deps.userPools.get(verified.userPoolId);
    const [user, client] = await Promise.all([
      this.deps.users.byId(pool, verified.claims.sub),
      this.deps.clients.find(pool.id, verified.claims.client_id),
    ]);
    if (!user?.enabled || !client) throw new OAuthError('invalid_token', 'The access token is invalid.');
    const readable = attributeClaims(user, client);
    const narrowed = scopes.has('profile') || scopes.has('email') || scopes.has('phone');
    const wanted = (name: string) =>
      !narrowed ||
      (scopes.has('profile') && (PROFILE_CLAIMS.includes(name) || name.startsWith('custom:'))) ||
      (scopes.has('email') && EMAIL_CLAIMS.includes(name)) ||
      (scopes.has('phone') && PHONE_CLAIMS.includes(name));
    const out: Record<string, unknown> = { sub: user.id };
    for (const [name, value] of Object.entries(readable)) {
      if (name !== 'identities' && wanted(name)) out[name] = value;
    }
    // Cognito's userInfo answers with strings for the verified flags (`"true"`), as JSON from its API.
    for (const flag of ['email_verified', 'phone_number_verified']) if (typeof out[flag] === 'boolean') out[flag] = String(out[flag]);
    out.username = user.username;
    return out;
  }
}
