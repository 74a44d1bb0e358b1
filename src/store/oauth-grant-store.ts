import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** The scopes an OAuth 2.0 session (a token family) was granted, so its refreshes keep them. */
export interface OAuthGrantStore {
  put(familyId: string, scopes: readonly string[]): Promise<void>;
  /** The family's scopes, or undefined for a session that did not come from an OAuth grant. */
  scopes(familyId: string): Promise<string[] | undefined>;
}

export class KyselyOAuthGrantStore implements OAuthGrantStore {
  constructor(private readonly db: Kysely<Database>) {}

  async put(familyId: string, scopes: readonly string[]): Promise<void> {
    await this.db
      .insertInto('oauth_grants')
      .values({ family_id: familyId, scopes: scopes.join(' ') })
      .onConflict((oc) => oc.column('family_id').doUpdateSet({ scopes: scopes.join(' ') }))
      .execute();
  }

  async scopes(familyId: string): Promise<string[] | undefined> {
    const row = await this.db.selectFrom('oauth_grants').select('scopes').where('family_id', '=', familyId).executeTakeFirst();
    return row ? row.scopes.split(' ').filter(Boolean) : undefined;
  }
}
