import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { UserPool } from '../domain/user-pools/user-pool.js';
import { isUniqueViolation } from './dialect.js';

export interface PageRequest {
  limit: number;
  /** Return rows whose key sorts after this one. */
  after?: string;
}

export interface Page<T> {
  items: T[];
  /** Key of the last item when more rows may follow. */
  lastKey?: string;
}

export interface UserPoolStore {
  /** Inserts a new pool; returns false when the id is taken. */
  insert(pool: UserPool): Promise<boolean>;
  get(id: string): Promise<UserPool | undefined>;
  /** Writes the pool if its stored version is still `pool.version - 1`; returns false otherwise. */
  update(pool: UserPool): Promise<boolean>;
  delete(id: string): Promise<boolean>;
  list(page: PageRequest): Promise<Page<UserPool>>;
}

type Row = Database['user_pools'];

const toPool = (row: Row): UserPool => ({
  id: row.id,
  name: row.name,
  settings: JSON.parse(row.settings),
  version: row.version,
  createdAt: new Date(Number(row.created_at)),
  updatedAt: new Date(Number(row.updated_at)),
});

export class KyselyUserPoolStore implements UserPoolStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(pool: UserPool): Promise<boolean> {
    try {
      await this.db
        .insertInto('user_pools')
        .values({
          id: pool.id,
          name: pool.name,
          settings: JSON.stringify(pool.settings),
          version: pool.version,
          created_at: pool.createdAt.getTime(),
          updated_at: pool.updatedAt.getTime(),
        })
        .execute();
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  async get(id: string): Promise<UserPool | undefined> {
    const row = await this.db.selectFrom('user_pools').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toPool(row) : undefined;
  }

  async update(pool: UserPool): Promise<boolean> {
    const result = await this.db
      .updateTable('user_pools')
      .set({
        name: pool.name,
        settings: JSON.stringify(pool.settings),
        version: pool.version,
        updated_at: pool.updatedAt.getTime(),
      })
      .where('id', '=', pool.id)
      .where('version', '=', pool.version - 1)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('user_pools').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }

  async list(page: PageRequest): Promise<Page<UserPool>> {
    let query = this.db.selectFrom('user_pools').selectAll().orderBy('id').limit(page.limit + 1);
    if (page.after !== undefined) query = query.where('id', '>', page.after);
    const rows = await query.execute();
    const items = rows.slice(0, page.limit).map(toPool);
    return { items, lastKey: rows.length > page.limit ? items.at(-1)?.id : undefined };
  }
}
