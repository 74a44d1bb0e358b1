import { randomUUID, timingSafeEqual } from 'node:crypto';
import type {
  AccountTakeoverEventActionType,
  AdminListUserAuthEventsRequest,
  AdminListUserAuthEventsResponse,
  AuthEventType,
  FeedbackValueType,
} from '@aws-sdk/client-cognito-identity-provider';
import { InvalidParameterException, NotAuthorizedException, ResourceNotFoundException, UserNotFoundException } from '../../generated/exceptions.js';
import type { SecretBox } from '../../crypto/secret-box.js';
import type { AuthEvent } from '../../store/risk-store.js';
import type { Store } from '../../store/store.js';
import type { Clock } from '../clock.js';
import type { AuthContext, AuthService, AuthStep } from '../auth/auth-service.js';
import type { DeviceService } from '../devices/device-service.js';
import type { MfaChallenges } from '../mfa/mfa-challenges.js';
import type { UserDirectory } from '../users/user-directory.js';
import type { User } from '../users/user.js';
import type { UserPool } from '../user-pools/user-pool.js';
import type { UserPoolService } from '../user-pools/user-pool-service.js';
import { inRanges } from './ip-ranges.js';
import { isCompromisedPassword } from './common-passwords.js';
import { protectionMode, requireProtection, type RiskConfigurations, type RiskSettings } from './risk-configurations.js';
import type { RiskEngine, RiskLevel } from './risk-engine.js';
import type { RiskNotifier } from './risk-notifier.js';

/** What ENFORCED mode does at each level when the pool configured no actions. */
const DEFAULT_ACTIONS: Record<RiskLevel, AccountTakeoverEventActionType> = {
  Low: 'NO_ACTION',
  Medium: 'MFA_IF_CONFIGURED',
  High: 'MFA_REQUIRED',
};
const BLOCKED_MESSAGE = 'Unable to login because of security reasons.';
const FEEDBACK_PURPOSE = 'auth-event-feedback';
/** An unfinished sign-in's event is completed by the tokens it ends with, within this time. */
const OPEN_EVENT_MS = 15 * 60 * 1000;

export interface AdaptiveAuthDeps {
  store: Store;
  clock: Clock;
  secrets: SecretBox;
  userPools: UserPoolService;
  users: UserDirectory;
  configurations: RiskConfigurations;
  engine: RiskEngine;
  devices: DeviceService;
  mfa: MfaChallenges;
  notifier: RiskNotifier;
}

/**
 * Cognito's threat protection for sign-in. With UserPoolAddOns.AdvancedSecurityMode AUDIT every
 * sign-in is assessed and logged; ENFORCED also acts: the pool's (or client's) action for the
 * risk level blocks the sign-in, demands MFA, or lets it pass, and notifies the user when asked.
 * The block list refuses, the skip list is never assessed. Events are listed by
 * AdminListUserAuthEvents and corrected by feedback, which the next assessments take into account.
 */
export class AdaptiveAuth {
  constructor(private readonly deps: AdaptiveAuthDeps) {}

  /** Plugs into the state machine; register first, so a block or a demanded MFA comes before devices and MFA. */
  register(auth: AuthService): void {
    auth.addPasswordInspector((ctx, user, password) => this.inspectPassword(ctx, user, password));
    auth.addFirstFactorHook((ctx, user) => this.afterFirstFactor(ctx, user));
    auth.addIssueHook(async (ctx, user) => {
      await this.completeSignIn(ctx.pool, user);
      return undefined;
    });
  }

