import { InvalidParameterException, NotAuthorizedException, PasswordResetRequiredException } from '../../../generated/exceptions.js';
import { isAcceptableSrpA, newSecretBlock } from '../../../crypto/srp/index.js';
import { startSrpChallengeAsync, verifyPasswordClaimAsync } from '../../../crypto/srp/srp-pool.js';
import { checkSecretHash } from '../../clients/secret-hash.js';
import type { UserDirectory } from '../../users/user-directory.js';
import { poolShortName } from '../../users/password-credentials.js';
import type { Clock } from '../../clock.js';
import type { AuthContext, AuthStep } from '../auth-service.js';
import type { SessionState } from '../auth-session.js';
import type { Lockout } from '../lockout.js';
import { lockoutSubject, type PasswordChecks } from '../password-checks.js';
import { unknownUserError } from '../unknown-user.js';
import { createHmac } from 'node:crypto';

/**
 * USER_SRP_AUTH: InitiateAuth answers PASSWORD_VERIFIER with SALT, SRP_B and a SECRET_BLOCK; the
 * client proves the password with PASSWORD_CLAIM_SIGNATURE. The SECRET_BLOCK doubles as the
 * session key (Cognito returns no Session for this step). Unknown users, when the client hides
 * them, get a decoy challenge that costs the same and fails at the proof.
 */
export class SrpSignIn {
  constructor(
    private readonly deps: { users: UserDirectory; lockout: Lockout; passwords: PasswordChecks; clock: Clock; decoyIdKey: string },
  ) {}

  async start(ctx: AuthContext, parameters: Record<string, string>): Promise<AuthStep> {
    const name = parameters.USERNAME;
    const srpA = parameters.SRP_A;
    if (!name) throw new InvalidParameterException('Missing required parameter USERNAME');
    if (!srpA) throw new InvalidParameterException('Missing required parameter SRP_A');
    if (ctx.pool.settings.FrontdeskOptions?.SrpDisabled) {
      throw new InvalidParameterException('USER_SRP_AUTH is not available: this user pool stores no SRP verifiers.');
    }
    if (!isAcceptableSrpA(srpA)) throw new NotAuthorizedException('Incorrect username or password.');
    const user = await this.deps.users.find(ctx.pool, name);
    checkSecretHash(ctx.client, parameters.SECRET_HASH, [name, ...(user ? [user.username] : [])]);

    let salt: string;
    let verifier: string;
    let userIdForSrp: string;
    // Imported users (CSV import) have no password at all until they reset it.
    if (user?.enabled && user.status === 'RESET_REQUIRED' && !user.password) {
      throw new PasswordResetRequiredException('Password reset required for the user');
    }
    if (user && user.password?.kind === 'srp') {
      ({ salt, verifier } = user.password);
      userIdForSrp = user.username;
    } else if (user && user.password?.kind === 'imported') {
      // DEVIATION: an imported hash (docs/user-transfer.md) has no SRP verifier until a password
      // sign-in upgrades it. The user gets a challenge built on the decoy verifier, which fails at
      // the proof with "Incorrect username or password." like a wrong password, so nothing tells
      // such a user apart (Cognito's UserMigration trigger likewise needs USER_PASSWORD_AUTH).
      ({ salt, verifier } = await this.deps.passwords.decoyVerifier(ctx.pool, name));
      userIdForSrp = user.username;
    } else {
      if (user || ctx.client.settings.PreventUserExistenceErrors !== 'ENABLED') throw unknownUserError(ctx.client);
      ({ salt, verifier } = await this.deps.passwords.decoyVerifier(ctx.pool, name));
      userIdForSrp = this.decoyUserId(ctx, name);
    }
    const { serverSecret, srpB } = await startSrpChallengeAsync(verifier);
    const secretBlock = newSecretBlock();
    const state: SessionState = {
      challenge: 'PASSWORD_VERIFIER',
      signInName: name,
      ...(user ? { userId: user.id } : { decoy: true }),
      userIdForSrp,
      srpA,
      serverSecret,
      srpB,
      verifier,
      secretBlock,
    };
    return {
      kind: 'challenge',
      name: 'PASSWORD_VERIFIER',
      parameters: { SALT: salt, SECRET_BLOCK: secretBlock, SRP_B: srpB, USERNAME: userIdForSrp, USER_ID_FOR_SRP: userIdForSrp },
      state,
      sessionKey: secretBlock,
    };
  }

  async answer(ctx: AuthContext, responses: Record<string, string>, state: SessionState): Promise<AuthStep> {
    const userIdForSrp = state.userIdForSrp as string;
    const username = responses.USERNAME;
    if (!username || (username !== userIdForSrp && username !== state.signInName)) {
      throw new NotAuthorizedException('Incorrect username or password.');
    }
    checkSecretHash(ctx.client, responses.SECRET_HASH, [username, state.signInName, userIdForSrp]);
    const user = state.userId ? await this.deps.users.byId(ctx.pool, state.userId) : undefined;
    const subject = lockoutSubject(state.signInName, user);
    await this.deps.lockout.check(ctx.pool.id, subject);
    const proven = await verifyPasswordClaimAsync({
      poolShortName: poolShortName(ctx.pool.id),
      userIdForSrp,
      srpA: state.srpA as string,
      serverSecret: state.serverSecret as string,
      srpB: state.srpB as string,
      verifier: state.verifier as string,
      secretBlock: state.secretBlock as string,
      timestamp: responses.TIMESTAMP ?? '',
      signature: responses.PASSWORD_CLAIM_SIGNATURE ?? '',
      now: this.deps.clock.now(),
    });
    if (!user) {
      await this.deps.lockout.recordFailure(ctx.pool.id, subject);
      throw state.decoy ? new NotAuthorizedException('Incorrect username or password.') : unknownUserError(ctx.client);
    }
    if (!user.enabled) throw new NotAuthorizedException('User is disabled.');
    // The proof is over the verifier the challenge was built from; a password changed meanwhile voids it.
    if (!proven || user.password?.kind !== 'srp' || user.password.verifier !== state.verifier) {
      await this.deps.passwords.wrongPassword(ctx, subject, user);
      throw new NotAuthorizedException('Incorrect username or password.');
    }
    this.deps.passwords.checkTemporaryPassword(ctx.pool, user);
    return { kind: 'firstFactor', user };
  }

  /** A stable stand-in USER_ID_FOR_SRP: a UUID-shaped value where the pool's usernames are subs. */
  private decoyUserId(ctx: AuthContext, name: string): string {
    if (!ctx.pool.settings.UsernameAttributes?.length) return name;
    const h = createHmac('sha256', this.deps.decoyIdKey).update(`${ctx.pool.id}\0${name.toLowerCase()}`).digest('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}
