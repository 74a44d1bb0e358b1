import type { Kysely } from 'kysely';
import { clusteredByPrimaryKey, engineOf, searchKeyType } from '../dialect.js';
import { insertSearchRows, searchRowsOf } from '../user-search-index.js';
import type { Database } from '../schema.js';

// The ListUsers index (see user-search-index.ts): one row per user and searchable attribute,
// found by (user_pool_id, attribute, key, user_id), and kept per user by its primary key. Existing
// users are indexed here. Append-only, like every migration.
export async function up(db: Kysely<unknown>): Promise<void> {
  const engine = engineOf(db);
  await db.schema
    .createTable('user_search')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('attribute', 'text', (c) => c.notNull())
    .addColumn('user_pool_id', 'text', (c) => c.notNull())
    .addColumn('key', searchKeyType(engine), (c) => c.notNull())
    .addPrimaryKeyConstraint('user_search_pk', ['user_id', 'attribute'])
    .modifyEnd(clusteredByPrimaryKey(engine))
    .execute();
  await db.schema
    .createIndex('user_search_by_key')
    .on('user_search')
    .columns(['user_pool_id', 'attribute', 'key', 'user_id'])
    .execute();

  const typed = db as unknown as Kysely<Database>;
  let after = '';
  for (;;) {
    const users = await typed
      .selectFrom('users')
      .select(['id', 'user_pool_id', 'username_key', 'status', 'enabled', 'attributes'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(1000)
      .execute();
    if (users.length === 0) break;
    const rows = users.flatMap((u) =>
      searchRowsOf({
        id: u.id,
        userPoolId: u.user_pool_id,
        usernameKey: u.username_key,
        status: u.status,
        enabled: Number(u.enabled) === 1,
        attributes: JSON.parse(u.attributes) as Record<string, string>,
      }),
    );
    await insertSearchRows(typed, rows);
    after = users.at(-1)!.id;
  }
}
