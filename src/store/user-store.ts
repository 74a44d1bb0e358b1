import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { PasswordCredential, User } from '../domain/users/user.js';
import type { SecretBox } from '../crypto/secret-box.js';
import { isUniqueViolation } from './dialect.js';
import {
  alsoSql,
  CANDIDATE_BUDGET,
  CANDIDATE_CHUNK,
  insertSearchRows,
  searchRowsOf,
  searchSql,
  syncSearchRows,
  type IndexedUser,
  type SearchQuery,
} from './user-search-index.js';

/** The normalised values a user can be found by; null when that way of signing in does not apply. */
export interface UserLookupKeys {
  usernameKey: string;
  emailKey: string | null;
  phoneKey: string | null;
  preferredUsernameKey: string | null;
}

export type LookupColumn = 'username_key' | 'email_key' | 'phone_key' | 'preferred_username_key';

/** Which uniqueness rule a write broke, so the domain can answer with Cognito's exception. */
export type UserWriteResult = 'ok' | 'stale' | { conflict: LookupColumn };

export interface UserStore {
  insert(user: User, keys: UserLookupKeys): Promise<UserWriteResult>;
  get(userPoolId: string, id: string): Promise<User | undefined>;
  findBy(userPoolId: string, column: LookupColumn, key: string): Promise<User | undefined>;
  /** Writes if the stored version is `user.version - 1`; 'stale' otherwise. */
  update(user: User, keys: UserLookupKeys): Promise<UserWriteResult>;
  delete(userPoolId: string, id: string): Promise<boolean>;
  count(userPoolId: string): Promise<number>;
  /** ListUsers: one page of users matching the query, without password credentials. */
  search(query: SearchQuery): Promise<UserSearchPage>;
}

export interface UserSearchPage {
  /** Each user with the driver condition's key it was found under (for the next page's cursor). */
  items: { user: User; key: string }[];
  /** Where the next page starts, when more users may match. */
  next?: { key: string; userId: string };
}

type Row = Database['users'];
type Cursor = { key: string; userId: string };
/** A page of search hits before their users are read. */
type IdPage = { ids: Cursor[]; next?: Cursor };
const VERIFIER_PURPOSE = 'srp-verifier';
/** Imported password hashes are sealed too: a bcrypt or PBKDF2 hash is weaker than the pool's own credential. */
const IMPORTED_PURPOSE = 'imported-password-hash';