  /**
   * Compromised credentials: a plain password proven at sign-in that is on the bundled list.
   * BLOCK (ENFORCED) refuses the sign-in; otherwise the finding is logged with the event.
   * (SRP sign-ins never show the server the password, as in Cognito.)
   */
  async inspectPassword(ctx: AuthContext, user: User, password: string): Promise<{ compromised: boolean } | undefined> {
    const mode = protectionMode(ctx.pool);
    if (mode === 'OFF' || !isCompromisedPassword(password)) return undefined;
    const settings = await this.deps.configurations.effective(ctx.pool, ctx.client.id);
    if (inRanges(ctx.sourceIp, settings.RiskExceptionConfiguration?.SkippedIPRangeList)) return undefined;
    const configuration = settings.CompromisedCredentialsRiskConfiguration;
    if (configuration?.EventFilter && !configuration.EventFilter.includes('SIGN_IN')) return undefined;
    if (mode === 'ENFORCED' && configuration?.Actions?.EventAction === 'BLOCK') {
      await this.record({ ...ctx, compromisedCredentials: true }, user, {
        riskDecision: 'Block',
        eventResponse: 'Fail',
        signals: ['compromised credentials: action BLOCK', 'user status set to RESET_REQUIRED'],
      });
      // As Cognito does: the user must choose a new password before signing in again
      // (ForgotPassword / ConfirmForgotPassword, or an administrator's AdminSetUserPassword). The
      // stored password is kept, so the account still answers only to its owner meanwhile.
      await this.deps.users.update(ctx.pool, user.id, (current) => ({ ...current, status: 'RESET_REQUIRED' }));
      throw new NotAuthorizedException(BLOCKED_MESSAGE);
    }
    return { compromised: true };
  }

  /** A wrong password (plain or SRP) for an existing user: a failed SignIn event (Password: Failure). */
  async recordFailedSignIn(ctx: AuthContext, user: User): Promise<void> {
    if (protectionMode(ctx.pool) === 'OFF') return;
    await this.record(ctx, user, {
      eventResponse: 'Fail',
      challenges: [{ ChallengeName: 'Password', ChallengeResponse: 'Failure' }],
      signals: ['wrong password'],
    });
  }

  async afterFirstFactor(ctx: AuthContext, user: User): Promise<AuthStep | undefined> {
    const mode = protectionMode(ctx.pool);
    if (mode === 'OFF') return undefined;
    const settings = await this.deps.configurations.effective(ctx.pool, ctx.client.id);
    const exceptions = settings.RiskExceptionConfiguration;
    const ip = ctx.sourceIp;
    const event = (fields: Partial<AuthEvent>) => this.record(ctx, user, fields);

    if (inRanges(ip, exceptions?.SkippedIPRangeList)) {
      await event({ riskDecision: 'NoRisk', signals: [`IP address ${ip} is in SkippedIPRangeList: not assessed`] });
      return undefined;
    }
    if (inRanges(ip, exceptions?.BlockedIPRangeList)) {
      const signals = [`IP address ${ip} is in BlockedIPRangeList`];
      if (mode === 'ENFORCED') {
        await event({ riskDecision: 'Block', eventResponse: 'Fail', signals });
        throw new NotAuthorizedException(BLOCKED_MESSAGE);
      }
      await event({ riskDecision: 'Block', signals: [...signals, 'AUDIT mode: not enforced'] });
      return undefined;
    }

    const trackedDevice = ctx.deviceKey ? await this.deps.devices.confirmedDevice(ctx.pool, user, ctx.deviceKey) : undefined;
    const unknownDevice = this.deps.devices.tracks(ctx.pool) && !trackedDevice?.remembered;
    const { level, signals } = await this.deps.engine.assess({ pool: ctx.pool, user, ...(ip ? { ip } : {}), unknownDevice });
    if (!level) {
      await event({ riskDecision: 'NoRisk', signals });
      return undefined;
    }
    const configured = settings.AccountTakeoverRiskConfiguration?.Actions?.[`${level}Action`];
    const action = configured?.EventAction ?? DEFAULT_ACTIONS[level];
    const notify = configured?.Notify === true;
    const fields: Partial<AuthEvent> = { riskDecision: 'AccountTakeover', riskLevel: level, signals: [...signals, `action for ${level}: ${action}`] };
    if (mode === 'AUDIT') {
      await event({ ...fields, signals: [...fields.signals!, 'AUDIT mode: not enforced'] });
      return undefined;
    }

    let step: AuthStep | undefined;
    let blocked = action === 'BLOCK';
    if (action === 'MFA_IF_CONFIGURED' && this.deps.mfa.factorsFor(ctx.pool, user, false).length > 0) {
      step = await this.deps.mfa.requiredChallenge(ctx, user);
    } else if (action === 'MFA_REQUIRED') {
      step = await this.deps.mfa.requiredChallenge(ctx, user);
      if (!step) blocked = true;
    }
    if (blocked) {
      const recorded = await event({ ...fields, riskDecision: 'Block', eventResponse: 'Fail' });
      if (notify) await this.deps.notifier.notify(ctx.pool, user, settings, 'BLOCK', recorded, this.feedbackToken(recorded));
      throw new NotAuthorizedException(BLOCKED_MESSAGE);
    }
    const recorded = await event({
      ...fields,
      ...(step ? { challenges: [{ ChallengeName: 'Password', ChallengeResponse: 'Success' }, { ChallengeName: 'Mfa', ChallengeResponse: 'Failure' }] } : {}),
    });
    if (notify) await this.deps.notifier.notify(ctx.pool, user, settings, step ? 'MFA' : 'NO_ACTION', recorded, this.feedbackToken(recorded));
    return step;
  }

