import type { Kysely } from 'kysely';
import { engineOf, searchKeyType } from '../dialect.js';

// User pool groups and their members. Append-only, like every migration. Group names compare and
// sort by code point on both engines (COLLATE "C" on PostgreSQL), so lists, their pages and the
// order of cognito:groups are the same whichever database holds them.
export async function up(db: Kysely<unknown>): Promise<void> {
  const nameType = searchKeyType(engineOf(db));
  await db.schema
    .createTable('groups')
    .addColumn('user_pool_id', 'text', (c) => c.notNull().references('user_pools.id').onDelete('cascade'))
    .addColumn('group_name', nameType, (c) => c.notNull()) // case-sensitive, as in Cognito
    .addColumn('description', 'text')
    .addColumn('role_arn', 'text')
    .addColumn('precedence', 'bigint') // null: no precedence (after every number)
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('groups_pk', ['user_pool_id', 'group_name'])
    .execute();

  await db.schema
    .createTable('group_members')
    .addColumn('user_pool_id', 'text', (c) => c.notNull())
    .addColumn('group_name', nameType, (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('group_members_pk', ['user_pool_id', 'group_name', 'user_id'])
    .addForeignKeyConstraint('group_members_group_fk', ['user_pool_id', 'group_name'], 'groups', ['user_pool_id', 'group_name'], (fk) =>
      fk.onDelete('cascade'),
    )
    .execute();
  // A user's groups (AdminListGroupsForUser, tokens); the primary key serves a group's members.
  await db.schema.createIndex('group_members_by_user').on('group_members').columns(['user_id', 'group_name']).execute();
}
