import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { SecretBox } from '../../src/crypto/secret-box.js';
import type { UserPoolClientStore } from '../../src/store/user-pool-client-store.js';
import { makeClient, makePool, openStoreFixture, type StoreFixture } from './store-fixtures.js';

describe('UserPoolClientStore contract', () => {
  let fixture: StoreFixture;
  let clients: UserPoolClientStore;
  let poolA: string;
  let poolB: string;

  beforeAll(async () => {
    fixture = await openStoreFixture();
    clients = fixture.store.clients;
    const a = makePool();
    const b = makePool();
    await fixture.store.userPools.insert(a);
    await fixture.store.userPools.insert(b);
    poolA = a.id;
    poolB = b.id;
  });
  afterAll(async () => {
    await fixture?.close();
  });

  it('inserts and reads back a client with its secret', async () => {
    const client = makeClient(poolA);
    expect(await clients.insert(client)).toBe(true);
    expect(await clients.get(poolA, client.id)).toEqual(client);
  });

  it('keeps a client without a secret as one without a secret', async () => {
    const client = makeClient(poolA, { secret: undefined });
    expect(await clients.insert(client)).toBe(true);
    const read = await clients.get(poolA, client.id);
    expect(read).toEqual(client);
    expect(read!.secret).toBeUndefined();
    const row = await fixture.raw().selectFrom('user_pool_clients').selectAll().where('id', '=', client.id).executeTakeFirstOrThrow();
    expect(row.secret_ciphertext).toBeNull();
  });

  it('stores the secret encrypted: the plaintext appears nowhere in the row', async () => {
    const client = makeClient(poolA);
    await clients.insert(client);
    const raw = fixture.raw();
    const row = await raw.selectFrom('user_pool_clients').selectAll().where('id', '=', client.id).executeTakeFirstOrThrow();
    expect(row.secret_ciphertext).toMatch(/^v1:[A-Za-z0-9+/=]+$/);
    expect(JSON.stringify(row)).not.toContain(client.secret!);
    expect(row.settings).not.toContain(client.secret!);
    // Nor anywhere in the table, as the database itself renders it.
    const dump = await sql<{ text: string }>`select * from user_pool_clients`.execute(raw);
    expect(JSON.stringify(dump.rows)).not.toContain(client.secret!);
    // Two clients with the same secret get different ciphertexts (random nonce).
    const twin = makeClient(poolA, { secret: client.secret });
    await clients.insert(twin);
    const twinRow = await raw.selectFrom('user_pool_clients').select('secret_ciphertext').where('id', '=', twin.id).executeTakeFirstOrThrow();
    expect(twinRow.secret_ciphertext).not.toBe(row.secret_ciphertext);
  });

  it('cannot open secrets under another master key', async () => {
    const client = makeClient(poolA);
    await clients.insert(client);
    const wrongKey = await fixture.openAnother(new SecretBox(randomBytes(32)));
    await expect(wrongKey.clients.get(poolA, client.id)).rejects.toThrow();
  });

  it('refuses a client id that is taken and keeps the first client', async () => {
    const client = makeClient(poolA);
    expect(await clients.insert(client)).toBe(true);
    expect(await clients.insert({ ...client, name: 'impostor', secret: 'other' })).toBe(false);
    // Client ids are global, as in Cognito: the same id in another pool is taken too.
    expect(await clients.insert({ ...client, userPoolId: poolB })).toBe(false);
    expect(await clients.get(poolA, client.id)).toEqual(client);
  });

  it('does not insert a client into a pool that does not exist', async () => {
    await expect(clients.insert(makeClient('us-east-1_noSuchPoo'))).rejects.toThrow();
  });

  it('scopes reads, updates and deletes to the pool', async () => {
    const client = makeClient(poolA);
    await clients.insert(client);
    expect(await clients.get(poolB, client.id)).toBeUndefined();
    expect(await clients.update({ ...client, userPoolId: poolB, name: 'moved' })).toBe(false);
    expect(await clients.delete(poolB, client.id)).toBe(false);
    expect(await clients.get(poolA, client.id)).toEqual(client);
  });

  it('updates name and settings, and leaves the secret alone', async () => {
    const client = makeClient(poolA);
    await clients.insert(client);
    const updated = {
      ...client,
      name: 'renamed',
      settings: { ...client.settings, RefreshTokenValidity: 5, CallbackURLs: ['https://app.example/cb'] },
      updatedAt: new Date(client.updatedAt.getTime() + 1000),
    };
    expect(await clients.update(updated)).toBe(true);
    expect(await clients.get(poolA, client.id)).toEqual(updated);
    expect(await clients.update({ ...makeClient(poolA), name: 'ghost' })).toBe(false);
  });

  it('deletes a client once', async () => {
    const client = makeClient(poolA);
    await clients.insert(client);
    expect(await clients.delete(poolA, client.id)).toBe(true);
    expect(await clients.get(poolA, client.id)).toBeUndefined();
    expect(await clients.delete(poolA, client.id)).toBe(false);
  });

  it('lists one pool’s clients, page by page, every client exactly once', async () => {
    const pool = makePool();
    await fixture.store.userPools.insert(pool);
    const mine = [];
    for (let i = 0; i < 5; i++) {
      const c = makeClient(pool.id);
      await clients.insert(c);
      mine.push(c.id);
    }
    await clients.insert(makeClient(poolB)); // someone else's

    const full = await clients.list(pool.id, { limit: 60 });
    expect(full.lastKey).toBeUndefined();
    expect(full.items.map((c) => c.id).sort()).toEqual([...mine].sort());
    expect(full.items.every((c) => c.userPoolId === pool.id)).toBe(true);

    const seen: string[] = [];
    let after: string | undefined;
    for (let i = 0; i < 10; i++) {
      const page = await clients.list(pool.id, { limit: 2, after });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((c) => c.id));
      if (page.lastKey === undefined) break;
      expect(page.lastKey).toBe(page.items.at(-1)!.id);
      after = page.lastKey;
    }
    expect(seen).toEqual(full.items.map((c) => c.id));
    // Secrets come back decrypted in lists too.
    expect(full.items.every((c) => typeof c.secret === 'string' && c.secret.startsWith('secret'))).toBe(true);
  });

  it('deletes a pool’s clients with the pool (cascade)', async () => {
    const pool = makePool();
    await fixture.store.userPools.insert(pool);
    const a = makeClient(pool.id);
    const b = makeClient(pool.id, { secret: undefined });
    const survivor = makeClient(poolB);
    for (const c of [a, b, survivor]) expect(await clients.insert(c)).toBe(true);

    expect(await fixture.store.userPools.delete(pool.id)).toBe(true);
    expect(await clients.get(pool.id, a.id)).toBeUndefined();
    expect(await clients.get(pool.id, b.id)).toBeUndefined();
    expect((await clients.list(pool.id, { limit: 60 })).items).toEqual([]);
    const orphans = await fixture.raw().selectFrom('user_pool_clients').select('id').where('user_pool_id', '=', pool.id).execute();
    expect(orphans).toEqual([]);
    expect(await clients.get(poolB, survivor.id)).toEqual(survivor);
  });
});
