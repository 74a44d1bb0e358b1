import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/**
 * A fresh, empty database for one test file: a new PostgreSQL database when TEST_DATABASE_URL
 * names a server (CI runs the suite this way too), otherwise a SQLite file in a temp directory.
 */
export interface TestDatabase {
  engine: 'sqlite' | 'postgres';
  databaseUrl?: string;
  dataDir: string;
  sqliteFile: string;
  drop(): Promise<void>;
}

export const testDatabaseUrl = process.env.TEST_DATABASE_URL || undefined;

export async function createTestDatabase(): Promise<TestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'frontdesk-test-'));
  const sqliteFile = join(dataDir, 'frontdesk.sqlite');
  const cleanDir = () => rmSync(dataDir, { recursive: true, force: true });
  if (!testDatabaseUrl) {
    return { engine: 'sqlite', dataDir, sqliteFile, drop: async () => cleanDir() };
  }
  const name = `frontdesk_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: testDatabaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(testDatabaseUrl);
  url.pathname = `/${name}`;
  return {
    engine: 'postgres',
    databaseUrl: url.toString(),
    dataDir,
    sqliteFile,
    drop: async () => {
      cleanDir();
      const client = new pg.Client({ connectionString: testDatabaseUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
