import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface StoredCode {
  userId: string;
  purpose: string;
  codeHash: string;
  attempts: number;
  expiresAt: Date;
  createdAt: Date;
}

/**
 * One live code per user and purpose: a new code replaces the old (the newest wins on resend).
 * Consumption and failed attempts are guarded on the code's creation time, so two requests that
 * present the same code cannot both succeed, and a late failure cannot touch a newer code.
 */
export interface VerificationCodeStore {
  put(code: StoredCode): Promise<void>;
  get(userId: string, purpose: string): Promise<StoredCode | undefined>;
  /** Deletes the code if it is still the one created at `createdAt`; true for the one winner. */
  consume(userId: string, purpose: string, createdAt: Date): Promise<boolean>;
  recordFailedAttempt(userId: string, purpose: string, createdAt: Date): Promise<void>;
  delete(userId: string, purpose: string): Promise<void>;
  deleteExpired(now: Date): Promise<number>;
}

export class KyselyVerificationCodeStore implements VerificationCodeStore {
  constructor(private readonly db: Kysely<Database>) {}

  async put(code: StoredCode): Promise<void> {
    const values = {
      user_id: code.userId,
      purpose: code.purpose,
      code_hash: code.codeHash,
      attempts: code.attempts,
      expires_at: code.expiresAt.getTime(),
      created_at: code.createdAt.getTime(),
    };
    await this.db
      .insertInto('verification_codes')
      .values(values)
      .onConflict((oc) =>
        oc.columns(['user_id', 'purpose']).doUpdateSet({
          code_hash: values.code_hash,
          attempts: values.attempts,
          expires_at: values.expires_at,
          created_at: values.created_at,
        }),
      )
      .execute();
  }

  async get(userId: string, purpose: string): Promise<StoredCode | undefined> {
    const row = await this.db
      .selectFrom('verification_codes')
      .selectAll()
      .where('user_id', '=', userId)
      .where('purpose', '=', purpose)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      userId: row.user_id,
      purpose: row.purpose,
      codeHash: row.code_hash,
      attempts: row.attempts,
      expiresAt: new Date(Number(row.expires_at)),
      createdAt: new Date(Number(row.created_at)),
    };
  }

  async consume(userId: string, purpose: string, createdAt: Date): Promise<boolean> {
    const result = await this.db
      .deleteFrom('verification_codes')
      .where('user_id', '=', userId)
      .where('purpose', '=', purpose)
      .where('created_at', '=', createdAt.getTime())
      .executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }

  async recordFailedAttempt(userId: string, purpose: string, createdAt: Date): Promise<void> {
    await this.db
      .updateTable('verification_codes')
      .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
      .where('user_id', '=', userId)
      .where('purpose', '=', purpose)
      .where('created_at', '=', createdAt.getTime())
      .execute();
  }

  async deleteExpired(now: Date): Promise<number> {
    const result = await this.db.deleteFrom('verification_codes').where('expires_at', '<', now.getTime()).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async delete(userId: string, purpose: string): Promise<void> {
    await this.db.deleteFrom('verification_codes').where('user_id', '=', userId).where('purpose', '=', purpose).execute();
  }
}
