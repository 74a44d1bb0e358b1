import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** Server-wide key/value settings (e.g. the generated admin credentials). */
export interface SettingsStore {
  get(key: string): Promise<string | undefined>;
  /** Stores the value unless the key already exists; returns the value that is now stored. */
  putIfAbsent(key: string, value: string, now: Date): Promise<string>;
}

export class KyselySettingsStore implements SettingsStore {
  constructor(private readonly db: Kysely<Database>) {}

  async get(key: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
    return row?.value;
  }

  async putIfAbsent(key: string, value: string, now: Date): Promise<string> {
    // ON CONFLICT DO NOTHING has the same spelling on SQLite and PostgreSQL; the re-read makes
    // two nodes booting at once agree on whichever value landed first.
    await this.db
      .insertInto('settings')
      .values({ key, value, updated_at: now.getTime() })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    const stored = await this.get(key);
    if (stored === undefined) throw new Error(`setting ${key} vanished after insert`);
    return stored;
  }
}
