import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * The newest TOTP step accepted per user. Accepting a code is one conditional upsert: it lands
 * only if the step is newer than the last one accepted for the same secret (or the secret is a
 * new one), so of two requests carrying the same code, on any nodes, exactly one succeeds.
 */
export interface TotpStepStore {
  /** Records `step` as used; false if that step (or a later one) of this secret was already used. */
  claim(userId: string, secretId: string, step: number): Promise<boolean>;
}

export class KyselyTotpStepStore implements TotpStepStore {
  constructor(private readonly db: Kysely<Database>) {}

  async claim(userId: string, secretId: string, step: number): Promise<boolean> {
    const row = await this.db
      .insertInto('totp_used_steps')
      .values({ user_id: userId, secret_id: secretId, last_step: step })
      .onConflict((oc) =>
        oc
          .column('user_id')
          .doUpdateSet({ secret_id: secretId, last_step: step })
          .where((eb) => eb.or([eb('totp_used_steps.secret_id', '<>', secretId), eb('totp_used_steps.last_step', '<', step)])),
      )
      .returning('user_id')
      .executeTakeFirst();
    return row !== undefined;
  }
}
