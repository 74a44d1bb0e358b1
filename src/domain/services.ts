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
import { SoftwareTokens } from './mfa/software-tokens.js';
import { MfaService } from './mfa/mfa-service.js';
import { MfaChallenges } from './mfa/mfa-challenges.js';
import { DeviceService } from './devices/device-service.js';
import { DeviceChallenges } from './devices/device-challenges.js';
import { RiskConfigurations } from './risk/risk-configurations.js';
import { RiskEngine } from './risk/risk-engine.js';
import { RiskNotifier } from './risk/risk-notifier.js';
import { AdaptiveAuth } from './risk/adaptive-auth.js';
import { AccountEvents } from './risk/account-events.js';
import type { FunctionRegistry } from './triggers/function-registry.js';
import { createTriggers } from './triggers/create-triggers.js';
import { SignInTriggers } from './triggers/sign-in-triggers.js';
import { UserMigration } from './triggers/user-migration.js';
import { CustomAuthFlow } from './auth/challenges/custom-challenge.js';
import { UserImportService } from './user-import/user-import-service.js';
import { UserImportRunner } from './user-import/user-import-runner.js';
import { UploadUrls } from './user-import/upload-url.js';
import { UserExport } from './users/transfer/user-export.js';
import { UserImport } from './users/transfer/user-import.js';
import { ResourceServerService } from './oauth/resource-server-service.js';
import { UserPoolDomainService } from './oauth/user-pool-domain-service.js';
import { createOAuthServices, type OAuthServices } from './oauth/oauth-services.js';
import { UiCustomizationService } from './oauth/ui-customization-service.js';
import { CustomSenderKeys } from './triggers/custom-sender-keys.js';

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
  /** Authenticator apps, MFA preferences and (with the auth engine) MFA challenges. */
  mfa: MfaService;
  /** Tracked and remembered devices. */
  devices: DeviceService;
  /** Threat protection: risk configurations, risk decisions at sign-in, the auth event log. */
  riskConfigurations: RiskConfigurations;
  adaptiveAuth: AdaptiveAuth;
  /** The Lambda trigger function registry (FrontdeskAdmin.PutFunction …). */
  triggerFunctions: FunctionRegistry;
  /** User import jobs (GetCSVHeader … ListUserImportJobs) and their CSV upload. */
  userImports: UserImportService;
  /** This node's background importer; the app starts and stops it. */
  userImportRunner: UserImportRunner;
  /** Lossless user export and import (FrontdeskAdmin.ExportUsers / ImportUsers). */
  userExport: UserExport;
  userImport: UserImport;
  /** Resource servers: the custom scopes of OAuth 2.0 grants. */
  resourceServers: ResourceServerService;
  /** Hosted-UI domains of pools. */
  domains: UserPoolDomainService;
  /** The OAuth 2.0 / OIDC endpoints' logic: token, userInfo, revocation, authorization codes. */
  oauth: OAuthServices;
  /** Hosted-UI CSS and logos. */
  uiCustomization: UiCustomizationService;
  /** The keys custom email/SMS sender functions decrypt codes with. */
  customSenderKeys: CustomSenderKeys;
}

