import { createHash } from 'node:crypto';
import type { Store } from '../../store/store.js';
import type { Clock } from '../clock.js';

/** The hosted-page actions that check a password or send a message. */
export type HostedAction = 'signIn' | 'signUp' | 'resendCode' | 'forgotPassword';

export interface RateLimit {
  /** Attempts one client address may make per window (per pool). */
  perIp: number;
  /** Attempts for one user name per window (per pool), from any address. */
  perName: number;
  windowMs: number;
}

const MINUTE = 60_000;

/**
 * The limits. Sign-in is generous per address (a shared office NAT) and tighter per name, on top
 * of the per-user lockout it shares with the API; the pages that send email or SMS are tighter,
 * because each attempt costs a message and can be aimed at someone else's inbox.
 */
export const HOSTED_RATE_LIMITS: Record<HostedAction, RateLimit> = {
  signIn: { perIp: 60, perName: 20, windowMs: 5 * MINUTE },
  signUp: { perIp: 20, perName: 5, windowMs: 60 * MINUTE },
  resendCode: { perIp: 20, perName: 5, windowMs: 15 * MINUTE },
  forgotPassword: { perIp: 20, perName: 5, windowMs: 15 * MINUTE },
};

export interface RateDecision {
  allowed: boolean;
  /** Seconds until the window that refused ends (for Retry-After). */
  retryAfterSeconds: number;
}

/**
 * Fixed-window counters for the hosted pages, per pool, per client address and per user name,
 * shared by every node through the database: they live in the sign-in failure counters
 * (sign_in_failures) under subjects of their own (`rate:<action>:<ip|name>:<hash>:<window>`), so
 * each count is the same single atomic upsert the lockout uses, and no migration is needed. A
 * counter's `locked_until` is its window's end, which keeps the janitor from forgetting it early.
 * Addresses and names are stored only as hashes.
 */
export class HostedRateLimits {
  constructor(
    private readonly deps: { store: Pick<Store, 'signInFailures'>; clock: Clock },
    private readonly limits: Record<HostedAction, RateLimit> = HOSTED_RATE_LIMITS,
  ) {}

  /** Counts one attempt and says whether it may go ahead. */
  async attempt(userPoolId: string, action: HostedAction, ip: string | undefined, name: string | undefined): Promise<RateDecision> {
    const limit = this.limits[action];
    const now = this.deps.clock.now().getTime();
    const window = Math.floor(now / limit.windowMs);
    const windowEnd = (window + 1) * limit.windowMs;
    const counted: Array<Promise<boolean>> = [];
    if (ip) counted.push(this.count(userPoolId, `rate:${action}:ip:${digest(ip)}:${window}`, limit.perIp, now, windowEnd));
    const key = name?.trim().toLowerCase();
    if (key) counted.push(this.count(userPoolId, `rate:${action}:name:${digest(key)}:${window}`, limit.perName, now, windowEnd));
    const within = await Promise.all(counted);
    return { allowed: within.every(Boolean), retryAfterSeconds: Math.max(1, Math.ceil((windowEnd - now) / 1000)) };
  }

  private async count(userPoolId: string, subject: string, max: number, now: number, windowEnd: number): Promise<boolean> {
    const failures = this.deps.store.signInFailures;
    // The window is in the subject, so the count never resets by time (resetBefore: the epoch).
    const count = await failures.recordFailure(userPoolId, subject, new Date(now), new Date(0));
    if (count === 1) await failures.setLockedUntil(userPoolId, subject, new Date(windowEnd));
    return count <= max;
  }
}

const digest = (value: string) => createHash('sha256').update(value).digest('base64url').slice(0, 22);
