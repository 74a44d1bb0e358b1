import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { SecretBox } from '../crypto/secret-box.js';

/** What an authorization code is bound to, sealed at rest. */
export interface AuthorizationCodeGrant {
  redirectUri: string;
  scopes: string[];
  nonce?: string;
  codeChallenge?: string;
  codeChallengeMethod?: 'S256';
  /** Epoch milliseconds of the sign-in. */
  authTime: number;
}

export interface StoredAuthorizationCode {
  codeHash: string;
  userPoolId: string;
  clientId: string;
  userId: string;
  grant: AuthorizationCodeGrant;
  /** The token family a redemption starts (chosen when the code is made, so a replay can revoke it). */
  familyId: string;
  expiresAt: Date;
  redeemedAt?: Date;
}

/** Single-use authorization codes, stored by hash; redemption is one guarded update. */
export interface AuthorizationCodeStore {
  insert(code: StoredAuthorizationCode): Promise<void>;
  get(codeHash: string): Promise<StoredAuthorizationCode | undefined>;
  /** Marks the code redeemed; true only for the one request that did so. */
  redeem(codeHash: string, now: Date): Promise<boolean>;
  /** Records that a redeemed code was presented again. */
  markReplayed(codeHash: string, now: Date): Promise<void>;
  /** True when the code was presented again after its redemption. */
  wasReplayed(codeHash: string): Promise<boolean>;
  deleteExpired(before: Date): Promise<number>;
}

const PURPOSE = 'authorization-code';

export class KyselyAuthorizationCodeStore implements AuthorizationCodeStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly secrets: SecretBox,
  ) {}

  async insert(code: StoredAuthorizationCode): Promise<void> {
    await this.db
      .insertInto('authorization_codes')
      .values({
        code_hash: code.codeHash,
        user_pool_id: code.userPoolId,
        client_id: code.clientId,
        user_id: code.userId,
        state: this.secrets.seal(JSON.stringify(code.grant), PURPOSE),
        family_id: code.familyId,
        expires_at: code.expiresAt.getTime(),
        redeemed_at: null,
        replayed_at: null,
      })
      .execute();
  }

  async get(codeHash: string): Promise<StoredAuthorizationCode | undefined> {
    const row = await this.db.selectFrom('authorization_codes').selectAll().where('code_hash', '=', codeHash).executeTakeFirst();
    if (!row) return undefined;
    return {
      codeHash: row.code_hash,
      userPoolId: row.user_pool_id,
      clientId: row.client_id,
      userId: row.user_id,
      grant: JSON.parse(this.secrets.open(row.state, PURPOSE)) as AuthorizationCodeGrant,
      familyId: row.family_id,
      expiresAt: new Date(Number(row.expires_at)),
      ...(row.redeemed_at !== null ? { redeemedAt: new Date(Number(row.redeemed_at)) } : {}),
    };
  }

  async redeem(codeHash: string, now: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('authorization_codes')
      .set({ redeemed_at: now.getTime() })
      .where('code_hash', '=', codeHash)
      .where('redeemed_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async markReplayed(codeHash: string, now: Date): Promise<void> {
    await this.db.updateTable('authorization_codes').set({ replayed_at: now.getTime() }).where('code_hash', '=', codeHash).execute();
  }

  async wasReplayed(codeHash: string): Promise<boolean> {
    const row = await this.db.selectFrom('authorization_codes').select('replayed_at').where('code_hash', '=', codeHash).executeTakeFirst();
    return row?.replayed_at !== null && row?.replayed_at !== undefined;
  }

  async deleteExpired(before: Date): Promise<number> {
    const result = await this.db.deleteFrom('authorization_codes').where('expires_at', '<', before.getTime()).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
