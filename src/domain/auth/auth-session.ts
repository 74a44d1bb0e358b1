import { createHash, randomBytes } from 'node:crypto';
import { NotAuthorizedException } from '../../generated/exceptions.js';
import type { Store } from '../../store/store.js';
import type { Clock } from '../clock.js';

/** Cognito's sign-in sessions last three minutes. */
export const SESSION_LIFETIME_MS = 3 * 60 * 1000;

/** The state carried between challenge steps. `challenge` names the step it is waiting for. */
export interface SessionState {
  challenge: string;
  userId?: string;
  /** The name the client used, for SECRET_HASH and USERNAME checks. */
  signInName: string;
  /** True for the stand-in session of a user that does not exist (PreventUserExistenceErrors). */
  decoy?: boolean;
  [key: string]: unknown;
}

const hashOf = (value: string) => createHash('sha256').update(value).digest('hex');

/**
 * Opaque, short-lived, single-use sign-in sessions. The client holds 256 random bits; the
 * database holds their hash and the sealed state, so a database reader can neither continue a
 * sign-in nor read SRP secrets.
 */
export class AuthSessions {
  constructor(private readonly deps: { store: Store; clock: Clock }) {}

  /** Stores the state under a new random session value and returns that value. */
  async open(userPoolId: string, clientId: string, state: SessionState): Promise<string> {
    const session = randomBytes(32).toString('base64');
    await this.openWithKey(session, userPoolId, clientId, state);
    return session;
  }

  /** Stores the state under a value the caller chose (the SRP SECRET_BLOCK). */
  async openWithKey(key: string, userPoolId: string, clientId: string, state: SessionState): Promise<void> {
    await this.deps.store.challenges.put(hashOf(key), {
      userPoolId,
      clientId,
      state,
      expiresAt: new Date(this.deps.clock.now().getTime() + SESSION_LIFETIME_MS),
    });
  }

  /** Takes (and so ends) the session, checking it belongs to this pool and client and is still alive. */
  async take(key: string | undefined, userPoolId: string, clientId: string): Promise<SessionState> {
    const stored = key ? await this.deps.store.challenges.take(hashOf(key)) : undefined;
    if (!stored || stored.userPoolId !== userPoolId || stored.clientId !== clientId) {
      throw new NotAuthorizedException('Invalid session for the user.');
    }
    if (stored.expiresAt.getTime() <= this.deps.clock.now().getTime()) {
      throw new NotAuthorizedException('Invalid session for the user, session is expired.');
    }
    return stored.state as SessionState;
  }
}
