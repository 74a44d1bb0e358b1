import type { Store } from '../../store/store.js';
import type { Clock } from '../clock.js';
import { RESET_AFTER_MS } from '../auth/lockout.js';

export interface SweepReport {
  challenges: number;
  codes: number;
  tokenFamilies: number;
  signInFailures: number;
  /** OAuth 2.0 authorization codes past their 5 minutes (kept until then to detect replays). */
  authorizationCodes: number;
  /** Hosted-UI sign-in sessions past their expiry. */
  hostedSessions: number;
}

/** How often each node sweeps. Sweeps are idempotent deletes, so nodes need not coordinate. */
export const SWEEP_INTERVAL_MS = 5 * 60 * 1000;

/**
 * Deletes what can no longer be used: sign-in sessions and codes past their expiry, token
 * families (with their refresh tokens) past their absolute lifetime, and lockout counters that
 * have gone quiet. Until then rows are kept on purpose: a used session answers "can only be used
 * once", a superseded refresh token is how reuse is detected.
 */
export class Janitor {
  constructor(private readonly deps: { store: Store; clock: Clock }) {}

  async sweep(): Promise<SweepReport> {
    const now = this.deps.clock.now();
    const { store } = this.deps;
    return {
      challenges: await store.challenges.deleteExpired(now),
      codes: await store.codes.deleteExpired(now),
      tokenFamilies: await store.tokenFamilies.deleteExpired(now),
      signInFailures: await store.signInFailures.deleteStale(new Date(now.getTime() - RESET_AFTER_MS), now),
      authorizationCodes: await store.authorizationCodes.deleteExpired(now),
      hostedSessions: await store.hostedSessions.deleteExpired(now),
    };
  }

  /** Sweeps every interval until the returned function is called; failures are logged, not fatal. */
  start(log: { warn(obj: object, msg: string): void }, intervalMs = SWEEP_INTERVAL_MS): () => void {
    const timer = setInterval(() => {
      this.sweep().catch((error: unknown) => log.warn({ err: error }, 'sweep of expired rows failed'));
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }
}
