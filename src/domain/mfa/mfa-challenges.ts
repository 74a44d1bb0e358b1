import { randomInt, timingSafeEqual } from 'node:crypto';
import {
  CodeMismatchException,
  InvalidParameterException,
  MFAMethodNotFoundException,
  NotAuthorizedException,
} from '../../generated/exceptions.js';
import type { SecretBox } from '../../crypto/secret-box.js';
import { checkSecretHash } from '../clients/secret-hash.js';
import type { Clock } from '../clock.js';
import type { CodeDelivery, VerificationChannel } from '../users/code-delivery.js';
import type { UserDirectory } from '../users/user-directory.js';
import type { User } from '../users/user.js';
import type { UserPool } from '../user-pools/user-pool.js';
import type { AnsweredSession, AuthContext, AuthService, AuthStep } from '../auth/auth-service.js';
import type { SessionState } from '../auth/auth-session.js';
import type { Lockout } from '../auth/lockout.js';
import { MFA_SETUP } from './mfa-service.js';
import type { SoftwareTokens } from './software-tokens.js';
import { enabledFactors, isMfaFactor, mfaOf, poolAllows, type MfaFactor } from './user-mfa.js';

/** Wrong codes one challenge session survives; each also counts toward the account's lockout. */
const MAX_CODE_ATTEMPTS = 3;
const CODE_PURPOSE = 'mfa-sign-in-code';

const CHANNEL: Record<'SMS_MFA' | 'EMAIL_OTP', VerificationChannel> = {
  SMS_MFA: { medium: 'SMS', attribute: 'phone_number' },
  EMAIL_OTP: { medium: 'EMAIL', attribute: 'email' },
};
const ANSWER_KEY: Record<MfaFactor, string> = {
  SMS_MFA: 'SMS_MFA_CODE',
  SOFTWARE_TOKEN_MFA: 'SOFTWARE_TOKEN_MFA_CODE',
  EMAIL_OTP: 'EMAIL_OTP_CODE',
};

export interface MfaChallengeDeps {
  users: UserDirectory;
  lockout: Lockout;
  delivery: CodeDelivery;
  softwareTokens: SoftwareTokens;
  secrets: SecretBox;
  clock: Clock;
}

/**
 * The second factor of sign-in. After the password (plain or SRP) is proven, the pool's
 * MfaConfiguration and the user's factors decide: no challenge, one factor's challenge
 * (SMS_MFA, SOFTWARE_TOKEN_MFA, EMAIL_OTP), SELECT_MFA_TYPE when several are on and none is
 * preferred, or MFA_SETUP when the pool requires MFA and the user has nothing to receive it with.
 */
export class MfaChallenges {
  constructor(private readonly deps: MfaChallengeDeps) {}

  /** Plugs the challenges into the sign-in state machine. */
  register(auth: AuthService): void {
    auth.addFirstFactorHook((ctx, user) => this.afterFirstFactor(ctx, user));
    for (const factor of ['SMS_MFA', 'SOFTWARE_TOKEN_MFA', 'EMAIL_OTP'] as const) {
      auth.registerChallenge(factor, (ctx, responses, state, session) => this.answerCode(ctx, factor, responses, state, session));
    }
    auth.registerChallenge('SELECT_MFA_TYPE', (ctx, responses, state, session) => this.answerSelection(ctx, responses, state, session));
    auth.registerChallenge(MFA_SETUP, (ctx, responses, state, session) => this.answerSetup(ctx, responses, state, session));
  }

  /** The factors this sign-in may use: those the user turned on, or, when the pool requires MFA, any they can receive. */
  factorsFor(pool: UserPool, user: User, required = pool.settings.MfaConfiguration === 'ON'): MfaFactor[] {
    const usable = (factor: MfaFactor) => poolAllows(pool, factor) && canReceive(user, factor);
    const chosen = enabledFactors(user).filter(usable);
    if (chosen.length > 0 || !required) return chosen;
    // Cognito: with MFA required, a user who chose nothing gets a factor they can receive.
    return (['SOFTWARE_TOKEN_MFA', 'SMS_MFA', 'EMAIL_OTP'] as const).filter(usable);
  }

  async afterFirstFactor(ctx: AuthContext, user: User): Promise<AuthStep | undefined> {
    const configuration = ctx.pool.settings.MfaConfiguration ?? 'OFF';
    if (configuration === 'OFF') return undefined;
    return this.decide(ctx, user, configuration);
  }

