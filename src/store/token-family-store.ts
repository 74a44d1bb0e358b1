import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * One sign-in session: every refresh token, ID token and access token it produces carries its id
 * as `origin_jti`. Revoking the family revokes all of them.
 */
export interface TokenFamily {
  id: string;
  userId: string;
  userPoolId: string;
  clientId: string;
  authTime: Date;
  deviceKey?: string;
  createdAt: Date;
  /** Absolute end of the session: refresh tokens of the family die then, rotated or not. */
  expiresAt: Date;
  revokedAt?: Date;
}

export interface RefreshTokenRecord {
  /** SHA-256 of the token; the token itself is never stored. */
  tokenHash: string;
  familyId: string;
  createdAt: Date;
  /** When rotation replaced this token. */
  supersededAt?: Date;
}

/** What verifying an access token needs to know about its family (one primary-key lookup). */
export interface FamilyState {
  userId: string;
  clientId: string;
  revokedAt?: Date;
}

export interface TokenFamilyStore {
  /** Creates the family and its first refresh token, atomically. */
  create(family: Omit<TokenFamily, 'revokedAt'>, refreshTokenHash: string): Promise<void>;
  findByRefreshToken(tokenHash: string): Promise<{ token: RefreshTokenRecord; family: TokenFamily } | undefined>;
  state(familyId: string): Promise<FamilyState | undefined>;
  /**
   * Marks `oldHash` superseded and stores `newHash` in the same family, atomically and only if
   * `oldHash` was not superseded yet: of two concurrent rotations of one token exactly one wins.
   */
  rotate(oldHash: string, newHash: string, familyId: string, at: Date): Promise<boolean>;
  /** Adds a refresh token to a family (a retry within the rotation grace period). */
  addRefreshToken(familyId: string, tokenHash: string, at: Date): Promise<void>;
  /** Revokes one family; false when it was already revoked or does not exist. */
  revoke(familyId: string, at: Date): Promise<boolean>;
  /** Revokes every live family of a user; returns how many. */
  revokeAllForUser(userId: string, at: Date): Promise<number>;
  /** Deletes families (and their refresh tokens) that expired before `before`. */
  deleteExpired(before: Date): Promise<number>;
}

type FamilyRow = Database['token_families'];

const toFamily = (row: FamilyRow): TokenFamily => ({
  id: row.id,
  userId: row.user_id,
  userPoolId: row.user_pool_id,
  clientId: row.client_id,
  authTime: new Date(Number(row.auth_time)),
  ...(row.device_key === null ? {} : { deviceKey: row.device_key }),
  createdAt: new Date(Number(row.created_at)),
  expiresAt: new Date(Number(row.expires_at)),
  ...(row.revoked_at === null ? {} : { revokedAt: new Date(Number(row.revoked_at)) }),
});

export class KyselyTokenFamilyStore implements TokenFamilyStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(family: Omit<TokenFamily, 'revokedAt'>, refreshTokenHash: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('token_families')
        .values({
          id: family.id,
          user_id: family.userId,
          user_pool_id: family.userPoolId,
          client_id: family.clientId,
          auth_time: family.authTime.getTime(),
          device_key: family.deviceKey ?? null,
          created_at: family.createdAt.getTime(),
          expires_at: family.expiresAt.getTime(),
          revoked_at: null,
        })
        .execute();
      await trx
        .insertInto('refresh_tokens')
        .values({ token_hash: refreshTokenHash, family_id: family.id, created_at: family.createdAt.getTime(), superseded_at: null })
        .execute();
    });
  }

  async findByRefreshToken(tokenHash: string): Promise<{ token: RefreshTokenRecord; family: TokenFamily } | undefined> {
    const row = await this.db
      .selectFrom('refresh_tokens as t')
      .innerJoin('token_families as f', 'f.id', 't.family_id')
      .select([
        't.token_hash',
        't.created_at as token_created_at',
        't.superseded_at',
        'f.id',
        'f.user_id',
        'f.user_pool_id',
        'f.client_id',
        'f.auth_time',
        'f.device_key',
        'f.created_at',
        'f.expires_at',
        'f.revoked_at',
      ])
      .where('t.token_hash', '=', tokenHash)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      token: {
        tokenHash: row.token_hash,
        familyId: row.id,
        createdAt: new Date(Number(row.token_created_at)),
        ...(row.superseded_at === null ? {} : { supersededAt: new Date(Number(row.superseded_at)) }),
      },
      family: toFamily(row),
    };
  }

  async state(familyId: string): Promise<FamilyState | undefined> {
    const row = await this.db
      .selectFrom('token_families')
      .select(['user_id', 'client_id', 'revoked_at'])
      .where('id', '=', familyId)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      userId: row.user_id,
      clientId: row.client_id,
      ...(row.revoked_at === null ? {} : { revokedAt: new Date(Number(row.revoked_at)) }),
    };
  }

  async rotate(oldHash: string, newHash: string, familyId: string, at: Date): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      // The guard on superseded_at makes this a compare-and-set: a concurrent rotation of the same
      // token waits on the row lock (PostgreSQL) or the write lock (SQLite), then matches nothing.
      const result = await trx
        .updateTable('refresh_tokens')
        .set({ superseded_at: at.getTime() })
        .where('token_hash', '=', oldHash)
        .where('superseded_at', 'is', null)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) return false;
      await trx
        .insertInto('refresh_tokens')
        .values({ token_hash: newHash, family_id: familyId, created_at: at.getTime(), superseded_at: null })
        .execute();
      return true;
    });
  }

  async addRefreshToken(familyId: string, tokenHash: string, at: Date): Promise<void> {
    await this.db
      .insertInto('refresh_tokens')
      .values({ token_hash: tokenHash, family_id: familyId, created_at: at.getTime(), superseded_at: null })
      .execute();
  }

  async revoke(familyId: string, at: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('token_families')
      .set({ revoked_at: at.getTime() })
      .where('id', '=', familyId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async revokeAllForUser(userId: string, at: Date): Promise<number> {
    const result = await this.db
      .updateTable('token_families')
      .set({ revoked_at: at.getTime() })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async deleteExpired(before: Date): Promise<number> {
    // refresh_tokens go with their family (ON DELETE CASCADE).
    const result = await this.db.deleteFrom('token_families').where('expires_at', '<', before.getTime()).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
