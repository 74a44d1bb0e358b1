import type {
  CodeDeliveryDetailsType,
  ConfirmForgotPasswordRequest,
  ForgotPasswordRequest,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  NotAuthorizedException,
  UserNotFoundException,
} from '../../generated/exceptions.js';
import type { UserPoolClientService } from '../clients/user-pool-client-service.js';
import { resolvePublicCaller, unknownUserForCode } from './public-caller.js';
import type { Lockout } from '../auth/lockout.js';
import type { Clock } from '../clock.js';
import { passwordResetChannel, type CodeDelivery } from './code-delivery.js';
import { checkPasswordPolicy } from './password-policy.js';
import { credentialFor } from './password-credentials.js';
import type { UserDirectory } from './user-directory.js';
import type { VerificationCodes } from './verification-codes.js';
import type { Triggers } from '../triggers/triggers.js';
import { runPostConfirmation } from '../triggers/cognito/post-confirmation.js';
import type { UserMigration } from '../triggers/user-migration.js';
import type { AccountEvents, PasswordFinding } from '../risk/account-events.js';
import type { RequestOrigin } from '../auth/auth-service.js';

/** ForgotPassword and ConfirmForgotPassword: recovery through a code sent to a verified channel. */
export class PasswordRecovery {
  constructor(
    private readonly deps: {
      clients: UserPoolClientService;
      users: UserDirectory;
      codes: VerificationCodes;
      delivery: CodeDelivery;
      lockout: Lockout;
      clock: Clock;
      /** Lambda triggers (PostConfirmation); none configured when absent. */
      triggers?: Triggers;
      /** The UserMigration trigger (UserMigration_ForgotPassword). */
      migration?: UserMigration;
      /** Threat protection: the compromised-credentials check (PASSWORD_CHANGE), ForgotPassword and PasswordChange events. */
      accountEvents?: AccountEvents;
    },
  ) {}

  async forgotPassword(input: ForgotPasswordRequest, origin: RequestOrigin = {}): Promise<CodeDeliveryDetailsType | undefined> {
    const { pool, client, user: found } = await resolvePublicCaller(this.deps, input.ClientId!, input.Username!, input.SecretHash);
    const user = found ?? (await this.deps.migration?.onForgotPassword(pool, client, input.Username!, input.ClientMetadata));
    const hideExistence = client.settings.PreventUserExistenceErrors === 'ENABLED';
    if (!user) {
      if (hideExistence) return this.deps.delivery.plausibleDetails(pool, input.Username!);
      throw new UserNotFoundException('Username/client id combination not found.');
    }
    if (!user.enabled) throw new NotAuthorizedException('User is disabled.');
    const channel = passwordResetChannel(pool, user);
    const code = await this.deps.codes.issue(user.id, 'forgot_password');
    const delivery = await this.deps.delivery.sendForgotPassword(pool, user, channel, code, {
      triggerSource: 'CustomMessage_ForgotPassword',
      clientId: client.id,
      clientMetadata: input.ClientMetadata,
    });
    await this.deps.accountEvents?.record({ pool, clientId: client.id, ...origin }, user, 'ForgotPassword');
    return delivery;
  }

  async confirmForgotPassword(input: ConfirmForgotPasswordRequest, origin: RequestOrigin = {}): Promise<void> {
    const { pool, user, client } = await resolvePublicCaller(this.deps, input.ClientId!, input.Username!, input.SecretHash);
    if (!user) throw unknownUserForCode(client);
    // The password is checked first, so a weak one does not burn the code.
    checkPasswordPolicy(pool.settings.Policies?.PasswordPolicy, input.Password!);
    const activity = { pool, clientId: client.id, ...origin };
    let finding: PasswordFinding | undefined;
    await this.deps.codes.consume(user.id, 'forgot_password', input.ConfirmationCode!, async () => {
      // Compromised credentials once the code has proven the user (so a refusal can be logged on
      // the account without letting strangers fill its log), and before the code is used up, so
      // the user can retry with another password.
      finding = await this.deps.accountEvents?.checkChosenPassword(activity, 'PASSWORD_CHANGE', input.Password!, { user, eventType: 'PasswordChange' });
      // Before the code is used up and the password changed: a failing function changes nothing.
      if (this.deps.triggers) {
        const status = user.status === 'RESET_REQUIRED' || user.status === 'FORCE_CHANGE_PASSWORD' ? 'CONFIRMED' : user.status;
        await runPostConfirmation(this.deps.triggers, pool, {
          triggerSource: 'PostConfirmation_ConfirmForgotPassword',
          user: { ...user, status },
          clientId: client.id,
          clientMetadata: input.ClientMetadata,
        });
      }
    });
    const credential = await credentialFor(pool, user.username, input.Password!);
    await this.deps.users.update(pool, user.id, (current) => ({
      ...current,
      password: credential,
      passwordSetAt: this.deps.clock.now(),
      status: current.status === 'RESET_REQUIRED' || current.status === 'FORCE_CHANGE_PASSWORD' ? 'CONFIRMED' : current.status,
    }));
    await this.deps.lockout.recordSuccess(pool.id, user.id);
    if (finding) await this.deps.accountEvents?.recordWithFinding(activity, user, 'PasswordChange', finding);
  }
}
