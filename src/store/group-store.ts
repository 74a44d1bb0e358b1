import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { Group } from '../domain/groups/group.js';
import { isForeignKeyViolation, isUniqueViolation } from './dialect.js';
import type { Page, PageRequest } from './user-pool-store.js';

/**
 * Where a group without precedence sorts: after every allowed value (Cognito's maximum is 2^31-1).
 * Tokens and AdminListGroupsForUser list a user's groups by (precedence, name).
 */
export const NO_PRECEDENCE_RANK = 2 ** 31;

/** A user's groups page from after (rank, name). */
export interface RankedPageRequest {
  limit: number;
  after?: { rank: number; name: string };
}

export interface GroupStore {
  /** Inserts a new group; false when the pool already has one of that name. */
  insert(group: Group): Promise<boolean>;
  get(userPoolId: string, name: string): Promise<Group | undefined>;
  /** Writes description, role, precedence and updatedAt; false when the group is gone. */
  update(group: Group): Promise<boolean>;
  /** Deletes the group and (cascade) its memberships; false when there was none. */
  delete(userPoolId: string, name: string): Promise<boolean>;
  count(userPoolId: string): Promise<number>;
  /** The pool's groups in name order; `after` is a group name. */
  list(userPoolId: string, page: PageRequest): Promise<Page<Group>>;
  /**
   * Adds the user to the group; adding a member twice changes nothing. 'missing' when the group
   * or the user no longer exists (deleted concurrently).
   */
  addMember(userPoolId: string, name: string, userId: string): Promise<'ok' | 'missing'>;
  removeMember(userPoolId: string, name: string, userId: string): Promise<boolean>;
  /** The user's groups by precedence (none last), then name. Without a limit, all of them. */
  groupsOfUser(userPoolId: string, userId: string, page?: RankedPageRequest): Promise<{ items: Group[]; more: boolean }>;
  /** Ids of the group's members in id order; `after` is a user id. */
  membersOf(userPoolId: string, name: string, page: PageRequest): Promise<Page<string>>;
}

type Row = Database['groups'];

const toGroup = (row: Row): Group => ({
  userPoolId: row.user_pool_id,
  name: row.group_name,
  ...(row.description !== null ? { description: row.description } : {}),
  ...(row.role_arn !== null ? { roleArn: row.role_arn } : {}),
  ...(row.precedence !== null ? { precedence: Number(row.precedence) } : {}),
  createdAt: new Date(Number(row.created_at)),
  updatedAt: new Date(Number(row.updated_at)),
});

/** A group's rank in a user's list: its precedence, or NO_PRECEDENCE_RANK without one. */
export const rankOf = (group: Pick<Group, 'precedence'>): number => group.precedence ?? NO_PRECEDENCE_RANK;

/** A group as its `groups` row. */
export const groupRow = (group: Group) => ({
  user_pool_id: group.userPoolId,
  group_name: group.name,
  description: group.description ?? null,
  role_arn: group.roleArn ?? null,
  precedence: group.precedence ?? null,
  created_at: group.createdAt.getTime(),
  updated_at: group.updatedAt.getTime(),
});

export class KyselyGroupStore implements GroupStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(group: Group): Promise<boolean> {
    try {
      await this.db
        .insertInto('groups')
        .values(groupRow(group))
        .execute();
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  async get(userPoolId: string, name: string): Promise<Group | undefined> {
    const row = await this.db
      .selectFrom('groups')
      .selectAll()
      .where('user_pool_id', '=', userPoolId)
      .where('group_name', '=', name)
      .executeTakeFirst();
    return row ? toGroup(row) : undefined;
  }

  async update(group: Group): Promise<boolean> {
    const result = await this.db
      .updateTable('groups')
      .set({
        description: group.description ?? null,
        role_arn: group.roleArn ?? null,
        precedence: group.precedence ?? null,
        updated_at: group.updatedAt.getTime(),
      })
      .where('user_pool_id', '=', group.userPoolId)
      .where('group_name', '=', group.name)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async delete(userPoolId: string, name: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('groups')
      .where('user_pool_id', '=', userPoolId)
      .where('group_name', '=', name)
      .executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }

  async count(userPoolId: string): Promise<number> {
    const row = await this.db
      .selectFrom('groups')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_pool_id', '=', userPoolId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async list(userPoolId: string, page: PageRequest): Promise<Page<Group>> {
    let query = this.db
      .selectFrom('groups')
      .selectAll()
      .where('user_pool_id', '=', userPoolId)
      .orderBy('group_name')
      .limit(page.limit + 1);
    if (page.after !== undefined) query = query.where('group_name', '>', page.after);
    const rows = await query.execute();
    const items = rows.slice(0, page.limit).map(toGroup);
    return { items, lastKey: rows.length > page.limit ? items.at(-1)?.name : undefined };
  }

  async addMember(userPoolId: string, name: string, userId: string): Promise<'ok' | 'missing'> {
    try {
      await this.db
        .insertInto('group_members')
        .values({ user_pool_id: userPoolId, group_name: name, user_id: userId })
        .onConflict((oc) => oc.columns(['user_pool_id', 'group_name', 'user_id']).doNothing())
        .execute();
      return 'ok';
    } catch (error) {
      if (isForeignKeyViolation(error)) return 'missing';
      throw error;
    }
  }

  async removeMember(userPoolId: string, name: string, userId: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('group_members')
      .where('user_pool_id', '=', userPoolId)
      .where('group_name', '=', name)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }

  async groupsOfUser(userPoolId: string, userId: string, page?: RankedPageRequest): Promise<{ items: Group[]; more: boolean }> {
    const rank = sql<number>`coalesce(g.precedence, ${sql.lit(NO_PRECEDENCE_RANK)})`;
    let query = this.db
      .selectFrom('group_members as m')
      .innerJoin('groups as g', (join) => join.onRef('g.user_pool_id', '=', 'm.user_pool_id').onRef('g.group_name', '=', 'm.group_name'))
      .selectAll('g')
      .where('m.user_id', '=', userId)
      .where('m.user_pool_id', '=', userPoolId)
      .orderBy(rank)
      .orderBy('g.group_name');
    const after = page?.after;
    if (after) {
      query = query.where((eb) => eb.or([eb(rank, '>', after.rank), eb.and([eb(rank, '=', after.rank), eb('g.group_name', '>', after.name)])]));
    }
    if (page) query = query.limit(page.limit + 1);
    const rows = await query.execute();
    const items = (page ? rows.slice(0, page.limit) : rows).map(toGroup);
    return { items, more: page !== undefined && rows.length > page.limit };
  }

  async membersOf(userPoolId: string, name: string, page: PageRequest): Promise<Page<string>> {
    let query = this.db
      .selectFrom('group_members')
      .select('user_id')
      .where('user_pool_id', '=', userPoolId)
      .where('group_name', '=', name)
      .orderBy('user_id')
      .limit(page.limit + 1);
    if (page.after !== undefined) query = query.where('user_id', '>', page.after);
    const rows = await query.execute();
    const items = rows.slice(0, page.limit).map((row) => row.user_id);
    return { items, lastKey: rows.length > page.limit ? items.at(-1) : undefined };
  }
}
