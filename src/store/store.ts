import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';
import { openDatabase, type Engine } from './dialect.js';
import { migrateToLatest } from './migrate.js';
import { KyselySettingsStore, type SettingsStore } from './settings-store.js';
import { KyselyUserPoolStore, type UserPoolStore } from './user-pool-store.js';
import { KyselyUserPoolClientStore, type UserPoolClientStore } from './user-pool-client-store.js';
import type { SecretBox } from '../crypto/secret-box.js';

/** Every store area over one database connection. */
export interface Store {
  engine: Engine;
  settings: SettingsStore;
  userPools: UserPoolStore;
  clients: UserPoolClientStore;
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
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}