export interface DomainDeps {
  store: Store;
  clock: Clock;
  /** Seals and MACs secrets under the master key (codes, session state, decoys). */
  secrets: SecretBox;
  config: Pick<Config, 'region' | 'accountId'> &
    Partial<Pick<Config, 'smtpUrl' | 'emailFrom' | 'outbox' | 'smsWebhookUrl' | 'smsSnsUrl' | 'publicUrl' | 'host' | 'port'>> &
    Partial<Pick<Config, 'triggerFunctions' | 'triggerTimeoutMs' | 'triggerCodeFromApi'>>;
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
  const publicUrl = deps.publicUrl ?? defaultPublicUrl(deps.config);
  const tokens = new TokenService({ store, clock, publicUrl });
  const users = new UserDirectory({ store, clock });
  const codes = new VerificationCodes({ store, secrets, clock });
  const { registry: triggerFunctions, triggers } = createTriggers({ store, clock, config: deps.config, ...(deps.log ? { log: deps.log } : {}) });
  const senderKeys = (data: string, purpose: string) => secrets.mac(data, purpose);
  const delivery = new CodeDelivery({ messenger, triggers, senderKeys, hostedBaseUrl: (pool) => `${publicUrl().replace(/\/+$/, '')}/${pool.id}` });
  const lockout = new Lockout({ store, clock });
  const passwords = new PasswordChecks({ lockout, clock, secrets, users });
  const guard = new AccessTokenGuard({ tokens, userPools, users });
  const groups = new GroupService({ store, clock, userPools, users });
  const sessions = new AuthSessions({ store, clock });
  const softwareTokens = new SoftwareTokens({ users, secrets, store, clock });
  const migration = new UserMigration({ triggers, users });
  const srp = new SrpSignIn({ users, lockout, passwords, clock, decoyIdKey: secrets.mac('decoy user ids', 'srp-decoy') });
  const customAuth = new CustomAuthFlow({ triggers, users, srp });
  const newPassword = new NewPasswordChallenge({ users, clock });
  const auth = new AuthService({
    userPools,
    clients,
    users,
    sessions,
    lockout,
    passwords,
    srp,
    newPassword,
    tokens: tokenIssuerFor(tokens, users, groups),
    clock,
    signInTriggers: new SignInTriggers({ triggers, users, migration, lockout }),
    customAuth,
  });
  const mfaChallenges = new MfaChallenges({ users, lockout, delivery, softwareTokens, secrets, clock });
  const devices = new DeviceService({ store, clock, guard, userPools, users, region: deps.config.region });
  const riskConfigurations = new RiskConfigurations({ store, clock, userPools, clients });
  const adaptiveAuth = new AdaptiveAuth({
    store,
    clock,
    secrets,
    userPools,
    users,
    configurations: riskConfigurations,
    engine: new RiskEngine({ store, clock }),
    devices,
    mfa: mfaChallenges,
    notifier: new RiskNotifier({ messenger, publicUrl }),
  });
  // Risk first (it may block or demand MFA), then devices (a remembered one may stand in for
  // MFA), then MFA.
  adaptiveAuth.register(auth);
  passwords.onWrongPassword((ctx, user) => adaptiveAuth.recordFailedSignIn(ctx, user));
  const accountEvents = new AccountEvents({ store, clock, configurations: riskConfigurations, ...(deps.log ? { log: deps.log } : {}) });
  newPassword.watchChosenPasswords({
    check: (ctx, user, password) => accountEvents.checkChosenPassword({ ...ctx, clientId: ctx.client.id }, 'PASSWORD_CHANGE', password, { user, eventType: 'PasswordChange' }),
    changed: (ctx, user, finding) => accountEvents.recordWithFinding({ ...ctx, clientId: ctx.client.id }, user, 'PasswordChange', finding),
  });
  new DeviceChallenges({ devices, users, lockout, clock, afterDevice: (ctx, user) => mfaChallenges.afterFirstFactor(ctx, user) }).register(auth);
  mfaChallenges.register(auth);
  customAuth.register(auth);
  const userImportRunner = new UserImportRunner({ store, userPools, clock, ...(deps.log ? { log: deps.log } : {}) });
  const uploadUrls = new UploadUrls(secrets, deps.publicUrl ?? defaultPublicUrl(deps.config));
  return {
    userImports: new UserImportService({ store, userPools, clock, urls: uploadUrls, runner: userImportRunner }),
    userImportRunner,
    userPools,
    clients,
    messenger,
    tokens,
    signUp: new SignUpService({ userPools, clients, users, codes, delivery, triggers, accountEvents }),
    auth,
    selfService: new SelfService({ guard, clients, users, codes, delivery, tokens, lockout, clock, accountEvents }),
    recovery: new PasswordRecovery({ clients, users, codes, delivery, lockout, clock, triggers, migration, accountEvents }),
    adminUsers: new AdminUsers({ userPools, users, delivery, codes, tokens, lockout, clock, triggers }),
    introspection: new TokenIntrospection({ tokens, clients, users }),
    groups,
    userSearch: new UserSearch({ userPools, store }),
    mfa: new MfaService({ guard, userPools, clients, users, sessions, softwareTokens }),
    devices,
    riskConfigurations,
    adaptiveAuth,
    triggerFunctions,
    userExport: new UserExport({ store, userPools, clock, secrets }),
    userImport: new UserImport({ store, userPools, clock, secrets }),
    resourceServers: new ResourceServerService({ store, clock, userPools }),
    oauth: createOAuthServices({ store, clock, userPools, clients, users, groups, tokens, auth, triggers }),
    uiCustomization: new UiCustomizationService({ store, clock, userPools, clients, publicUrl: deps.publicUrl ?? defaultPublicUrl(deps.config) }),
    domains: new UserPoolDomainService({ store, clock, userPools, config: deps.config, publicUrl: deps.publicUrl ?? defaultPublicUrl(deps.config) }),
    customSenderKeys: new CustomSenderKeys({ userPools, mac: senderKeys }),
  };
}

function defaultPublicUrl(config: DomainDeps['config']): () => string {
  const url = config.publicUrl ?? `http://${config.host ?? '127.0.0.1'}:${config.port ?? 9330}`;
  return () => url;
}
