import type { Store } from '../../store/store.js';
import type { AuthEvent } from '../../store/risk-store.js';
import type { Clock } from '../clock.js';
import type { UserPool } from '../user-pools/user-pool.js';
import type { User } from '../users/user.js';

/** How far back a user's history counts: IPs seen, feedback given. */
export const HISTORY_MS = 90 * 24 * 60 * 60 * 1000;
const HISTORY_LIMIT = 200;
/** Velocity: this many sign-ins within the window is unusual. */
const VELOCITY_WINDOW_MS = 10 * 60 * 1000;
const VELOCITY_COUNT = 5;
/** Failed attempts (the lockout counter, which forgets after 15 quiet minutes) that raise the risk. */
const FAILURES = 3;

export type RiskLevel = 'Low' | 'Medium' | 'High';

export interface RiskAssessment {
  level?: RiskLevel;
  /** Each signal that fired, in words: the decision explains itself. */
  signals: string[];
}

export interface SignInFacts {
  pool: UserPool;
  user: User;
  ip?: string;
  /** Whether the client proved nothing about its device, where the pool tracks devices. */
  unknownDevice: boolean;
}

/**
 * Frontdesk's account-takeover risk: what the server itself can see of a sign-in, each signal
 * worth points, the sum giving the level (1 Low, 2 Medium, 3+ High):
 * - a new IP address for this user (one never seen in a passed sign-in, nor confirmed Valid) — 1;
 * - a device the pool tracks but the client did not prove (unknown or not remembered) — 1;
 * - recent failed attempts (3 or more on the lockout counter) — 1;
 * - velocity (5 or more sign-ins in 10 minutes) — 1;
 * - an IP address the user reported (Invalid feedback on a sign-in from it) — 3.
 * Feedback adjusts later decisions: Valid makes that sign-in's IP known, Invalid makes it suspect.
 */
export class RiskEngine {
  constructor(private readonly deps: { store: Store; clock: Clock }) {}

  async assess(facts: SignInFacts): Promise<RiskAssessment> {
    const now = this.deps.clock.now().getTime();
    const history = await this.deps.store.risk.eventsSince(facts.pool.id, facts.user.id, new Date(now - HISTORY_MS), HISTORY_LIMIT);
    const signals: string[] = [];
    let points = 0;
    const ip = facts.ip;

    if (ip && history.some((e) => e.ipAddress === ip && e.feedback?.value === 'Invalid')) {
      signals.push(`IP address ${ip} was reported: a sign-in from it was marked Invalid`);
      points += 3;
    }
    const known = new Set(history.filter(trusted).map((e) => e.ipAddress));
    if (ip && history.some(trusted) && !known.has(ip)) {
      signals.push(`new IP address ${ip} for this user`);
      points += 1;
    }
    if (facts.unknownDevice) {
      signals.push('device not recognised (no remembered device proven)');
      points += 1;
    }
    const failures = await this.deps.store.signInFailures.get(facts.pool.id, facts.user.id);
    if (failures && failures.failures >= FAILURES) {
      signals.push(`${failures.failures} recent failed sign-in attempts`);
      points += 1;
    }
    // Wrong passwords are counted by the failures signal, not as sign-ins.
    const recent = history.filter((e) => e.eventType === 'SignIn' && !wrongPassword(e) && e.createdAt.getTime() > now - VELOCITY_WINDOW_MS).length;
    if (recent >= VELOCITY_COUNT) {
      signals.push(`${recent} sign-ins in the last 10 minutes`);
      points += 1;
    }
    const level: RiskLevel | undefined = points >= 3 ? 'High' : points === 2 ? 'Medium' : points === 1 ? 'Low' : undefined;
    return { ...(level ? { level } : {}), signals };
  }
}

/** A sign-in whose IP counts as the user's own. */
function trusted(event: AuthEvent): boolean {
  if (event.feedback?.value === 'Valid') return true;
  return event.eventType === 'SignIn' && event.eventResponse === 'Pass' && event.feedback?.value !== 'Invalid' && event.riskDecision !== 'Block';
}

function wrongPassword(event: AuthEvent): boolean {
  return event.challenges.some((c) => c.ChallengeName === 'Password' && c.ChallengeResponse === 'Failure');
}
