import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';
import type { User } from '../domain/users/user.js';
import type { Group } from '../domain/groups/group.js';
import type { KyselyUserStore, LookupColumn, UserLookupKeys } from './user-store.js';
import { insertSearchRows, searchRowsOf } from './user-search-index.js';
import { isForeignKeyViolation, isUniqueViolation } from './dialect.js';
import { groupRow } from './group-store.js';

// Bulk reads and writes for the lossless user export and import (docs/user-transfer.md): pages of
// users with their groups in username order, and batches of new users written in one transaction
// with their ListUsers index rows and group memberships.

/** The keys of a stored user that an imported one may collide with. */
export interface ExistingUser {
  id: string;
  userPoolId: string;
  usernameKey: string;
  emailKey: string | null;
  phoneKey: string | null;
  preferredUsernameKey: string | null;
}

export interface ImportedUser {
  user: User;
  keys: UserLookupKeys;
  groups: string[];
}

export interface ImportBatch {
  userPoolId: string;
  /** Users replaced by the import (OnConflict OVERWRITE): deleted in the same transaction. */
  replaceIds: string[];
  users: ImportedUser[];
}

/** Why a single-user write failed: the key it collided on (`id`: the sub is taken). */
export type ImportConflict = LookupColumn | 'id' | 'group';

export interface UserTransferStore {
  /** Up to `limit` users after `afterUsernameKey`, in username_key order, each with its group names. */
  exportPage(userPoolId: string, afterUsernameKey: string | undefined, limit: number): Promise<{ users: { user: User; groups: string[] }[]; lastKey?: string }>;
  /** Stored users holding any of these keys: usernames and aliases in the pool, subs anywhere. */
  existing(userPoolId: string, probe: KeyProbe): Promise<ExistingUser[]>;
  /** Creates the groups that do not exist; with `replace`, also rewrites those that do. */
  ensureGroups(groups: Group[], replace: boolean): Promise<void>;
  /** Writes the batch in one transaction, or throws (a unique or foreign-key violation from a concurrent write). */
  writeBatch(batch: ImportBatch): Promise<void>;
  /** Writes one user in its own transaction; the colliding key instead of throwing. */
  writeOne(batch: ImportBatch): Promise<'ok' | { conflict: ImportConflict }>;
}

export interface KeyProbe {
  usernameKeys: string[];
  ids: string[];
  emailKeys: string[];
  phoneKeys: string[];
  preferredUsernameKeys: string[];
}

/** Bound values per statement stay far below SQLite's 32766 and PostgreSQL's 65535. */
const USERS_PER_INSERT = 400;
const MEMBERS_PER_INSERT = 1000;
const KEYS_PER_QUERY = 500;

type Db = Kysely<Database> | Transaction<Database>;