  /** Tokens are being issued: the sign-in's open event passes (and its MFA, if one was demanded). */
  private async completeSignIn(pool: UserPool, user: User): Promise<void> {
    if (protectionMode(pool) === 'OFF') return;
    const since = new Date(this.deps.clock.now().getTime() - OPEN_EVENT_MS);
    const open = (await this.deps.store.risk.eventsSince(pool.id, user.id, since, 20)).find(
      (e) => e.eventType === 'SignIn' && e.eventResponse === 'InProgress',
    );
    if (!open) return;
    await this.deps.store.risk.updateEvent({
      ...open,
      eventResponse: 'Pass',
      challenges: open.challenges.map((c) => ({ ...c, ChallengeResponse: 'Success' })),
    });
  }

  private async record(ctx: AuthContext, user: User, fields: Partial<AuthEvent>): Promise<AuthEvent> {
    const device = ctx.deviceKey ? await this.deps.devices.confirmedDevice(ctx.pool, user, ctx.deviceKey) : undefined;
    const event: AuthEvent = {
      id: randomUUID(),
      userPoolId: ctx.pool.id,
      userId: user.id,
      eventType: 'SignIn',
      eventResponse: 'InProgress',
      riskDecision: 'NoRisk',
      compromised: ctx.compromisedCredentials === true,
      challenges: [{ ChallengeName: 'Password', ChallengeResponse: 'Success' }],
      ...(ctx.sourceIp ? { ipAddress: ctx.sourceIp } : {}),
      ...(device ? { deviceKey: device.key } : {}),
      context: {
        ...(ctx.sourceIp ? { IpAddress: ctx.sourceIp } : {}),
        ...(device?.attributes.device_name ? { DeviceName: device.attributes.device_name } : {}),
      },
      createdAt: this.deps.clock.now(),
      ...fields,
      signals: [
        ...(ctx.compromisedCredentials && !fields.signals?.some((s) => s.startsWith('compromised'))
          ? ['compromised credentials: the password is on the list of breached/common passwords']
          : []),
        ...(fields.signals ?? []),
      ],
    };
    await this.deps.store.risk.insertEvent(event);
    return event;
  }

  async listUserAuthEvents(input: AdminListUserAuthEventsRequest): Promise<AdminListUserAuthEventsResponse> {
    const { pool, user } = await this.userOf(input.UserPoolId!, input.Username!);
    requireProtection(pool);
    const limit = input.MaxResults ?? 10;
    let before: { createdAt: number; id: string } | undefined;
    if (input.NextToken !== undefined) {
      const [createdAt, id] = Buffer.from(input.NextToken, 'base64url').toString('utf8').split('\0');
      if (!createdAt || !id || !/^\d+$/.test(createdAt)) throw new InvalidParameterException('Invalid NextToken.');
      before = { createdAt: Number(createdAt), id };
    }
    const page = await this.deps.store.risk.listEvents(pool.id, user.id, limit + 1, before);
    const shown = page.slice(0, limit);
    const last = shown[shown.length - 1];
    return {
      AuthEvents: shown.map(toAuthEventType),
      ...(page.length > limit && last ? { NextToken: Buffer.from(`${last.createdAt.getTime()}\0${last.id}`).toString('base64url') } : {}),
    };
  }

