import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePool, openStoreFixture, poolId, type StoreFixture } from './store-fixtures.js';
import type { UserPoolStore } from '../../src/store/user-pool-store.js';
import type { UserPool } from '../../src/domain/user-pools/user-pool.js';

describe('UserPoolStore contract', () => {
  let fixture: StoreFixture;
  let pools: UserPoolStore;

  beforeAll(async () => {
    fixture = await openStoreFixture();
    pools = fixture.store.userPools;
  });
  afterAll(async () => {
    await fixture?.close();
  });

  it(`runs on the engine the suite was asked for`, () => {
    expect(fixture.store.engine).toBe(process.env.TEST_DATABASE_URL ? 'postgres' : 'sqlite');
  });

  it('inserts and reads back a pool unchanged (settings, version, millisecond dates)', async () => {
    const pool = makePool();
    expect(await pools.insert(pool)).toBe(true);
    const read = await pools.get(pool.id);
    expect(read).toEqual(pool);
    expect(read!.createdAt).toBeInstanceOf(Date);
    expect(typeof read!.version).toBe('number');
  });

  it('returns undefined for a pool that does not exist', async () => {
    expect(await pools.get(poolId('doesNotEx'))).toBeUndefined();
  });

  it('refuses a second insert with the same id and keeps the first pool', async () => {
    const pool = makePool();
    expect(await pools.insert(pool)).toBe(true);
    expect(await pools.insert({ ...pool, name: 'impostor' })).toBe(false);
    expect((await pools.get(pool.id))!.name).toBe(pool.name);
  });

  it('updates when the stored version is the one read, and refuses a stale version', async () => {
    const pool = makePool();
    await pools.insert(pool);
    const v2: UserPool = {
      ...pool,
      name: 'renamed',
      settings: { ...pool.settings, MfaConfiguration: 'OPTIONAL' },
      version: 2,
      updatedAt: new Date(pool.updatedAt.getTime() + 5000),
    };
    expect(await pools.update(v2)).toBe(true);
    expect(await pools.get(pool.id)).toEqual(v2);

    // A writer that read version 1 and now tries to write version 2 again lost the race.
    const stale: UserPool = { ...pool, name: 'stale', version: 2 };
    expect(await pools.update(stale)).toBe(false);
    // Nor may a writer skip versions.
    expect(await pools.update({ ...pool, name: 'skipping', version: 4 })).toBe(false);
    expect(await pools.get(pool.id)).toEqual(v2);
  });

  it('lets exactly one of two concurrent writers of the same version win', async () => {
    const pool = makePool();
    await pools.insert(pool);
    const other = await fixture.openAnother();
    const results = await Promise.all([
      pools.update({ ...pool, name: 'writer-a', version: 2 }),
      other.userPools.update({ ...pool, name: 'writer-b', version: 2 }),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const stored = await pools.get(pool.id);
    expect(stored!.version).toBe(2);
    expect(stored!.name).toBe(results[0] ? 'writer-a' : 'writer-b');
  });

  it('does not update a pool that does not exist', async () => {
    expect(await pools.update(makePool({ version: 2 }))).toBe(false);
  });

  it('deletes a pool once', async () => {
    const pool = makePool();
    await pools.insert(pool);
    expect(await pools.delete(pool.id)).toBe(true);
    expect(await pools.get(pool.id)).toBeUndefined();
    expect(await pools.delete(pool.id)).toBe(false);
    // The id is free again.
    expect(await pools.insert(pool)).toBe(true);
  });
});

describe('UserPoolStore pagination', () => {
  let fixture: StoreFixture;
  let pools: UserPoolStore;
  // Mixed case and digits: the order must be one the database applies both to ORDER BY and to `>`.
  const ids = ['Zeta00001', 'alpha0001', 'Alpha0002', '0digit001', 'beta00001', 'Beta00002', 'mid000001'].map((s) => poolId(s));

  beforeAll(async () => {
    fixture = await openStoreFixture();
    pools = fixture.store.userPools;
    for (const id of ids) expect(await pools.insert(makePool({ id }))).toBe(true);
  });
  afterAll(async () => {
    await fixture?.close();
  });

  const walk = async (limit: number) => {
    const pages: string[][] = [];
    let after: string | undefined;
    for (let i = 0; i < 50; i++) {
      const page = await pools.list({ limit, after });
      pages.push(page.items.map((p) => p.id));
      if (page.lastKey === undefined) return pages;
      expect(page.lastKey).toBe(page.items.at(-1)!.id);
      after = page.lastKey;
    }
    throw new Error('pagination did not end');
  };

  it('lists everything in one page when the limit allows, without lastKey', async () => {
    const page = await pools.list({ limit: 60 });
    expect(page.lastKey).toBeUndefined();
    expect(page.items.map((p) => p.id).sort()).toEqual([...ids].sort());
  });

  it('lists in a stable key order', async () => {
    const first = (await pools.list({ limit: 60 })).items.map((p) => p.id);
    const second = (await pools.list({ limit: 60 })).items.map((p) => p.id);
    expect(second).toEqual(first);
  });

  it.each([1, 2, 3, 6, 7])('visits every pool exactly once, in list order, with limit %i', async (limit) => {
    const full = (await pools.list({ limit: 60 })).items.map((p) => p.id);
    const pages = await walk(limit);
    for (const page of pages) expect(page.length).toBeLessThanOrEqual(limit);
    expect(pages.flat()).toEqual(full);
    // A last page that is exactly full says so: no lastKey, no empty page after it.
    expect(pages.at(-1)!.length).toBeGreaterThan(0);
    expect(pages).toHaveLength(Math.ceil(ids.length / limit));
  });

  it('starts after a key that no longer exists', async () => {
    const full = (await pools.list({ limit: 60 })).items.map((p) => p.id);
    const removed = full[2]!;
    await pools.delete(removed);
    try {
      const page = await pools.list({ limit: 60, after: removed });
      expect(page.items.map((p) => p.id)).toEqual(full.slice(3));
    } finally {
      await pools.insert(makePool({ id: removed }));
    }
  });

  it('returns an empty page after the last key', async () => {
    const full = (await pools.list({ limit: 60 })).items.map((p) => p.id);
    const page = await pools.list({ limit: 5, after: full.at(-1) });
    expect(page.items).toEqual([]);
    expect(page.lastKey).toBeUndefined();
  });
});
