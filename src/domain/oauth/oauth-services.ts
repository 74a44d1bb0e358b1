import type { Store } from '../../store/store.js';
import type { Clock } from '../clock.js';
import type { UserPoolClientService } from '../clients/user-pool-client-service.js';
import type { GroupService } from '../groups/group-service.js';
import type { TokenService } from '../tokens/token-service.js';
import type { UserDirectory } from '../users/user-directory.js';
import type { UserPoolService } from '../user-pools/user-pool-service.js';
import { AuthorizationCodes } from './authorization-codes.js';
import { Revocation } from './revocation.js';
import { TokenEndpoint } from './token-endpoint.js';
import { UserInfo } from './user-info.js';
import { AuthorizationService } from './authorization-service.js';
import { HostedSessions } from './hosted-sessions.js';
import { LogoutService } from './logout.js';
import { HostedRateLimits } from './hosted-rate-limits.js';

import type { AuthService } from '../auth/auth-service.js';
import type { Triggers } from '../triggers/triggers.js';

/** The OAuth 2.0 / OpenID Connect provider's domain services (the endpoints' logic). */
export interface OAuthServices {
  codes: AuthorizationCodes;
  tokenEndpoint: TokenEndpoint;
  userInfo: UserInfo;
  revocation: Revocation;
  /** /oauth2/authorize and the hosted sign-in pages. */
  authorization: AuthorizationService;
  logout: LogoutService;
  /** Per-address and per-name limits of the hosted pages that check passwords or send messages. */
  rateLimits: HostedRateLimits;
}

export interface OAuthServiceDeps {
  store: Store;
  clock: Clock;
  userPools: UserPoolService;
  clients: UserPoolClientService;
  users: UserDirectory;
  groups: GroupService;
  tokens: TokenService;
  auth: AuthService;
  /** Lambda triggers: PreTokenGeneration at the token endpoint and in the implicit flow. */
  triggers?: Triggers;
}

export function createOAuthServices(deps: OAuthServiceDeps): OAuthServices {
  const codes = new AuthorizationCodes(deps);
  return {
    codes,
    tokenEndpoint: new TokenEndpoint({ ...deps, codes }),
    userInfo: new UserInfo(deps),
    revocation: new Revocation(deps),
    authorization: new AuthorizationService({ ...deps, codes, sessions: new HostedSessions(deps) }),
    logout: new LogoutService(deps),
    rateLimits: new HostedRateLimits(deps),

  };
}
