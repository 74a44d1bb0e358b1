import { randomInt } from 'node:crypto';
import { timingSafeEqual } from 'node:crypto';
import {
  CodeMismatchException,
  ExpiredCodeException,
  LimitExceededException,
} from '../../generated/exceptions.js';
import type { Store } from '../../store/store.js';
import type { SecretBox } from '../../crypto/secret-box.js';
import type { Clock } from '../clock.js';

export type CodePurpose = 'sign_up' | 'forgot_password' | `verify:${string}`;

const HOUR = 60 * 60 * 1000;

/** Cognito's lifetimes: sign-up and attribute codes 24 hours, forgot-password codes 1 hour. */
export function lifetimeOf(purpose: CodePurpose): number {
  return purpose === 'forgot_password' ? HOUR : 24 * HOUR;
}

/** Wrong guesses allowed against one code before it stops working. */
export const MAX_CODE_ATTEMPTS = 5;

/**
 * Six-digit codes from a CSPRNG, stored only as a keyed hash, single-use, with an attempt limit.
 * A new code for the same purpose replaces the previous one.
 */
export class VerificationCodes {
  constructor(private readonly deps: { store: Store; secrets: SecretBox; clock: Clock }) {}

  private hash(userId: string, purpose: CodePurpose, code: string): string {
    return this.deps.secrets.mac(`${userId}:${code}`, `code:${purpose}`);
  }

  /** Creates a code and returns it in clear, for delivery; only its hash is kept. */
  async issue(userId: string, purpose: CodePurpose): Promise<string> {
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const now = this.deps.clock.now();
    await this.deps.store.codes.put({
      userId,
      purpose,
      codeHash: this.hash(userId, purpose, code),
      attempts: 0,
      createdAt: now,
      expiresAt: new Date(now.getTime() + lifetimeOf(purpose)),
    });
    return code;
  }

  /**
   * Accepts the code once. Wrong → CodeMismatchException; none, expired or already used →
   * ExpiredCodeException; too many wrong guesses → LimitExceededException until a new code.
   * `beforeConsume` runs once the code is known to be right but before it is used up: a check
   * that fails there (an alias another account holds) leaves the code for a corrected retry.
   */
  async consume(userId: string, purpose: CodePurpose, code: string, beforeConsume?: () => Promise<void>): Promise<void> {
    const stored = await this.deps.store.codes.get(userId, purpose);
    if (!stored || stored.expiresAt.getTime() <= this.deps.clock.now().getTime()) {
      throw new ExpiredCodeException('Invalid code provided, please request a code again.');
    }
    if (stored.attempts >= MAX_CODE_ATTEMPTS) {
      throw new LimitExceededException('Attempt limit exceeded, please try after some time.');
    }
    const presented = Buffer.from(this.hash(userId, purpose, code), 'hex');
    if (!timingSafeEqual(presented, Buffer.from(stored.codeHash, 'hex'))) {
      await this.deps.store.codes.recordFailedAttempt(userId, purpose, stored.createdAt);
      throw new CodeMismatchException('Invalid verification code provided, please try again.');
    }
    await beforeConsume?.();
    // Two requests with the same right code: only the one that deletes the row wins.
    if (!(await this.deps.store.codes.consume(userId, purpose, stored.createdAt))) {
      throw new ExpiredCodeException('Invalid code provided, please request a code again.');
    }
  }

  async discard(userId: string, purpose: CodePurpose): Promise<void> {
    await this.deps.store.codes.delete(userId, purpose);
  }
}