  /**
   * A second factor demanded by adaptive authentication whatever the user chose: any factor the
   * pool allows and the user can receive; undefined when there is none (the caller decides).
   */
  async requiredChallenge(ctx: AuthContext, user: User): Promise<AuthStep | undefined> {
    if (this.factorsFor(ctx.pool, user, true).length === 0) return undefined;
    return this.decide(ctx, user, 'ON', true);
  }

  private async decide(ctx: AuthContext, user: User, configuration: string, forced = false): Promise<AuthStep | undefined> {
    const factors = this.factorsFor(ctx.pool, user, forced || configuration === 'ON');
    const base = { userId: user.id, signInName: user.username };
    if (factors.length === 0) {
      if (configuration !== 'ON') return undefined;
      const canSetUp = (['SMS_MFA', 'SOFTWARE_TOKEN_MFA', 'EMAIL_OTP'] as const).filter((f) => poolAllows(ctx.pool, f));
      return {
        kind: 'challenge',
        name: 'MFA_SETUP',
        parameters: { MFAS_CAN_SETUP: JSON.stringify(canSetUp), USER_ID_FOR_SRP: user.username },
        state: { ...base, challenge: MFA_SETUP },
      };
    }
    const preferred = mfaOf(user).preferred;
    if (factors.length === 1 || (preferred && factors.includes(preferred))) {
      return this.challengeFor(ctx, user, factors.length === 1 ? factors[0]! : preferred!, base);
    }
    return {
      kind: 'challenge',
      name: 'SELECT_MFA_TYPE',
      parameters: { MFAS_CAN_CHOOSE: JSON.stringify(factors), USER_ID_FOR_SRP: user.username },
      state: { ...base, challenge: 'SELECT_MFA_TYPE', choices: factors },
    };
  }

  /** One factor's challenge; SMS and email codes are sent now and live as long as the session. */
  private async challengeFor(ctx: AuthContext, user: User, factor: MfaFactor, base: Pick<SessionState, 'userId' | 'signInName'>): Promise<AuthStep> {
    const state: SessionState = { ...base, challenge: factor, attempts: 0 };
    if (factor === 'SOFTWARE_TOKEN_MFA') {
      return { kind: 'challenge', name: factor, parameters: { USER_ID_FOR_SRP: user.username }, state };
    }
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const details = await this.deps.delivery.sendMfaCode(ctx.pool, user, CHANNEL[factor], code, {
      triggerSource: 'CustomMessage_Authentication',
      clientId: ctx.client.id,
      clientMetadata: ctx.clientMetadata,
    });
    state.codeMac = this.deps.secrets.mac(code, CODE_PURPOSE);
    return {
      kind: 'challenge',
      name: factor,
      parameters: {
        CODE_DELIVERY_DELIVERY_MEDIUM: details.DeliveryMedium!,
        CODE_DELIVERY_DESTINATION: details.Destination!,
        USER_ID_FOR_SRP: user.username,
      },
      state,
    };
  }

  private async answerCode(
    ctx: AuthContext,
    factor: MfaFactor,
    responses: Record<string, string>,
    state: SessionState,
    session: AnsweredSession,
  ): Promise<AuthStep> {
    const user = await this.userOf(ctx, responses, state, session);
    const code = responses[ANSWER_KEY[factor]];
    if (!code) {
      await session.retry(state);
      throw new InvalidParameterException(`Missing required parameter ${ANSWER_KEY[factor]}`);
    }
    await this.deps.lockout.check(ctx.pool.id, user.id);
    const correct =
      factor === 'SOFTWARE_TOKEN_MFA' ? await this.deps.softwareTokens.check(user, code) : this.sameCode(state.codeMac as string, code);
    if (!correct) {
      await this.deps.lockout.recordFailure(ctx.pool.id, user.id);
      const attempts = Number(state.attempts ?? 0) + 1;
      if (attempts < MAX_CODE_ATTEMPTS) await session.retry({ ...state, attempts });
      throw new CodeMismatchException('Invalid code or auth state for the user.');
    }
    if (typeof state.setupEmail === 'string') return this.finishEmailSetup(ctx, user, state.setupEmail);
    return { kind: 'authenticated', user, authTime: this.deps.clock.now() };
  }

