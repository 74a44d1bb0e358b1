import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** A hosted-UI sign-in (the SSO cookie's server side), stored by the hash of the cookie value. */
export interface HostedSession {
  sessionHash: string;
  userPoolId: string;
  userId: string;
  authTime: Date;
  createdAt: Date;
  expiresAt: Date;
}

export interface HostedSessionStore {
  insert(session: HostedSession): Promise<void>;
  get(sessionHash: string): Promise<HostedSession | undefined>;
  delete(sessionHash: string): Promise<void>;
  deleteForUser(userId: string): Promise<number>;
  deleteExpired(before: Date): Promise<number>;
}

export class KyselyHostedSessionStore implements HostedSessionStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(session: HostedSession): Promise<void> {
    await this.db
      .insertInto('hosted_sessions')
      .values({
        session_hash: session.sessionHash,
        user_pool_id: session.userPoolId,
        user_id: session.userId,
        auth_time: session.authTime.getTime(),
        created_at: session.createdAt.getTime(),
        expires_at: session.expiresAt.getTime(),
      })
      .execute();
  }

  async get(sessionHash: string): Promise<HostedSession | undefined> {
    const row = await this.db.selectFrom('hosted_sessions').selectAll().where('session_hash', '=', sessionHash).executeTakeFirst();
    if (!row) return undefined;
    return {
      sessionHash: row.session_hash,
      userPoolId: row.user_pool_id,
      userId: row.user_id,
      authTime: new Date(Number(row.auth_time)),
      createdAt: new Date(Number(row.created_at)),
      expiresAt: new Date(Number(row.expires_at)),
    };
  }

  async delete(sessionHash: string): Promise<void> {
    await this.db.deleteFrom('hosted_sessions').where('session_hash', '=', sessionHash).execute();
  }

  async deleteForUser(userId: string): Promise<number> {
    const result = await this.db.deleteFrom('hosted_sessions').where('user_id', '=', userId).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async deleteExpired(before: Date): Promise<number> {
    const result = await this.db.deleteFrom('hosted_sessions').where('expires_at', '<', before.getTime()).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
