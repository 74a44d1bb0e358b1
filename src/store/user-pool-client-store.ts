import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { UserPoolClient } from '../domain/clients/user-pool-client.js';
import type { SecretBox } from '../crypto/secret-box.js';
import type { Page, PageRequest } from './user-pool-store.js';
import { isUniqueViolation } from './dialect.js';

export interface UserPoolClientStore {
  insert(client: UserPoolClient): Promise<boolean>;
  get(userPoolId: string, clientId: string): Promise<UserPoolClient | undefined>;
  /** Public operations (SignUp, InitiateAuth) name only the client; its pool follows from it. */
  getById(clientId: string): Promise<UserPoolClient | undefined>;
  update(client: UserPoolClient): Promise<boolean>;
  delete(userPoolId: string, clientId: string): Promise<boolean>;
  list(userPoolId: string, page: PageRequest): Promise<Page<UserPoolClient>>;
}

type Row = Database['user_pool_clients'];
const SECRET_PURPOSE = 'user-pool-client-secret';

/** Client secrets are sealed with the master key on the way in and opened on the way out. */
export class KyselyUserPoolClientStore implements UserPoolClientStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly secrets: SecretBox,
  ) {}

  private toClient(row: Row): UserPoolClient {
    return {
      id: row.id,
      userPoolId: row.user_pool_id,
      name: row.client_name,
      secret: row.secret_ciphertext === null ? undefined : this.secrets.open(row.secret_ciphertext, SECRET_PURPOSE),
      settings: JSON.parse(row.settings),
      createdAt: new Date(Number(row.created_at)),
      updatedAt: new Date(Number(row.updated_at)),
    };
  }

  async insert(client: UserPoolClient): Promise<boolean> {
    try {
      await this.db
        .insertInto('user_pool_clients')
        .values({
          id: client.id,
          user_pool_id: client.userPoolId,
          client_name: client.name,
          secret_ciphertext: client.secret === undefined ? null : this.secrets.seal(client.secret, SECRET_PURPOSE),
          settings: JSON.stringify(client.settings),
          created_at: client.createdAt.getTime(),
          updated_at: client.updatedAt.getTime(),
        })
        .execute();
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  async get(userPoolId: string, clientId: string): Promise<UserPoolClient | undefined> {
    const row = await this.db
      .selectFrom('user_pool_clients')
      .selectAll()
      .where('id', '=', clientId)
      .where('user_pool_id', '=', userPoolId)
      .executeTakeFirst();
    return row ? this.toClient(row) : undefined;
  }

  async getById(clientId: string): Promise<UserPoolClient | undefined> {
    const row = await this.db.selectFrom('user_pool_clients').selectAll().where('id', '=', clientId).executeTakeFirst();
    return row ? this.toClient(row) : undefined;
  }

  async update(client: UserPoolClient): Promise<boolean> {
    const result = await this.db
      .updateTable('user_pool_clients')
      .set({
        client_name: client.name,
        settings: JSON.stringify(client.settings),
        updated_at: client.updatedAt.getTime(),
      })
      .where('id', '=', client.id)
      .where('user_pool_id', '=', client.userPoolId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async delete(userPoolId: string, clientId: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('user_pool_clients')
      .where('id', '=', clientId)
      .where('user_pool_id', '=', userPoolId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }

  async list(userPoolId: string, page: PageRequest): Promise<Page<UserPoolClient>> {
    let query = this.db
      .selectFrom('user_pool_clients')
      .selectAll()
      .where('user_pool_id', '=', userPoolId)
      .orderBy('id')
      .limit(page.limit + 1);
    if (page.after !== undefined) query = query.where('id', '>', page.after);
    const rows = await query.execute();
    const items = rows.slice(0, page.limit).map((row) => this.toClient(row));
    return { items, lastKey: rows.length > page.limit ? items.at(-1)?.id : undefined };
  }
}
