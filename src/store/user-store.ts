import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { PasswordCredential, User } from '../domain/users/user.js';
import type { SecretBox } from '../crypto/secret-box.js';
import { isUniqueViolation } from './dialect.js';

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
}

type Row = Database['users'];
const VERIFIER_PURPOSE = 'srp-verifier';

/** SRP verifiers are sealed under the master key; Argon2id hashes are stored as they are. */
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
      password_salt: password?.kind === 'srp' ? password.salt : null,
      password_secret:
        password === undefined ? null : password.kind === 'srp' ? this.secrets.seal(password.verifier, VERIFIER_PURPOSE) : password.hash,
      password_set_at: user.passwordSetAt?.getTime() ?? null,
      mfa: user.mfa === undefined ? null : JSON.stringify(user.mfa),
      version: user.version,
      created_at: user.createdAt.getTime(),
      updated_at: user.updatedAt.getTime(),
    };
  }

  async insert(user: User, keys: UserLookupKeys): Promise<UserWriteResult> {
    try {
      await this.db.insertInto('users').values(this.toRow(user, keys)).execute();
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
      const result = await this.db
        .updateTable('users')
        .set(changes)
        .where('id', '=', id)
        .where('user_pool_id', '=', user_pool_id)
        .where('version', '=', user.version - 1)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1 ? 'ok' : 'stale';
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
