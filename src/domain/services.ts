import type { Store } from '../store/store.js';
import type { Clock } from './clock.js';
import type { Config } from '../config/config.js';
import { UserPoolService } from './user-pools/user-pool-service.js';
import { UserPoolClientService } from './clients/user-pool-client-service.js';
import { TokenService } from './tokens/token-service.js';
import { Messenger, messagingSettingsFrom, type MessagingLog } from './messaging/messenger.js';
import type { SecretBox } from '../crypto/secret-box.js';
import { UserDirectory } from './users/user-directory.js';
import { VerificationCodes } from './users/verification-codes.js';
import { CodeDelivery } from './users/code-delivery.js';
import { SignUpService } from './users/sign-up-service.js';
import { SelfService } from './users/self-service.js';
import { PasswordRecovery } from './users/password-recovery.js';
import { AdminUsers } from './users/admin-users.js';
import { UserSearch } from './users/user-search.js';
import { AccessTokenGuard } from './users/access-token-guard.js';
import { AuthService } from './auth/auth-service.js';
import { AuthSessions } from './auth/auth-session.js';
import { Lockout } from './auth/lockout.js';
import { PasswordChecks } from './auth/password-checks.js';
import { SrpSignIn } from './auth/challenges/srp-sign-in.js';
import { NewPasswordChallenge } from './auth/challenges/new-password-required.js';
import { tokenIssuerFor } from './auth/token-issuer.js';
import { TokenIntrospection } from './tokens/introspection.js';
import { GroupService } from './groups/group-service.js';
import { UserExport } from './users/transfer/user-export.js';
import { UserImport } from './users/transfer/user-import.js';

/** The domain services the adapters call. Built once per app from explicit dependencies. */
export interface Services {
  userPools: UserPoolService;
  clients: UserPoolClientService;
  /** Email and SMS delivery, and the outbox. */
  messenger: Messenger;
  /** ID, access and refresh tokens; signing keys; access-token verification. */
  tokens: TokenService;
  signUp: SignUpService;
  auth: AuthService;
  selfService: SelfService;
  recovery: PasswordRecovery;
  adminUsers: AdminUsers;
  /** RFC 7662 introspection of access tokens (a Frontdesk extension). */
  introspection: TokenIntrospection;
  /** ListUsers: Cognito's user search over the user_search index. */
  userSearch: UserSearch;
  /** User pool groups and memberships; the group claims of tokens. */
  groups: GroupService;
  /** Lossless user export and import (FrontdeskAdmin.ExportUsers / ImportUsers). */
  userExport: UserExport;
  userImport: UserImport;
}

export interface DomainDeps {
  store: Store;
  clock: Clock;
  /** Seals and MACs secrets under the master key (codes, session state, decoys). */
  secrets: SecretBox;
  config: Pick<Config, 'region' | 'accountId'> &
    Partial<Pick<Config, 'smtpUrl' | 'emailFrom' | 'outbox' | 'smsWebhookUrl' | 'publicUrl' | 'host' | 'port'>>;
  /**
   * The server's base URL, for token issuers (`<publicUrl>/<poolId>`). A function: with port 0 it
   * is known only after listening. Default: config.publicUrl, else http://<host>:<port>.
   */
  publicUrl?: () => string;
  /** Where domain services log (the app's logger); messaging falls back to its own pino logger. */
  log?: MessagingLog;
}

export function createServices(deps: DomainDeps): Services {
  const { store, clock, secrets } = deps;
  const userPools = new UserPoolService(deps);
  const clients = new UserPoolClientService(deps, userPools);
  const messenger = new Messenger({
    outbox: store.messages,
    clock,
    settings: messagingSettingsFrom(deps.config),
    ...(deps.log ? { log: deps.log } : {}),
  });
  const tokens = new TokenService({ store, clock, publicUrl: deps.publicUrl ?? defaultPublicUrl(deps.config) });
  const users = new UserDirectory({ store, clock });
  const codes = new VerificationCodes({ store, secrets, clock });
  const delivery = new CodeDelivery({ messenger });
  const lockout = new Lockout({ store, clock });
  const passwords = new PasswordChecks({ lockout, clock, secrets, users });
  const guard = new AccessTokenGuard({ tokens, userPools, users });
  const groups = new GroupService({ store, clock, userPools, users });
  const auth = new AuthService({
    userPools,
    clients,
    users,
    sessions: new AuthSessions({ store, clock }),
    lockout,
    passwords,
    srp: new SrpSignIn({ users, lockout, passwords, clock, decoyIdKey: secrets.mac('decoy user ids', 'srp-decoy') }),
    newPassword: new NewPasswordChallenge({ users, clock }),
    tokens: tokenIssuerFor(tokens, users, groups),
    clock,
  });
  return {
    userPools,
    clients,
    messenger,
    tokens,
    signUp: new SignUpService({ userPools, clients, users, codes, delivery }),
    auth,
    selfService: new SelfService({ guard, clients, users, codes, delivery, tokens, lockout, clock }),
    recovery: new PasswordRecovery({ clients, users, codes, delivery, lockout, clock }),
    adminUsers: new AdminUsers({ userPools, users, delivery, codes, tokens, lockout, clock }),
    introspection: new TokenIntrospection({ tokens, clients, users }),
    groups,
    userSearch: new UserSearch({ userPools, store }),
    userExport: new UserExport({ store, userPools, clock, secrets }),
    userImport: new UserImport({ store, userPools, clock, secrets }),
  };
}

function defaultPublicUrl(config: DomainDeps['config']): () => string {
  const url = config.publicUrl ?? `http://${config.host ?? '127.0.0.1'}:${config.port ?? 9330}`;
  return () => url;
}
