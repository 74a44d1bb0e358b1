import { createHash, randomBytes } from 'node:crypto';
import { NotAuthorizedException } from '../../generated/exceptions.js';
import type { Store } from '../../store/store.js';
import type { Clock } from '../clock.js';
import type { UserPoolClient } from '../clients/user-pool-client.js';

/** Cognito's sign-in sessions last three minutes unless the client's AuthSessionValidity says otherwise. */
export const SESSION_LIFETIME_MS = 3 * 60 * 1000;

/** How long a sign-in session of this client lasts: AuthSessionValidity minutes (3 to 15). */
export function sessionLifetimeMs(client: Pick<UserPoolClient, 'settings'>): number {
  const minutes = client.settings.AuthSessionValidity;
  return typeof minutes === 'number' && minutes > 0 ? minutes * 60 * 1000 : SESSION_LIFETIME_MS;
}

/**
 * What a session's row holds once it has been answered: kept until the session would have
 * expired, so a second answer hears Cognito's "can only be used once" rather than a bare
 * "invalid session".
 */
const USED = '__used__';

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
  async open(client: UserPoolClient, state: SessionState): Promise<string> {
    const session = randomBytes(32).toString('base64');
    await this.openWithKey(session, client, state);
    return session;
  }

  /** Stores the state under a value the caller chose (the SRP SECRET_BLOCK). */
  async openWithKey(key: string, client: UserPoolClient, state: SessionState): Promise<void> {
    await this.deps.store.challenges.put(hashOf(key), {
      userPoolId: client.userPoolId,
      clientId: client.id,
      state,
      expiresAt: new Date(this.deps.clock.now().getTime() + sessionLifetimeMs(client)),
    });
  }

  /**
   * Takes (and so ends) the session, checking it belongs to this client and is still alive. Taking
   * is one delete-returning statement, so of two concurrent answers only one gets the state; the
   * session's hash is then kept, marked used, until it would have expired.
   */
  async take(key: string | undefined, client: UserPoolClient): Promise<SessionState> {
    return (await this.takeSession(key, client)).state;
  }

  /**
   * Takes a session as `take` does, with where it belongs and when it expires. Without a client
   * (AssociateSoftwareToken and VerifySoftwareToken name none) any client's session is taken.
   */
  async takeSession(key: string | undefined, client?: UserPoolClient): Promise<TakenSession> {
    const hash = key ? hashOf(key) : undefined;
    const stored = hash ? await this.deps.store.challenges.take(hash) : undefined;
    if (!stored) throw new NotAuthorizedException('Invalid session for the user.');
    const now = this.deps.clock.now().getTime();
    if (stored.expiresAt.getTime() > now) {
      // Put back as used (another concurrent take cannot have seen it: the row was gone meanwhile).
      await this.deps.store.challenges
        .put(hash!, { userPoolId: stored.userPoolId, clientId: stored.clientId, state: { challenge: USED }, expiresAt: stored.expiresAt })
        .catch(() => undefined);
    }
    if (client && (stored.userPoolId !== client.userPoolId || stored.clientId !== client.id)) {
      throw new NotAuthorizedException('Invalid session for the user.');
    }
    if (stored.expiresAt.getTime() <= now) {
      throw new NotAuthorizedException('Invalid session for the user, session is expired.');
    }
    if ((stored.state as SessionState).challenge === USED) {
      throw new NotAuthorizedException('Invalid session for the user, session can only be used once.');
    }
    return { state: stored.state as SessionState, userPoolId: stored.userPoolId, clientId: stored.clientId, expiresAt: stored.expiresAt };
  }

  /**
   * Puts a taken session back under the same value and expiry, for a step the client may try
   * again (a mistyped MFA code): the code still expires with the session.
   */
  async restore(key: string, taken: TakenSession): Promise<void> {
    await this.deps.store.challenges.replace(hashOf(key), {
      userPoolId: taken.userPoolId,
      clientId: taken.clientId,
      state: taken.state,
      expiresAt: taken.expiresAt,
    });
  }
}

export interface TakenSession {
  state: SessionState;
  userPoolId: string;
  clientId: string;
  expiresAt: Date;
}
