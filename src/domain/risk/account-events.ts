import { randomUUID } from 'node:crypto';
import type { EventFilterType } from '@aws-sdk/client-cognito-identity-provider';
import { InvalidPasswordException } from '../../generated/exceptions.js';
import type { MessagingLog } from '../messaging/messenger.js';
import type { AuthEvent } from '../../store/risk-store.js';
import type { Store } from '../../store/store.js';
import type { Clock } from '../clock.js';
import type { User } from '../users/user.js';
import type { UserPool } from '../user-pools/user-pool.js';
import { isCompromisedPassword } from './common-passwords.js';
import { inRanges } from './ip-ranges.js';
import { protectionMode, type RiskConfigurations } from './risk-configurations.js';

/**
 * What Frontdesk answers when ENFORCED threat protection refuses a breached password at sign-up or
 * password change. Cognito documents that it blocks, not its words; InvalidPasswordException is
 * the error these operations model for a password the pool will not take, so apps already show it
 * as "choose another password".
 */
export const COMPROMISED_PASSWORD_MESSAGE = 'The password has appeared in a data breach or is too common. Choose a different password.';

/** Where an account event came from: the pool, the app client (for its risk configuration), the user's IP. */
export interface ActivityOrigin {
  pool: UserPool;
  /** The app client of the call; its own risk configuration replaces the pool's. */
  clientId?: string;
  sourceIp?: string;
}

export type AccountEventType = Exclude<AuthEvent['eventType'], 'SignIn'>;

export interface PasswordFinding {
  compromised: boolean;
  signals: string[];
}

const NOT_COMPROMISED: PasswordFinding = { compromised: false, signals: [] };

/**
 * Threat protection outside sign-in: the compromised-credentials check of a password a user
 * chooses (CompromisedCredentialsRiskConfiguration, EventFilter SIGN_UP / PASSWORD_CHANGE) and the
 * auth events of SignUp, PasswordChange, ForgotPassword and ResendCode that AdminListUserAuthEvents
 * lists. A pool with threat protection OFF costs nothing: no check, no event rows.
 */
export class AccountEvents {
  constructor(private readonly deps: { store: Store; clock: Clock; configurations: RiskConfigurations; log?: MessagingLog }) {}

  /**
   * A password chosen at sign-up (SIGN_UP) or password change (PASSWORD_CHANGE), before anything
   * is written. On the bundled breached/common list it is flagged; in ENFORCED mode with the
   * action BLOCK, for an event the filter names (none named: all), it is refused — with a Fail
   * event on the user's log when there is a user (a refused sign-up leaves none, so it is logged).
   */
  async checkChosenPassword(
    origin: ActivityOrigin,
    filter: Exclude<EventFilterType, 'SIGN_IN'>,
    password: string,
    blockedEvent?: { user: User; eventType: AccountEventType },
  ): Promise<PasswordFinding> {
    const mode = protectionMode(origin.pool);
    if (mode === 'OFF' || !isCompromisedPassword(password)) return NOT_COMPROMISED;
    const settings = await this.deps.configurations.effective(origin.pool, origin.clientId ?? '');
    if (inRanges(origin.sourceIp, settings.RiskExceptionConfiguration?.SkippedIPRangeList)) return NOT_COMPROMISED;
    const configuration = settings.CompromisedCredentialsRiskConfiguration;
    const filtered = configuration?.EventFilter && configuration.EventFilter.length > 0 && !configuration.EventFilter.includes(filter);
    if (filtered) return NOT_COMPROMISED;
    const found = 'compromised credentials: the password is on the list of breached/common passwords';
    if (mode === 'ENFORCED' && configuration?.Actions?.EventAction === 'BLOCK') {
      if (blockedEvent) {
        await this.record(origin, blockedEvent.user, blockedEvent.eventType, {
          eventResponse: 'Fail',
          riskDecision: 'Block',
          compromised: true,
          signals: [found, 'compromised credentials: action BLOCK'],
        });
      } else {
        // No account exists to log the event on; the server log keeps it (no username, no password).
        this.deps.log?.warn({ userPoolId: origin.pool.id, clientId: origin.clientId, sourceIp: origin.sourceIp, event: filter }, 'Compromised credentials: sign-up refused');
      }
      throw new InvalidPasswordException(COMPROMISED_PASSWORD_MESSAGE);
    }
    return { compromised: true, signals: mode === 'AUDIT' ? [found, 'AUDIT mode: not enforced'] : [found] };
  }

  /** Logs an account event for AdminListUserAuthEvents (threat protection on only). */
  async record(
    origin: ActivityOrigin,
    user: User,
    eventType: AccountEventType,
    fields: Partial<Pick<AuthEvent, 'eventResponse' | 'riskDecision' | 'compromised' | 'signals' | 'challenges'>> = {},
  ): Promise<void> {
    if (protectionMode(origin.pool) === 'OFF') return;
    const ip = origin.sourceIp;
    await this.deps.store.risk.insertEvent({
      id: randomUUID(),
      userPoolId: origin.pool.id,
      userId: user.id,
      eventType,
      eventResponse: 'Pass',
      riskDecision: 'NoRisk',
      compromised: false,
      // Only sign-ins answer challenges; these events carry none.
      challenges: [],
      ...(ip ? { ipAddress: ip } : {}),
      context: ip ? { IpAddress: ip } : {},
      signals: [],
      createdAt: this.deps.clock.now(),
      ...fields,
    });
  }

  /** `record` with a finding from checkChosenPassword folded in. */
  recordWithFinding(origin: ActivityOrigin, user: User, eventType: AccountEventType, finding: PasswordFinding): Promise<void> {
    return this.record(origin, user, eventType, { compromised: finding.compromised, signals: finding.signals });
  }
}