  private async finishEmailSetup(ctx: AuthContext, user: User, email: string): Promise<AuthStep> {
    const updated = await this.deps.users.update(ctx.pool, user.id, (current) => {
      const mfa = mfaOf(current);
      return {
        ...current,
        attributes: { ...current.attributes, email, email_verified: 'true' },
        mfa: { ...mfa, enabled: [...new Set<MfaFactor>([...(mfa.enabled ?? []), 'EMAIL_OTP'])], preferred: 'EMAIL_OTP' },
      };
    });
    return { kind: 'authenticated', user: updated, authTime: this.deps.clock.now() };
  }

  private async answerSelection(ctx: AuthContext, responses: Record<string, string>, state: SessionState, session: AnsweredSession): Promise<AuthStep> {
    const user = await this.userOf(ctx, responses, state, session);
    const answer = responses.ANSWER ?? '';
    const choices = (state.choices as MfaFactor[] | undefined) ?? [];
    if (!isMfaFactor(answer) || !choices.includes(answer)) {
      throw new MFAMethodNotFoundException(`The MFA method ${answer || '(none)'} is not available for this user.`);
    }
    return this.challengeFor(ctx, user, answer, { userId: user.id, signInName: state.signInName });
  }

  /**
   * MFA_SETUP is answered once VerifySoftwareToken (with this sign-in's Session) has confirmed an
   * authenticator: the Session it returned finishes the sign-in.
   */
  private async answerSetup(ctx: AuthContext, responses: Record<string, string>, state: SessionState, session: AnsweredSession): Promise<AuthStep> {
    const user = await this.userOf(ctx, responses, state, session);
    if (responses.EMAIL !== undefined) return this.setUpEmail(ctx, user, responses.EMAIL, state, session);
    if (state.mfaSetUp !== 'SOFTWARE_TOKEN_MFA' || !mfaOf(user).totp) {
      await session.retry(state);
      throw new InvalidParameterException('MFA set-up is not complete: associate and verify a software token with this Session first.');
    }
    return { kind: 'authenticated', user, authTime: this.deps.clock.now() };
  }

  /**
   * Email MFA set up inside MFA_SETUP (answered with EMAIL): a code goes to the address given,
   * and the EMAIL_OTP answer proves it, sets it as the user's verified email and turns email MFA on.
   */
  private async setUpEmail(ctx: AuthContext, user: User, email: string, state: SessionState, session: AnsweredSession): Promise<AuthStep> {
    if (!poolAllows(ctx.pool, 'EMAIL_OTP')) {
      await session.retry(state);
      throw new InvalidParameterException('Email MFA is not enabled for this user pool.');
    }
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email) || email.length > 2048) {
      await session.retry(state);
      throw new InvalidParameterException('Invalid email address format.');
    }
    const target = { ...user, attributes: { ...user.attributes, email } };
    const step = await this.challengeFor(ctx, target, 'EMAIL_OTP', { userId: user.id, signInName: state.signInName });
    if (step.kind === 'challenge' && step.state) step.state.setupEmail = email;
    return step;
  }

  /** The session's user, still able to sign in, named as the client named them, with SECRET_HASH. */
  private async userOf(ctx: AuthContext, responses: Record<string, string>, state: SessionState, session: AnsweredSession): Promise<User> {
    const user = state.userId ? await this.deps.users.byId(ctx.pool, state.userId) : undefined;
    if (!user) throw new NotAuthorizedException('Invalid session for the user.');
    if (!user.enabled) throw new NotAuthorizedException('User is disabled.');
    // A malformed answer (no USERNAME, no SECRET_HASH) leaves the Session answerable.
    try {
      const named = responses.USERNAME;
      if (!named) throw new InvalidParameterException('Missing required parameter USERNAME');
      if (named !== user.username && named !== state.signInName) {
        const byName = await this.deps.users.find(ctx.pool, named);
        if (byName?.id !== user.id) throw new NotAuthorizedException('Invalid session for the user.');
      }
      checkSecretHash(ctx.client, responses.SECRET_HASH, [named, user.username, state.signInName]);
    } catch (error) {
      await session.retry(state);
      throw error;
    }
    return user;
  }

  private sameCode(expectedMac: string, code: string): boolean {
    const given = Buffer.from(this.deps.secrets.mac(code, CODE_PURPOSE));
    const expected = Buffer.from(expectedMac);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}

function canReceive(user: User, factor: MfaFactor): boolean {
  if (factor === 'SOFTWARE_TOKEN_MFA') return mfaOf(user).totp !== undefined;
  if (factor === 'SMS_MFA') return Boolean(user.attributes.phone_number);
  return Boolean(user.attributes.email);
}