  async adminUpdateFeedback(poolId: string, username: string, eventId: string, value: FeedbackValueType): Promise<void> {
    const { pool, user } = await this.userOf(poolId, username);
    requireProtection(pool);
    await this.setFeedback(pool, user, eventId, value, 'admin');
  }

  /** UpdateAuthEventFeedback: the user's one-click answer, carrying the token from the notification. */
  async updateFeedback(poolId: string, username: string, eventId: string, token: string, value: FeedbackValueType): Promise<void> {
    const { pool, user } = await this.verifiedEvent(poolId, username, eventId, token);
    await this.setFeedback(pool, user, eventId, value, 'userNotification');
  }

  /**
   * The event a notification's one-click link names, for the feedback page to show before the
   * user answers: only with that link's token, and without changing anything.
   */
  async feedbackEvent(poolId: string, username: string, eventId: string, token: string): Promise<AuthEventType> {
    const { event } = await this.verifiedEvent(poolId, username, eventId, token);
    return toAuthEventType(event);
  }

  /** The event, when the token is the one its notification carried (constant-time compare). */
  private async verifiedEvent(poolId: string, username: string, eventId: string, token: string): Promise<{ pool: UserPool; user: User; event: AuthEvent }> {
    const { pool, user } = await this.userOf(poolId, username);
    requireProtection(pool);
    const event = await this.deps.store.risk.getEvent(pool.id, user.id, eventId);
    const expected = event ? Buffer.from(this.feedbackToken(event)) : undefined;
    const given = Buffer.from(token);
    if (!event || !expected || expected.length !== given.length || !timingSafeEqual(expected, given)) {
      throw new NotAuthorizedException('Invalid feedback token.');
    }
    return { pool, user, event };
  }

  /** The token of the one-click feedback links: a MAC of the event, so only its notification can answer. */
  feedbackToken(event: Pick<AuthEvent, 'userPoolId' | 'userId' | 'id'>): string {
    return Buffer.from(this.deps.secrets.mac(`${event.userPoolId}\0${event.userId}\0${event.id}`, FEEDBACK_PURPOSE), 'hex').toString('base64url');
  }

  private async setFeedback(pool: UserPool, user: User, eventId: string, value: FeedbackValueType, provider: string): Promise<void> {
    if (value !== 'Valid' && value !== 'Invalid') throw new InvalidParameterException('FeedbackValue must be Valid or Invalid.');
    const event = await this.deps.store.risk.getEvent(pool.id, user.id, eventId);
    if (!event) throw new ResourceNotFoundException('Auth event not found.');
    await this.deps.store.risk.updateEvent({ ...event, feedback: { value, provider, at: this.deps.clock.now() } });
  }

  private async userOf(poolId: string, username: string): Promise<{ pool: UserPool; user: User }> {
    const pool = await this.deps.userPools.get(poolId);
    const user = await this.deps.users.find(pool, username);
    if (!user) throw new UserNotFoundException('User does not exist.');
    return { pool, user };
  }
}

/** Cognito's AuthEventType, plus Frontdesk's explanation in `FrontdeskRiskSignals` (an extra member SDKs ignore). */
function toAuthEventType(event: AuthEvent): AuthEventType & { FrontdeskRiskSignals: string[] } {
  return {
    EventId: event.id,
    EventType: event.eventType,
    CreationDate: event.createdAt,
    EventResponse: event.eventResponse,
    EventRisk: {
      RiskDecision: event.riskDecision,
      ...(event.riskLevel ? { RiskLevel: event.riskLevel } : {}),
      CompromisedCredentialsDetected: event.compromised,
    },
    ChallengeResponses: event.challenges,
    EventContextData: event.context,
    ...(event.feedback
      ? { EventFeedback: { FeedbackValue: event.feedback.value, Provider: event.feedback.provider, FeedbackDate: event.feedback.at } }
      : {}),
    FrontdeskRiskSignals: event.signals,
  };
}

export type { RiskSettings };
