import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { SecretBox } from '../crypto/secret-box.js';

export interface StoredChallenge {
  userPoolId: string;
  clientId: string;
  /** What the next step needs (whose challenge, SRP values, …); sealed at rest. */
  state: Record<string, unknown>;
  expiresAt: Date;
}

/**
 * Sign-in sessions between challenge steps, keyed by a hash of the opaque session value the client
 * holds. Taking a session deletes it in the same statement, so each can be answered once.
 */
export interface AuthChallengeStore {
  put(sessionHash: string, challenge: StoredChallenge): Promise<void>;
  take(sessionHash: string): Promise<StoredChallenge | undefined>;
  /** Writes the session whether or not a row (e.g. its "used" marker) holds the hash. */
  replace(sessionHash: string, challenge: StoredChallenge): Promise<void>;
  deleteExpired(now: Date): Promise<number>;
}

const PURPOSE = 'auth-challenge-state';

export class KyselyAuthChallengeStore implements AuthChallengeStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly secrets: SecretBox,
  ) {}

  async put(sessionHash: string, challenge: StoredChallenge): Promise<void> {
    await this.db
      .insertInto('auth_challenges')
      .values({
        session_hash: sessionHash,
        user_pool_id: challenge.userPoolId,
        client_id: challenge.clientId,
        state: this.secrets.seal(JSON.stringify(challenge.state), PURPOSE),
        expires_at: challenge.expiresAt.getTime(),
      })
      .execute();
  }

  async replace(sessionHash: string, challenge: StoredChallenge): Promise<void> {
    const state = this.secrets.seal(JSON.stringify(challenge.state), PURPOSE);
    await this.db
      .insertInto('auth_challenges')
      .values({
        session_hash: sessionHash,
        user_pool_id: challenge.userPoolId,
        client_id: challenge.clientId,
        state,
        expires_at: challenge.expiresAt.getTime(),
      })
      .onConflict((oc) =>
        oc.column('session_hash').doUpdateSet({
          user_pool_id: challenge.userPoolId,
          client_id: challenge.clientId,
          state,
          expires_at: challenge.expiresAt.getTime(),
        }),
      )
      .execute();
  }

  async take(sessionHash: string): Promise<StoredChallenge | undefined> {
    const row = await this.db.deleteFrom('auth_challenges').where('session_hash', '=', sessionHash).returningAll().executeTakeFirst();
    if (!row) return undefined;
    return {
      userPoolId: row.user_pool_id,
      clientId: row.client_id,
      state: JSON.parse(this.secrets.open(row.state, PURPOSE)),
      expiresAt: new Date(Number(row.expires_at)),
    };
  }

  async deleteExpired(now: Date): Promise<number> {
    const result = await this.db.deleteFrom('auth_challenges').where('expires_at', '<', now.getTime()).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
