import { randomUUID } from 'node:crypto';
import { EnableSoftwareTokenMFAException, SoftwareTokenMFANotFoundException } from '../../generated/exceptions.js';
import type { SecretBox } from '../../crypto/secret-box.js';
import { matchTotpStep, newTotpSecret } from '../../crypto/totp.js';
import type { Store } from '../../store/store.js';
import type { Clock } from '../clock.js';
import type { UserDirectory } from '../users/user-directory.js';
import type { User } from '../users/user.js';
import type { UserPool } from '../user-pools/user-pool.js';
import { mfaOf, type MfaFactor, type StoredTotpSecret, type UserMfa } from './user-mfa.js';

/** The sealing purpose of TOTP secrets (also used by the user transfer format). */
export const TOTP_SECRET_PURPOSE = 'totp-secret';
const SECRET_PURPOSE = TOTP_SECRET_PURPOSE;

/**
 * Authenticator-app secrets: issued by AssociateSoftwareToken, confirmed by VerifySoftwareToken,
 * checked at SOFTWARE_TOKEN_MFA. Secrets are sealed inside users.mfa; every accepted code claims
 * its time step in totp_used_steps, so a code works once.
 */
export class SoftwareTokens {
  constructor(private readonly deps: { users: UserDirectory; secrets: SecretBox; store: Store; clock: Clock }) {}

  /**
   * A new secret, pending until verified. A verified authenticator the user already has keeps
   * working until the new one is verified, so an abandoned set-up locks nobody out.
   */
  async associate(pool: UserPool, userId: string): Promise<string> {
    const secret = newTotpSecret();
    const pending: StoredTotpSecret = {
      id: randomUUID(),
      sealedSecret: this.deps.secrets.seal(secret, SECRET_PURPOSE),
      createdAt: this.deps.clock.now().getTime(),
    };
    await this.deps.users.update(pool, userId, (user) => ({ ...user, mfa: { ...mfaOf(user), pendingTotp: pending } satisfies UserMfa }));
    return secret;
  }

  /**
   * Confirms the pending secret with a code from the app; it becomes the user's authenticator.
   * `enable` (sign-in set-up) also turns software-token MFA on and makes it preferred.
   */
  async verifyPending(pool: UserPool, user: User, code: string, friendlyName: string | undefined, enable: boolean): Promise<User> {
    const pending = mfaOf(user).pendingTotp;
    if (!pending) throw new SoftwareTokenMFANotFoundException('Software Token MFA has not been associated with the user.');
    if (!(await this.claim(user.id, pending, code))) {
      throw new EnableSoftwareTokenMFAException('Code mismatch and fail enable Software Token MFA');
    }
    return this.deps.users.update(pool, user.id, (current) => {
      const mfa = mfaOf(current);
      // Another AssociateSoftwareToken replaced the secret meanwhile: this code was for the old one.
      if (mfa.pendingTotp?.id !== pending.id) throw new EnableSoftwareTokenMFAException('Code mismatch and fail enable Software Token MFA');
      const { pendingTotp: _done, ...rest } = mfa;
      const next: UserMfa = { ...rest, totp: { ...pending, ...(friendlyName ? { friendlyName } : {}) } };
      if (enable) {
        next.enabled = [...new Set<MfaFactor>([...(mfa.enabled ?? []), 'SOFTWARE_TOKEN_MFA'])];
        next.preferred = 'SOFTWARE_TOKEN_MFA';
      }
      return { ...current, mfa: next };
    });
  }

  /** SOFTWARE_TOKEN_MFA: whether the code is the user's authenticator's, for a step never used before. */
  async check(user: User, code: string): Promise<boolean> {
    const totp = mfaOf(user).totp;
    if (!totp) throw new SoftwareTokenMFANotFoundException('Software Token MFA has not been enabled by the user.');
    return this.claim(user.id, totp, code);
  }

  private async claim(userId: string, stored: StoredTotpSecret, code: string): Promise<boolean> {
    const secret = this.deps.secrets.open(stored.sealedSecret, SECRET_PURPOSE);
    const step = matchTotpStep(secret, code, this.deps.clock.now());
    if (step === undefined) return false;
    return this.deps.store.totpSteps.claim(userId, stored.id, step);
  }
}
