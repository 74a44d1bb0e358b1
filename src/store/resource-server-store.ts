import type { Kysely } from 'kysely';
import type { ResourceServerScopeType } from '@aws-sdk/client-cognito-identity-provider';
import type { Database } from './schema.js';
import { isForeignKeyViolation, isUniqueViolation } from './dialect.js';
import type { Page, PageRequest } from './user-pool-store.js';

export interface ResourceServer {
  userPoolId: string;
  identifier: string;
  name: string;
  scopes: ResourceServerScopeType[];
  createdAt: Date;
  updatedAt: Date;
}

/** Resource servers of a pool, keyed by (pool, identifier). */
export interface ResourceServerStore {
  /** 'exists' when the pool already has the identifier; 'missing' when the pool is gone. */
  insert(server: ResourceServer): Promise<'ok' | 'exists' | 'missing'>;
  get(userPoolId: string, identifier: string): Promise<ResourceServer | undefined>;
  /** Writes name and scopes; false when the server is gone. */
  update(server: ResourceServer): Promise<boolean>;
  delete(userPoolId: string, identifier: string): Promise<boolean>;
  count(userPoolId: string): Promise<number>;
  /** In identifier order; `after` is an identifier. */
  list(userPoolId: string, page: PageRequest): Promise<Page<ResourceServer>>;
  /** Every resource server of the pool (scope checks; a pool has at most a few dozen). */
  all(userPoolId: string): Promise<ResourceServer[]>;
}

type Row = Database['resource_servers'];

const toServer = (row: Row): ResourceServer => ({
  userPoolId: row.user_pool_id,
  identifier: row.identifier,
  name: row.name,
  scopes: JSON.parse(row.scopes) as ResourceServerScopeType[],
  createdAt: new Date(Number(row.created_at)),
  updatedAt: new Date(Number(row.updated_at)),
});

export class KyselyResourceServerStore implements ResourceServerStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(server: ResourceServer): Promise<'ok' | 'exists' | 'missing'> {
    try {
      await this.db
        .insertInto('resource_servers')
        .values({
          user_pool_id: server.userPoolId,
          identifier: server.identifier,
          name: server.name,
          scopes: JSON.stringify(server.scopes),
          created_at: server.createdAt.getTime(),
          updated_at: server.updatedAt.getTime(),
        })
        .execute();
      return 'ok';
    } catch (error) {
      if (isUniqueViolation(error)) return 'exists';
      if (isForeignKeyViolation(error)) return 'missing';
      throw error;
    }
  }

  async get(userPoolId: string, identifier: string): Promise<ResourceServer | undefined> {
    const row = await this.db
      .selectFrom('resource_servers')
      .selectAll()
      .where('user_pool_id', '=', userPoolId)
      .where('identifier', '=', identifier)
      .executeTakeFirst();
    return row ? toServer(row) : undefined;
  }

  async update(server: ResourceServer): Promise<boolean> {
    const result = await this.db
      .updateTable('resource_servers')
      .set({ name: server.name, scopes: JSON.stringify(server.scopes), updated_at: server.updatedAt.getTime() })
      .where('user_pool_id', '=', server.userPoolId)
      .where('identifier', '=', server.identifier)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async delete(userPoolId: string, identifier: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('resource_servers')
      .where('user_pool_id', '=', userPoolId)
      .where('identifier', '=', identifier)
      .executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }

  async count(userPoolId: string): Promise<number> {
    const row = await this.db
      .selectFrom('resource_servers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_pool_id', '=', userPoolId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async list(userPoolId: string, page: PageRequest): Promise<Page<ResourceServer>> {
    let query = this.db
      .selectFrom('resource_servers')
      .selectAll()
      .where('user_pool_id', '=', userPoolId)
      .orderBy('identifier')
      .limit(page.limit + 1);
    if (page.after !== undefined) query = query.where('identifier', '>', page.after);
    const rows = await query.execute();
    const items = rows.slice(0, page.limit).map(toServer);
    return { items, lastKey: rows.length > page.limit ? items.at(-1)?.identifier : undefined };
  }

  async all(userPoolId: string): Promise<ResourceServer[]> {
    const rows = await this.db.selectFrom('resource_servers').selectAll().where('user_pool_id', '=', userPoolId).execute();
    return rows.map(toServer);
  }
}
