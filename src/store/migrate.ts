import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { Kysely } from 'kysely';
import * as m0001 from './migrations/0001-initial.js';
import * as m0002 from './migrations/0002-users-and-sessions.js';
import * as m0003 from './migrations/0003-groups.js';
import * as m0004 from './migrations/0004-user-search.js';
import * as m0005 from './migrations/0005-user-import-jobs.js';
import * as m0007 from './migrations/0007-trigger-functions.js';
import * as m0008 from './migrations/0008-mfa-and-devices.js';
import * as m0009 from './migrations/0009-hosted-ui.js';

// Migrations are listed in code (not read from disk) so the compiled build and tests agree.
const migrations: Record<string, Migration> = {
  '0001-initial': m0001,
  '0002-users-and-sessions': m0002,
  '0003-groups': m0003,
  '0004-user-search': m0004,
  '0005-user-import-jobs': m0005,
  '0007-trigger-functions': m0007,
  '0008-mfa-and-devices': m0008,
  '0009-hosted-ui': m0009,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function migrateToLatest(db: Kysely<any>): Promise<void> {
  // Numbers are reserved per feature branch, so a database may have run 0008 before 0007 exists;
  // the migrations are independent of each other, and each runs exactly once either way.
  const migrator = new Migrator({ db, provider, allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`database migration ${failed} failed`, { cause: error });
  }
}
