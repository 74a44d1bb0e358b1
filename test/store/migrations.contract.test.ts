import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { SecretBox } from '../../src/crypto/secret-box.js';
import { openStore, type Store } from '../../src/store/store.js';
import { openDatabase } from '../../src/store/dialect.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { makeClient, makePool } from './store-fixtures.js';

describe('migrations', () => {
  let database: TestDatabase;
  const secrets = new SecretBox(randomBytes(32));
  const opened: Store[] = [];
  const open = async () => {
    const store = await openStore({ databaseUrl: database.databaseUrl, sqliteFile: database.sqliteFile, secrets });
    opened.push(store);
    return store;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    for (const store of opened) await store.close().catch(() => undefined);
    await database?.drop();
  });

  it('opening the same database again is a no-op that keeps the data', async () => {
    const first = await open();
    const pool = makePool();
    const client = makeClient(pool.id);
    await first.userPools.insert(pool);
    await first.clients.insert(client);
    await first.settings.putIfAbsent('kept', 'yes', new Date());
    await first.close();

    const second = await open();
    expect(await second.userPools.get(pool.id)).toEqual(pool);
    expect(await second.clients.get(pool.id, client.id)).toEqual(client);
    expect(await second.settings.get('kept')).toBe('yes');
    await second.ping();

    // Each migration is recorded once, however often the store was opened.
    const third = await open();
    // The Store hides its Kysely instance; a raw connection reads Kysely's bookkeeping table.
    const { db: raw } = openDatabase({ databaseUrl: database.databaseUrl, sqliteFile: database.sqliteFile });
    const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(raw).finally(() => raw.destroy());
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => r.name)).size).toBe(rows.length);
    await third.ping();
  });

  it('nodes opening the database at the same time migrate it once', async ({ skip }) => {
    // Several processes booting at once against one PostgreSQL is the production shape; an
    // embedded SQLite file has one process.
    skip(database.engine !== 'postgres', 'concurrent boots only apply to a shared PostgreSQL');
    const fresh = await createTestDatabase();
    const stores: Store[] = [];
    try {
      const openFresh = () => openStore({ databaseUrl: fresh.databaseUrl, sqliteFile: fresh.sqliteFile, secrets });
      const results = await Promise.allSettled([openFresh(), openFresh(), openFresh()]);
      for (const r of results) if (r.status === 'fulfilled') stores.push(r.value);
      expect(results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'ok'))).toEqual(['ok', 'ok', 'ok']);
      const pool = makePool();
      expect(await stores[0]!.userPools.insert(pool)).toBe(true);
      expect(await stores[2]!.userPools.get(pool.id)).toEqual(pool);
    } finally {
      for (const store of stores) await store.close().catch(() => undefined);
      await fresh.drop();
    }
  });
});
