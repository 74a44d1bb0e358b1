import { createHash, randomBytes } from 'node:crypto';
import type { Store } from '../../store/store.js';
import type { Clock } from '../clock.js';
import type { UserPool } from '../user-pools/user-pool.js';
import type { UserDirectory } from '../users/user-directory.js';
import type { User } from '../users/user.js';

/** Cognito's hosted-UI session lasts one hour. */
export const HOSTED_SESSION_LIFETIME_MS = 60 * 60 * 1000;

const hashOf = (value: string) => createHash('sha256').update(value, 'utf8').digest('base64url');

/**
 * The hosted UI's own sign-in sessions (its cookie): a user signed in once is not asked again by
 * another client of the same pool until the session expires or they log out. The browser holds 256
 * random bits; the database holds their hash. A disabled or deleted user's session is void.
 */
export class HostedSessions {
  constructor(private readonly deps: { store: Pick<Store, 'hostedSessions'>; clock: Clock; users: UserDirectory }) {}

  async open(pool: UserPool, user: User, authTime: Date): Promise<{ value: string; maxAgeSeconds: number }> {
    const value = randomBytes(32).toString('base64url');
    const now = this.deps.clock.now();
    await this.deps.store.hostedSessions.insert({
      sessionHash: hashOf(value),
      userPoolId: pool.id,
      userId: user.id,
      authTime,
      createdAt: now,
      expiresAt: new Date(now.getTime() + HOSTED_SESSION_LIFETIME_MS),
    });
    return { value, maxAgeSeconds: HOSTED_SESSION_LIFETIME_MS / 1000 };
  }

  /** The signed-in user of a cookie value, if the session is alive and the user may still sign in. */
  async find(pool: UserPool, value: string | undefined): Promise<{ user: User; authTime: Date } | undefined> {
    if (!value || !/^[A-Za-z0-9_-]{43}$/.test(value)) return undefined;
    const session = await this.deps.store.hostedSessions.get(hashOf(value));
    if (!session || session.userPoolId !== pool.id || session.expiresAt.getTime() <= this.deps.clock.now().getTime()) return undefined;
    const user = await this.deps.users.byId(pool, session.userId);
    if (!user?.enabled || user.status !== 'CONFIRMED') return undefined;
    return { user, authTime: session.authTime };
  }

  async close(value: string | undefined): Promise<void> {
    if (value && /^[A-Za-z0-9_-]{43}$/.test(value)) await this.deps.store.hostedSessions.delete(hashOf(value));
  }
}
