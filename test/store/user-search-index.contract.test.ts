import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Migrator, type Migration } from 'kysely';
import { openDatabase, type OpenedDatabase } from '../../src/store/dialect.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import * as m0001 from '../../src/store/migrations/0001-initial.js';
import * as m0002 from '../../src/store/migrations/0002-users-and-sessions.js';
import { prefixUpperBound, searchKeyOf, SEARCH_KEY_LENGTH } from '../../src/store/user-search-index.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

// The ListUsers index at the store level: migration 0004 indexes users that existed before it, and
// the key rules (normalisation, cutting, prefix upper bounds) hold on either engine.

describe('user_search index', () => {
  let database: TestDatabase;
  let opened: OpenedDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
    opened = openDatabase({ databaseUrl: database.databaseUrl, sqliteFile: database.sqliteFile });
  });
  afterAll(async () => {
    await opened?.db.destroy();
    await database?.drop();
  });

  it('migration 0004 indexes the users that were already there', async () => {
    const before: Record<string, Migration> = { '0001-initial': m0001, '0002-users-and-sessions': m0002 };
    const { error } = await new Migrator({ db: opened.db, provider: { getMigrations: async () => before } }).migrateToLatest();
    expect(error).toBeUndefined();
    const now = Date.now();
    await opened.db.insertInto('user_pools').values({ id: 'us-east-1_old', name: 'old', settings: '{}', version: 1, created_at: now, updated_at: now }).execute();
    await opened.db
      .insertInto('users')
      .values({
        id: '00000000-0000-4000-8000-000000000001',
        user_pool_id: 'us-east-1_old',
        username: 'Legacy',
        username_key: 'Legacy',
        email_key: null,
        phone_key: null,
        preferred_username_key: null,
        status: 'CONFIRMED',
        enabled: 0,
        attributes: JSON.stringify({ email: 'Legacy@Example.com', family_name: 'Old', 'custom:tier': 'gold', email_verified: 'true' }),
        pending_attributes: null,
        password_kind: null,
        password_salt: null,
        password_secret: null,
        password_set_at: null,
        mfa: null,
        version: 1,
        created_at: now,
        updated_at: now,
      })
      .execute();

    await migrateToLatest(opened.db);
    const rows = await opened.db.selectFrom('user_search').select(['attribute', 'key']).orderBy('attribute').execute();
    expect(rows).toEqual([
      { attribute: 'cognito:user_status', key: 'CONFIRMED' },
      { attribute: 'custom:tier', key: 'gold' },
      { attribute: 'email', key: 'legacy@example.com' },
      { attribute: 'family_name', key: 'Old' },
      { attribute: 'status', key: 'Disabled' },
      { attribute: 'sub', key: '00000000-0000-4000-8000-000000000001' },
      { attribute: 'username', key: 'Legacy' },
    ]);
  });

  it('orders keys by code point, so prefix ranges are exact on both engines', async () => {
    const keys = ['a', 'a\u00e9', 'aZ', 'a\uffff', 'a\u{1F600}', 'b', 'A'];
    const userId = '00000000-0000-4000-8000-000000000001';
    await opened.db
      .insertInto('user_search')
      .values(keys.map((key, i) => ({ user_id: userId, attribute: `custom:k${i}`, user_pool_id: 'us-east-1_order', key })))
      .execute();
    const inRange = async (prefix: string) => {
      const upper = prefixUpperBound(prefix);
      let query = opened.db.selectFrom('user_search').select('key').where('user_pool_id', '=', 'us-east-1_order').where('key', '>=', prefix);
      if (upper !== undefined) query = query.where('key', '<', upper);
      return (await query.orderBy('key').execute()).map((r) => r.key);
    };
    expect(await inRange('a')).toEqual(['a', 'aZ', 'a\u00e9', 'a\uffff', 'a\u{1F600}']);
    expect(await inRange('A')).toEqual(['A']);
    expect(await inRange('a\uffff')).toEqual(['a\uffff']);
  });

  it('normalises and cuts keys, and bounds prefixes', () => {
    expect(searchKeyOf('email', 'Mixed@Case.COM')).toBe('mixed@case.com');
    expect(searchKeyOf('cognito:user_status', 'confirmed')).toBe('CONFIRMED');
    expect(searchKeyOf('family_name', 'McDonald')).toBe('McDonald');
    expect(Array.from(searchKeyOf('name', '\u{1F600}'.repeat(300)))).toHaveLength(SEARCH_KEY_LENGTH);
    expect(prefixUpperBound('')).toBeUndefined();
    expect(prefixUpperBound('ab')).toBe('ac');
    expect(prefixUpperBound('a\u{10FFFF}')).toBe('b');
    expect(prefixUpperBound('a\ud7ff')).toBe('a\ue000');
  });
});