/** SRP verifiers and imported hashes are sealed under the master key; Argon2id hashes are stored as they are. */
export class KyselyUserStore implements UserStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly secrets: SecretBox,
  ) {}

  private toUser(row: Row): User {
    let password: PasswordCredential | undefined;
    if (row.password_kind === 'srp' && row.password_salt && row.password_secret) {
      password = { kind: 'srp', salt: row.password_salt, verifier: this.secrets.open(row.password_secret, VERIFIER_PURPOSE) };
    } else if (row.password_kind === 'argon2id' && row.password_secret) {
      password = { kind: 'argon2id', hash: row.password_secret };
    } else if (row.password_kind === 'imported' && row.password_salt && row.password_secret) {
      password = importedCredentialOf(row.password_salt, this.secrets.open(row.password_secret, IMPORTED_PURPOSE));
    }
    return {
      id: row.id,
      userPoolId: row.user_pool_id,
      username: row.username,
      status: row.status as User['status'],
      enabled: Number(row.enabled) === 1,
      attributes: JSON.parse(row.attributes),
      ...(row.pending_attributes ? { pendingAttributes: JSON.parse(row.pending_attributes) } : {}),
      password,
      passwordSetAt: row.password_set_at === null ? undefined : new Date(Number(row.password_set_at)),
      mfa: row.mfa === null ? undefined : JSON.parse(row.mfa),
      version: row.version,
      createdAt: new Date(Number(row.created_at)),
      updatedAt: new Date(Number(row.updated_at)),
    };
  }

  private toRow(user: User, keys: UserLookupKeys): Row {
    const password = user.password;
    return {
      id: user.id,
      user_pool_id: user.userPoolId,
      username: user.username,
      username_key: keys.usernameKey,
      email_key: keys.emailKey,
      phone_key: keys.phoneKey,
      preferred_username_key: keys.preferredUsernameKey,
      status: user.status,
      enabled: user.enabled ? 1 : 0,
      attributes: JSON.stringify(user.attributes),
      pending_attributes:
        user.pendingAttributes && Object.keys(user.pendingAttributes).length > 0 ? JSON.stringify(user.pendingAttributes) : null,
      password_kind: password?.kind ?? null,
      // The SRP salt; for an imported credential, its scheme (bcrypt, scrypt, argon2id, pbkdf2, srp).
      password_salt: password?.kind === 'srp' ? password.salt : password?.kind === 'imported' ? password.scheme : null,
      password_secret: this.passwordSecretOf(password),
      password_set_at: user.passwordSetAt?.getTime() ?? null,
      mfa: user.mfa === undefined ? null : JSON.stringify(user.mfa),
      version: user.version,
      created_at: user.createdAt.getTime(),
      updated_at: user.updatedAt.getTime(),
    };
  }

  /** SRP verifiers and imported hashes are sealed; Argon2id hashes are stored as they are. */
  private passwordSecretOf(password: PasswordCredential | undefined): string | null {
    if (password === undefined) return null;
    if (password.kind === 'srp') return this.secrets.seal(password.verifier, VERIFIER_PURPOSE);
    if (password.kind === 'imported') return this.secrets.seal(password.encoded, IMPORTED_PURPOSE);
    return password.hash;
  }

  /** The row a user is stored as (the user import writes rows in bulk). */
  rowOf(user: User, keys: UserLookupKeys): Row {
    return this.toRow(user, keys);
  }

  /** The user a stored row holds (the user export reads rows in bulk). */
  userOf(row: Row): User {
    return this.toUser(row);
  }

  async insert(user: User, keys: UserLookupKeys): Promise<UserWriteResult> {
    try {
      // The user and its ListUsers index rows, together or not at all.
      await this.db.transaction().execute(async (trx) => {
        await trx.insertInto('users').values(this.toRow(user, keys)).execute();
        await insertSearchRows(trx, searchRowsOf(indexed(user, keys)));
      });
      return 'ok';
    } catch (error) {
      return conflictOf(error);
    }
  }

  async get(userPoolId: string, id: string): Promise<User | undefined> {
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', id)
      .where('user_pool_id', '=', userPoolId)
      .executeTakeFirst();
    return row ? this.toUser(row) : undefined;
  }

  async findBy(userPoolId: string, column: LookupColumn, key: string): Promise<User | undefined> {
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('user_pool_id', '=', userPoolId)
      .where(column, '=', key)
      .executeTakeFirst();
    return row ? this.toUser(row) : undefined;
  }

  async update(user: User, keys: UserLookupKeys): Promise<UserWriteResult> {
    const { id, user_pool_id, created_at, ...changes } = this.toRow(user, keys);
    try {
      return await this.db.transaction().execute(async (trx) => {
        const result = await trx
          .updateTable('users')
          .set(changes)
          .where('id', '=', id)
          .where('user_pool_id', '=', user_pool_id)
          .where('version', '=', user.version - 1)
          .executeTakeFirst();
        if (Number(result.numUpdatedRows) !== 1) return 'stale';
        // Under the row lock the version check took, so concurrent writers cannot interleave here.
        await syncSearchRows(trx, indexed(user, keys));
        return 'ok';
      });
    } catch (error) {
      return conflictOf(error);
    }
  }

  async delete(userPoolId: string, id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('users').where('id', '=', id).where('user_pool_id', '=', userPoolId).executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }

  async count(userPoolId: string): Promise<number> {
    const row = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_pool_id', '=', userPoolId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async search(query: SearchQuery): Promise<UserSearchPage> {
    const page = query.also.length === 0 ? await this.searchRange(query) : await this.searchCombined(query);
    const users = await this.usersById(page.ids.map((p) => p.userId));
    const items = page.ids.flatMap(({ key, userId }) => {
      const user = users.get(userId);
      return user ? [{ user, key }] : []; // deleted between the two reads
    });
    return { items, ...(page.next ? { next: page.next } : {}) };
  }

  /** One condition: the first limit + 1 rows of its index range say whether a page follows. */
  private async searchRange(query: SearchQuery): Promise<IdPage> {
    const rows = await this.db
      .selectFrom('user_search as s')
      .select(['s.key', 's.user_id'])
      .where(searchSql(query))
      .orderBy('s.key')
      .orderBy('s.user_id')
      .limit(query.limit + 1)
      .execute();
    const ids = rows.slice(0, query.limit).map((r) => ({ key: r.key, userId: r.user_id }));
    return { ids, ...(rows.length > query.limit ? { next: ids.at(-1)! } : {}) };
  }

  /** Several conditions: candidates from the driver's range in chunks, within CANDIDATE_BUDGET. */
  private async searchCombined(query: SearchQuery): Promise<IdPage> {
    const { candidates, chunk } = query.budget ?? { candidates: CANDIDATE_BUDGET, chunk: CANDIDATE_CHUNK };
    const ids: Cursor[] = [];
    let after = query.after;
    let scanned = 0;
    while (scanned < candidates) {
      const rows = await this.db
        .selectFrom('user_search as s')
        .select(['s.key', 's.user_id', sql<number>`case when ${alsoSql(query.also)} then 1 else 0 end`.as('ok')])
        .where(searchSql({ ...query, ...(after ? { after } : {}) }))
        .orderBy('s.key')
        .orderBy('s.user_id')
        .limit(chunk)
        .execute();
      scanned += rows.length;
      for (const row of rows) {
        const id = { key: row.key, userId: row.user_id };
        if (Number(row.ok) === 1) {
          if (ids.length === query.limit) return { ids, next: ids.at(-1)! };
          ids.push(id);
        }
        after = id;
      }
      if (rows.length < chunk) return { ids };
    }
    // Budget spent: continue from the last candidate examined, matched or not.
    return { ids, ...(after ? { next: after } : {}) };
  }

  /** Users by id, without password credentials (listing never needs one: skip unsealing them). */
  private async usersById(ids: string[]): Promise<Map<string, User>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('users')
      .select([
        'id', 'user_pool_id', 'username', 'username_key', 'email_key', 'phone_key', 'preferred_username_key', 'status', 'enabled',
        'attributes', 'pending_attributes', 'password_set_at', 'mfa', 'version', 'created_at', 'updated_at',
      ])
      .where('id', 'in', ids)
      .execute();
    return new Map(rows.map((row) => [row.id, this.toUser({ ...row, password_kind: null, password_salt: null, password_secret: null })]));
  }

}

/** The fields of a user the ListUsers index is made from. */
function indexed(user: User, keys: UserLookupKeys): IndexedUser {
  return {
    id: user.id,
    userPoolId: user.userPoolId,
    usernameKey: keys.usernameKey,
    status: user.status,
    enabled: user.enabled,
    attributes: user.attributes,
  };
}

function importedCredentialOf(scheme: string, encoded: string): PasswordCredential {
  return { kind: 'imported', scheme: scheme as Extract<PasswordCredential, { kind: 'imported' }>['scheme'], encoded };
}

/** Maps a unique violation to the lookup column whose index it hit (both engines name it). */
function conflictOf(error: unknown): UserWriteResult {
  if (!isUniqueViolation(error)) throw error;
  const detail = `${(error as { constraint?: string }).constraint ?? ''} ${(error as Error).message}`;
  for (const column of ['email_key', 'phone_key', 'preferred_username_key'] as const) {
    if (detail.includes(column)) return { conflict: column };
  }
  if (detail.includes('username_key') || detail.includes('users_by_username')) return { conflict: 'username_key' };
  throw error;
}