export class KyselyUserTransferStore implements UserTransferStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly users: KyselyUserStore,
  ) {}

  async exportPage(userPoolId: string, afterUsernameKey: string | undefined, limit: number) {
    let query = this.db.selectFrom('users').selectAll().where('user_pool_id', '=', userPoolId).orderBy('username_key').limit(limit + 1);
    if (afterUsernameKey !== undefined) query = query.where('username_key', '>', afterUsernameKey);
    const rows = await query.execute();
    const page = rows.slice(0, limit);
    const groups = new Map<string, string[]>();
    for (let i = 0; i < page.length; i += KEYS_PER_QUERY) {
      const members = await this.db
        .selectFrom('group_members')
        .select(['user_id', 'group_name'])
        .where('user_id', 'in', page.slice(i, i + KEYS_PER_QUERY).map((r) => r.id))
        .orderBy('user_id')
        .orderBy('group_name')
        .execute();
      for (const m of members) groups.set(m.user_id, [...(groups.get(m.user_id) ?? []), m.group_name]);
    }
    return {
      users: page.map((row) => ({ user: this.users.userOf(row), groups: groups.get(row.id) ?? [] })),
      ...(rows.length > limit ? { lastKey: page.at(-1)!.username_key } : {}),
    };
  }

  async existing(userPoolId: string, probe: KeyProbe): Promise<ExistingUser[]> {
    const found = new Map<string, ExistingUser>();
    const lookups: [keyof KeyProbe, 'username_key' | 'id' | LookupColumn, boolean][] = [
      ['usernameKeys', 'username_key', true],
      ['ids', 'id', false], // subs are unique across pools
      ['emailKeys', 'email_key', true],
      ['phoneKeys', 'phone_key', true],
      ['preferredUsernameKeys', 'preferred_username_key', true],
    ];
    for (const [probeName, column, inPool] of lookups) {
      const keys = probe[probeName];
      for (let i = 0; i < keys.length; i += KEYS_PER_QUERY) {
        let query = this.db
          .selectFrom('users')
          .select(['id', 'user_pool_id', 'username_key', 'email_key', 'phone_key', 'preferred_username_key'])
          .where(column, 'in', keys.slice(i, i + KEYS_PER_QUERY));
        if (inPool) query = query.where('user_pool_id', '=', userPoolId);
        for (const row of await query.execute()) {
          found.set(row.id, {
            id: row.id,
            userPoolId: row.user_pool_id,
            usernameKey: row.username_key,
            emailKey: row.email_key,
            phoneKey: row.phone_key,
            preferredUsernameKey: row.preferred_username_key,
          });
        }
      }
    }
    return [...found.values()];
  }

  async ensureGroups(groups: Group[], replace: boolean): Promise<void> {
    for (const group of groups) {
      await this.db
        .insertInto('groups')
        .values(groupRow(group))
        .onConflict((oc) => {
          const target = oc.columns(['user_pool_id', 'group_name']);
          return replace
            ? target.doUpdateSet({
                description: group.description ?? null,
                role_arn: group.roleArn ?? null,
                precedence: group.precedence ?? null,
                updated_at: group.updatedAt.getTime(),
              })
            : target.doNothing();
        })
        .execute();
    }
  }

  async writeBatch(batch: ImportBatch): Promise<void> {
    await this.db.transaction().execute((trx) => this.write(trx, batch));
  }

  async writeOne(batch: ImportBatch): Promise<'ok' | { conflict: ImportConflict }> {
    try {
      await this.writeBatch(batch);
      return 'ok';
    } catch (error) {
      if (isForeignKeyViolation(error)) return { conflict: 'group' }; // a group deleted meanwhile
      if (!isUniqueViolation(error)) throw error;
      const detail = `${(error as { constraint?: string }).constraint ?? ''} ${(error as Error).message}`;
      for (const column of ['email_key', 'phone_key', 'preferred_username_key', 'username_key'] as const) {
        if (detail.includes(column) || (column === 'username_key' && detail.includes('users_by_username'))) return { conflict: column };
      }
      if (detail.includes('users.id') || detail.includes('users_pkey')) return { conflict: 'id' };
      throw error;
    }
  }

  private async write(db: Db, batch: ImportBatch): Promise<void> {
    for (let i = 0; i < batch.replaceIds.length; i += KEYS_PER_QUERY) {
      await db
        .deleteFrom('users')
        .where('user_pool_id', '=', batch.userPoolId)
        .where('id', 'in', batch.replaceIds.slice(i, i + KEYS_PER_QUERY))
        .execute();
    }
    for (let i = 0; i < batch.users.length; i += USERS_PER_INSERT) {
      const chunk = batch.users.slice(i, i + USERS_PER_INSERT);
      await db.insertInto('users').values(chunk.map((u) => this.users.rowOf(u.user, u.keys))).execute();
    }
    await insertSearchRows(
      db,
      batch.users.flatMap(({ user, keys }) =>
        searchRowsOf({ id: user.id, userPoolId: user.userPoolId, usernameKey: keys.usernameKey, status: user.status, enabled: user.enabled, attributes: user.attributes }),
      ),
    );
    const members = batch.users.flatMap(({ user, groups }) => groups.map((name) => ({ user_pool_id: batch.userPoolId, group_name: name, user_id: user.id })));
    for (let i = 0; i < members.length; i += MEMBERS_PER_INSERT) {
      await db.insertInto('group_members').values(members.slice(i, i + MEMBERS_PER_INSERT)).execute();
    }
  }
}
