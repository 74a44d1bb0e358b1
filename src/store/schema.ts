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

export interface Database {
  settings: SettingsTable;
  user_pools: UserPoolsTable;
  user_pool_clients: UserPoolClientsTable;
}
