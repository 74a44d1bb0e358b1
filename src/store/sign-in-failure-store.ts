import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface FailureRecord {
  failures: number;
  lastFailureAt: Date;
  lockedUntil: Date;
}

/**
 * Failed sign-in counters, shared by every node through the database. The increment is one
 * upsert, so concurrent failures on different nodes are all counted.
 */
export interface SignInFailureStore {
  get(userPoolId: string, subject: string): Promise<FailureRecord | undefined>;
  /** Adds one failure (restarting the count if `resetBefore` is after the last one) and returns the new count. */
  recordFailure(userPoolId: string, subject: string, now: Date, resetBefore: Date): Promise<number>;
  setLockedUntil(userPoolId: string, subject: string, lockedUntil: Date): Promise<void>;
  clear(userPoolId: string, subject: string): Promise<void>;
  /** Forgets counters whose last failure is older than `before` and whose lock has ended. */
  deleteStale(before: Date, now: Date): Promise<number>;
}

export class KyselySignInFailureStore implements SignInFailureStore {
  constructor(private readonly db: Kysely<Database>) {}

  async get(userPoolId: string, subject: string): Promise<FailureRecord | undefined> {
    const row = await this.db
      .selectFrom('sign_in_failures')
      .selectAll()
      .where('user_pool_id', '=', userPoolId)
      .where('subject', '=', subject)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      failures: row.failures,
      lastFailureAt: new Date(Number(row.last_failure_at)),
      lockedUntil: new Date(Number(row.locked_until)),
    };
  }

  async recordFailure(userPoolId: string, subject: string, now: Date, resetBefore: Date): Promise<number> {
    const row = await this.db
      .insertInto('sign_in_failures')
      .values({ user_pool_id: userPoolId, subject, failures: 1, last_failure_at: now.getTime(), locked_until: 0 })
      .onConflict((oc) =>
        oc.columns(['user_pool_id', 'subject']).doUpdateSet((eb) => ({
          failures: eb
            .case()
            .when('sign_in_failures.last_failure_at', '<', resetBefore.getTime())
            .then(1)
            .else(eb('sign_in_failures.failures', '+', 1))
            .end(),
          last_failure_at: now.getTime(),
        })),
      )
      .returning('failures')
      .executeTakeFirstOrThrow();
    return Number(row.failures);
  }

  async setLockedUntil(userPoolId: string, subject: string, lockedUntil: Date): Promise<void> {
    await this.db
      .updateTable('sign_in_failures')
      .set({ locked_until: lockedUntil.getTime() })
      .where('user_pool_id', '=', userPoolId)
      .where('subject', '=', subject)
      .execute();
  }

  async deleteStale(before: Date, now: Date): Promise<number> {
    const result = await this.db
      .deleteFrom('sign_in_failures')
      .where('last_failure_at', '<', before.getTime())
      .where('locked_until', '<', now.getTime())
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async clear(userPoolId: string, subject: string): Promise<void> {
    await this.db.deleteFrom('sign_in_failures').where('user_pool_id', '=', userPoolId).where('subject', '=', subject).execute();
  }
}
