import { NotAuthorizedException, PasswordResetRequiredException } from '../../generated/exceptions.js';
import type { SecretBox } from '../../crypto/secret-box.js';
import { createDecoyVerifierAsync, passwordMatchesVerifierAsync } from '../../crypto/srp/srp-pool.js';
import type { Clock } from '../clock.js';
import type { UserPool } from '../user-pools/user-pool.js';
import { passwordMatches, poolShortName } from '../users/password-credentials.js';
import type { User } from '../users/user.js';
import type { Lockout } from './lockout.js';
import type { AuthContext } from './auth-service.js';
import { unknownUserError } from './unknown-user.js';
import type { UserDirectory } from '../users/user-directory.js';
import { upgradeImportedCredential } from '../users/transfer/credential-upgrade.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export type WrongPasswordListener = (ctx: AuthContext, user: User) => Promise<void>;

/** The lockout subject: the user, or the name tried when there is no such user. */
export const lockoutSubject = (name: string, user: User | undefined) => user?.id ?? `unknown:${name.toLowerCase()}`;

/**
 * Checks a plain password (USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH) with lockout, and makes an
 * unknown user cost the same as a known one, so timing does not reveal who has an account.
 */
export class PasswordChecks {
  private readonly decoyKey: Buffer;
  /** Told of every wrong password for an existing user (threat protection logs a failed sign-in). */
  private readonly wrongPasswordListeners: WrongPasswordListener[] = [];

  constructor(private readonly deps: { lockout: Lockout; clock: Clock; secrets: SecretBox; users?: UserDirectory }) {
    this.decoyKey = Buffer.from(deps.secrets.mac('srp decoy key', 'srp-decoy'), 'hex');
  }

  onWrongPassword(listener: WrongPasswordListener): void {
    this.wrongPasswordListeners.push(listener);
  }

  /** A known user's password (plain or SRP proof) was wrong: it counts toward the lockout, and listeners hear of it. */
  async wrongPassword(ctx: AuthContext, subject: string, user: User): Promise<void> {
    await this.deps.lockout.recordFailure(ctx.pool.id, subject);
    for (const listener of this.wrongPasswordListeners) await listener(ctx, user);
  }

  decoyVerifier(pool: UserPool, name: string) {
    return createDecoyVerifierAsync(this.decoyKey, poolShortName(pool.id), name);
  }

  async verify(ctx: AuthContext, name: string, user: User | undefined, password: string): Promise<User> {
    const subject = lockoutSubject(name, user);
    await this.deps.lockout.check(ctx.pool.id, subject);
    if (!user) {
      const decoy = await this.decoyVerifier(ctx.pool, name);
      await passwordMatchesVerifierAsync(poolShortName(ctx.pool.id), name, password, decoy.salt, decoy.verifier);
      await this.deps.lockout.recordFailure(ctx.pool.id, subject);
      throw unknownUserError(ctx.client);
    }
    if (!user.enabled) throw new NotAuthorizedException('User is disabled.');
    // Imported users (CSV import) have no password at all until they reset it.
    if (user.status === 'RESET_REQUIRED' && !user.password) throw new PasswordResetRequiredException('Password reset required for the user');
    if (!(await passwordMatches(ctx.pool, user, password))) {
      await this.wrongPassword(ctx, subject, user);
      throw new NotAuthorizedException('Incorrect username or password.');
    }
    this.checkTemporaryPassword(ctx.pool, user);
    // An imported hash (docs/user-transfer.md) becomes the pool's own credential at its first use.
    if (user.password?.kind === 'imported' && this.deps.users) return upgradeImportedCredential(this.deps.users, ctx.pool, user, password);
    return user;
  }

  /** An administrator's temporary password stops working after TemporaryPasswordValidityDays. */
  checkTemporaryPassword(pool: UserPool, user: User): void {
    if (user.status !== 'FORCE_CHANGE_PASSWORD' || !user.passwordSetAt) return;
    const days = pool.settings.Policies?.PasswordPolicy?.TemporaryPasswordValidityDays ?? 7;
    if (user.passwordSetAt.getTime() + days * DAY_MS < this.deps.clock.now().getTime()) {
      throw new NotAuthorizedException('Temporary password has expired and must be reset by an administrator.');
    }
  }
}
