import { NotAuthorizedException } from '../../generated/exceptions.js';
import type { Store } from '../../store/store.js';
import type { Clock } from '../clock.js';

/** Failures allowed before back-off starts, as in Cognito. */
export const FREE_ATTEMPTS = 5;
/** The lock doubles from one second per further failure, up to about fifteen minutes. */
export const MAX_LOCK_MS = 15 * 60 * 1000;
/** Fifteen quiet minutes forget earlier failures. */
export const RESET_AFTER_MS = 15 * 60 * 1000;

export function lockDurationMs(failures: number): number {
  if (failures < FREE_ATTEMPTS) return 0;
  return Math.min(1000 * 2 ** (failures - FREE_ATTEMPTS), MAX_LOCK_MS);
}

/**
 * Cognito's sign-in lockout. The subject is the user's id, or the name tried when no such user
 * exists, so that unknown and known users behave alike. Counters live in the database, so every
 * node sees the same lock.
 */
export class Lockout {
  constructor(private readonly deps: { store: Store; clock: Clock }) {}

  /** Refuses the attempt while a lock is in force, without looking at the password. */
  async check(userPoolId: string, subject: string): Promise<void> {
    const record = await this.deps.store.signInFailures.get(userPoolId, subject);
    if (record && record.lockedUntil.getTime() > this.deps.clock.now().getTime()) {
      throw new NotAuthorizedException('Password attempts exceeded');
    }
  }

  async recordFailure(userPoolId: string, subject: string): Promise<void> {
    const now = this.deps.clock.now();
    const failures = await this.deps.store.signInFailures.recordFailure(
      userPoolId,
      subject,
      now,
      new Date(now.getTime() - RESET_AFTER_MS),
    );
    const lock = lockDurationMs(failures);
    if (lock > 0) await this.deps.store.signInFailures.setLockedUntil(userPoolId, subject, new Date(now.getTime() + lock));
  }

  async recordSuccess(userPoolId: string, subject: string): Promise<void> {
    await this.deps.store.signInFailures.clear(userPoolId, subject);
  }
}
