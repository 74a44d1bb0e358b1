/** Table types for Kysely. snake_case columns; times are epoch milliseconds; JSON documents are text. */
export interface SettingsTable {
  key: string;
  value: string;
  updated_at: number;
}

export interface UserPoolsTable {
  id: string;
  name: string;
  /** The pool's settings (Cognito's CreateUserPool members), as JSON. */
  settings: string;
  version: number;
  created_at: number;
  updated_at: number;
}

export interface UserPoolClientsTable {
  id: string;
  user_pool_id: string;
  client_name: string;
  /** AES-256-GCM ciphertext of the client secret under the master key; null without a secret. */
  secret_ciphertext: string | null;
  /** The client's settings (Cognito's CreateUserPoolClient members), as JSON. */
  settings: string;
  created_at: number;
  updated_at: number;
}

export interface UsersTable {
  id: string;
  user_pool_id: string;
  username: string;
  username_key: string;
  email_key: string | null;
  phone_key: string | null;
  preferred_username_key: string | null;
  status: string;
  enabled: number;
  attributes: string;
  pending_attributes: string | null;
  password_kind: string | null;
  password_salt: string | null;
  password_secret: string | null;
  password_set_at: number | null;
  mfa: string | null;
  version: number;
  created_at: number;
  updated_at: number;
}

export interface VerificationCodesTable {
  user_id: string;
  purpose: string;
  code_hash: string;
  attempts: number;
  expires_at: number;
  created_at: number;
}

export interface AuthChallengesTable {
  session_hash: string;
  user_pool_id: string;
  client_id: string;
  state: string;
  expires_at: number;
}

export interface TokenFamiliesTable {
  id: string;
  user_id: string;
  user_pool_id: string;
  client_id: string;
  auth_time: number;
  device_key: string | null;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
}

export interface RefreshTokensTable {
  token_hash: string;
  family_id: string;
  created_at: number;
  superseded_at: number | null;
}

export interface SigningKeysTable {
  kid: string;
  user_pool_id: string;
  private_key: string;
  public_jwk: string;
  created_at: number;
  retired_at: number | null;
}

export interface SignInFailuresTable {
  user_pool_id: string;
  subject: string;
  failures: number;
  last_failure_at: number;
  locked_until: number;
}

export interface MessagesTable {
  id: string;
  user_pool_id: string | null;
  destination: string;
  delivery_medium: string;
  subject: string | null;
  body: string;
  delivery_status: string;
  delivery_error: string | null;
  created_at: number;
}

export interface GroupsTable {
  user_pool_id: string;
  group_name: string;
  description: string | null;
  role_arn: string | null;
  precedence: number | null;
  created_at: number;
  updated_at: number;
}

export interface GroupMembersTable {
  user_pool_id: string;
  group_name: string;
  user_id: string;
}

export interface UserSearchTable {
  user_id: string;
  attribute: string;
  user_pool_id: string;
  key: string;
}

export interface TriggerFunctionsTable {
  arn: string;
  definition: string;
  secret_ciphertext: string | null;
  created_at: number;
  updated_at: number;
}

export interface UserImportJobsTable {
  id: string;
  user_pool_id: string;
  job_name: string;
  cloud_watch_logs_role_arn: string;
  status: string;
  created_at: number;
  upload_expires_at: number;
  started_at: number | null;
  completed_at: number | null;
  completion_message: string | null;
  imported_users: number;
  skipped_users: number;
  failed_users: number;
  upload_id: string | null;
  csv_bytes: number | null;
  csv_lines: number | null;
  lines_done: number;
  lease_owner: string | null;
  lease_expires_at: number | null;
}

export interface UserImportChunksTable {
  job_id: string;
  upload_id: string;
  seq: number;
  data: Buffer;
}

export interface UserImportErrorsTable {
  job_id: string;
  line_number: number;
  result: string;
  message: string;
}

export interface ResourceServersTable {
  user_pool_id: string;
  identifier: string;
  name: string;
  scopes: string;
  created_at: number;
  updated_at: number;
}

export interface UserPoolDomainsTable {
  domain: string;
  user_pool_id: string;
  kind: string;
  certificate_arn: string | null;
  managed_login_version: number;
  version: string;
  created_at: number;
  updated_at: number;
}

export interface AuthorizationCodesTable {
  code_hash: string;
  user_pool_id: string;
  client_id: string;
  user_id: string;
  state: string;
  family_id: string;
  expires_at: number;
  redeemed_at: number | null;
  replayed_at: number | null;
}

export interface OAuthGrantsTable {
  family_id: string;
  scopes: string;
}

export interface HostedSessionsTable {
  session_hash: string;
  user_pool_id: string;
  user_id: string;
  auth_time: number;
  created_at: number;
  expires_at: number;
}

export interface UiCustomizationsTable {
  user_pool_id: string;
  client_key: string;
  css: string | null;
  image: string | null;
  image_type: string | null;
  css_version: string;
  created_at: number;
  updated_at: number;
}

export interface Database {
  settings: SettingsTable;
  user_pools: UserPoolsTable;
  user_pool_clients: UserPoolClientsTable;
  users: UsersTable;
  verification_codes: VerificationCodesTable;
  auth_challenges: AuthChallengesTable;
  token_families: TokenFamiliesTable;
  refresh_tokens: RefreshTokensTable;
  signing_keys: SigningKeysTable;
  sign_in_failures: SignInFailuresTable;
  messages: MessagesTable;
  groups: GroupsTable;
  group_members: GroupMembersTable;
  user_search: UserSearchTable;
  totp_used_steps: TotpUsedStepsTable;
  devices: DevicesTable;
  risk_configurations: RiskConfigurationsTable;
  auth_events: AuthEventsTable;
  trigger_functions: TriggerFunctionsTable;
  user_import_jobs: UserImportJobsTable;
  user_import_chunks: UserImportChunksTable;
  user_import_errors: UserImportErrorsTable;
  resource_servers: ResourceServersTable;
  user_pool_domains: UserPoolDomainsTable;
  authorization_codes: AuthorizationCodesTable;
  oauth_grants: OAuthGrantsTable;
  hosted_sessions: HostedSessionsTable;
  ui_customizations: UiCustomizationsTable;
}

export interface TotpUsedStepsTable {
  user_id: string;
  secret_id: string;
  last_step: number;
}

export interface DevicesTable {
  device_key: string;
  user_pool_id: string;
  user_id: string;
  device_group_key: string;
  salt: string | null;
  verifier: string | null;
  remembered: number;
  attributes: string;
  created_at: number;
  last_modified_at: number;
  last_authenticated_at: number;
}

export interface RiskConfigurationsTable {
  user_pool_id: string;
  client_id: string;
  configuration: string;
  updated_at: number;
}

export interface AuthEventsTable {
  id: string;
  user_pool_id: string;
  user_id: string;
  event_type: string;
  event_response: string;
  risk_decision: string;
  risk_level: string | null;
  compromised: number;
  challenges: string;
  ip_address: string | null;
  device_key: string | null;
  context: string;
  signals: string;
  feedback_value: string | null;
  feedback_provider: string | null;
  feedback_at: number | null;
  created_at: number;
}
