import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';
import { openDatabase, type Engine } from './dialect.js';
import { migrateToLatest } from './migrate.js';
import { KyselySettingsStore, type SettingsStore } from './settings-store.js';
import { KyselyUserPoolStore, type UserPoolStore } from './user-pool-store.js';
import { KyselyUserPoolClientStore, type UserPoolClientStore } from './user-pool-client-store.js';
import { KyselySigningKeyStore, type SigningKeyStore } from './signing-key-store.js';
import { KyselyTokenFamilyStore, type TokenFamilyStore } from './token-family-store.js';
import type { SecretBox } from '../crypto/secret-box.js';
import { KyselyMessageStore, type MessageStore } from './message-store.js';
import { KyselyUserStore, type UserStore } from './user-store.js';
import { KyselyVerificationCodeStore, type VerificationCodeStore } from './verification-code-store.js';
import { KyselyAuthChallengeStore, type AuthChallengeStore } from './auth-challenge-store.js';
import { KyselySignInFailureStore, type SignInFailureStore } from './sign-in-failure-store.js';
import { KyselyGroupStore, type GroupStore } from './group-store.js';
import { KyselyTotpStepStore, type TotpStepStore } from './totp-step-store.js';
import { KyselyDeviceStore, type DeviceStore } from './device-store.js';
import { KyselyRiskStore, type RiskStore } from './risk-store.js';
import { KyselyTriggerFunctionStore, type TriggerFunctionStore } from './trigger-function-store.js';
import { UserImportStore } from './user-import-store.js';
import { KyselyUserTransferStore, type UserTransferStore } from './user-transfer-store.js';
import { KyselyResourceServerStore, type ResourceServerStore } from './resource-server-store.js';
import { KyselyUserPoolDomainStore, type UserPoolDomainStore } from './user-pool-domain-store.js';
import { KyselyAuthorizationCodeStore, type AuthorizationCodeStore } from './authorization-code-store.js';
import { KyselyOAuthGrantStore, type OAuthGrantStore } from './oauth-grant-store.js';
import { KyselyHostedSessionStore, type HostedSessionStore } from './hosted-session-store.js';
import { KyselyUiCustomizationStore, type UiCustomizationStore } from './ui-customization-store.js';

/** Every store area over one database connection. */
export interface Store {
  engine: Engine;
  settings: SettingsStore;
  userPools: UserPoolStore;
  clients: UserPoolClientStore;
  signingKeys: SigningKeyStore;
  tokenFamilies: TokenFamilyStore;
  /** The message outbox and delivery log. */
  messages: MessageStore;
  users: UserStore;
  codes: VerificationCodeStore;
  challenges: AuthChallengeStore;
  signInFailures: SignInFailureStore;
  /** User pool groups and their members. */
  groups: GroupStore;
  /** The last TOTP step each user used (codes are single-use). */
  totpSteps: TotpStepStore;
  /** Devices users' clients track and remember. */
  devices: DeviceStore;
  /** Threat protection: risk configurations and auth events. */
  risk: RiskStore;
  /** The Lambda trigger function registry (functions added through the API). */
  triggerFunctions: TriggerFunctionStore;
  /** User import jobs, their uploaded CSV and row errors. */
  userImports: UserImportStore;
  /** Bulk reads and writes of the user export and import. */
  userTransfer: UserTransferStore;
  /** Resource servers and their custom OAuth scopes. */
  resourceServers: ResourceServerStore;
  /** Hosted-UI domains (prefix and custom). */
  domains: UserPoolDomainStore;
  /** OAuth 2.0 authorization codes (single-use, by hash). */
  authorizationCodes: AuthorizationCodeStore;
  /** The scopes of OAuth 2.0 sessions. */
  oauthGrants: OAuthGrantStore;
  /** Hosted-UI sign-in sessions (the SSO cookie). */
  hostedSessions: HostedSessionStore;
  /** Hosted-UI CSS and logos (SetUICustomization). */
  uiCustomizations: UiCustomizationStore;
  /** A database round trip, for /health. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export async function openStore(options: {
  databaseUrl?: string;
  sqliteFile: string;
  secrets: SecretBox;
}): Promise<Store> {
  const { db, engine } = openDatabase(options);
  await migrateToLatest(db);
  return createStore(db, engine, options.secrets);
}

export function createStore(db: Kysely<Database>, engine: Engine, secrets: SecretBox): Store {
  return {
    engine,
    settings: new KyselySettingsStore(db),
    userPools: new KyselyUserPoolStore(db),
    clients: new KyselyUserPoolClientStore(db, secrets),
    signingKeys: new KyselySigningKeyStore(db, secrets),
    tokenFamilies: new KyselyTokenFamilyStore(db),
    messages: new KyselyMessageStore(db),
    users: new KyselyUserStore(db, secrets),
    codes: new KyselyVerificationCodeStore(db),
    challenges: new KyselyAuthChallengeStore(db, secrets),
    signInFailures: new KyselySignInFailureStore(db),
    groups: new KyselyGroupStore(db),
    totpSteps: new KyselyTotpStepStore(db),
    devices: new KyselyDeviceStore(db, secrets),
    risk: new KyselyRiskStore(db),
    triggerFunctions: new KyselyTriggerFunctionStore(db, secrets),
    userImports: new UserImportStore(db),
    userTransfer: new KyselyUserTransferStore(db, new KyselyUserStore(db, secrets)),
    resourceServers: new KyselyResourceServerStore(db),
    domains: new KyselyUserPoolDomainStore(db),
    authorizationCodes: new KyselyAuthorizationCodeStore(db, secrets),
    oauthGrants: new KyselyOAuthGrantStore(db),
    hostedSessions: new KyselyHostedSessionStore(db),
    uiCustomizations: new KyselyUiCustomizationStore(db),
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}
