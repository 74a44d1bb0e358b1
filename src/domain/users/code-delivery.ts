import type { CodeDeliveryDetailsType } from '@aws-sdk/client-cognito-identity-provider';
import { InvalidParameterException, NotAuthorizedException } from '../../generated/exceptions.js';
import type { UserPool } from '../user-pools/user-pool.js';
import type { UserPoolClient } from '../clients/user-pool-client.js';
import type { User } from './user.js';
import { requireDelivered, type Messenger } from '../messaging/messenger.js';
import { codeDeliveryDetails, maskDestination } from '../messaging/masking.js';
import {
  confirmationLinkUrl,
  renderForgotPassword,
  renderMfaCode,
  renderInvitation,
  renderCustom,
  renderVerificationMessage,
  type RenderedMessage,
  type TemplateValues,
} from '../messaging/templates.js';
import type { Triggers } from '../triggers/triggers.js';
import { runCustomMessage, type MessageContext } from '../triggers/cognito/custom-message.js';
import { runCustomSender, type SenderKeyDerivation } from '../triggers/cognito/custom-sender.js';

export interface VerificationChannel {
  medium: 'EMAIL' | 'SMS';
  attribute: 'email' | 'phone_number';
}

/**
 * Where a sign-up code goes: to an auto-verified attribute the user has, the phone first when
 * both are auto-verified (as Cognito does). None: the user waits for an administrator.
 */
export function verificationChannel(pool: UserPool, user: Pick<User, 'attributes'>): VerificationChannel | undefined {
  const auto = pool.settings.AutoVerifiedAttributes ?? [];
  if (auto.includes('phone_number') && user.attributes.phone_number) return { medium: 'SMS', attribute: 'phone_number' };
  if (auto.includes('email') && user.attributes.email) return { medium: 'EMAIL', attribute: 'email' };
  return undefined;
}

/**
 * Where account-recovery codes go, following AccountRecoverySetting (verified email/phone in
 * priority order); without the setting, Cognito's legacy rule: a verified phone, else a verified email.
 */
export function recoveryChannel(pool: UserPool, user: Pick<User, 'attributes'>): VerificationChannel | undefined {
  const verifiedEmail = user.attributes.email && user.attributes.email_verified === 'true';
  const verifiedPhone = user.attributes.phone_number && user.attributes.phone_number_verified === 'true';
  const mechanisms = pool.settings.AccountRecoverySetting?.RecoveryMechanisms;
  const order = mechanisms
    ? [...mechanisms].sort((a, b) => (a.Priority ?? 0) - (b.Priority ?? 0)).map((m) => m.Name)
    : ['verified_phone_number', 'verified_email'];
  for (const name of order) {
    if (name === 'verified_email' && verifiedEmail) return { medium: 'EMAIL', attribute: 'email' };
    if (name === 'verified_phone_number' && verifiedPhone) return { medium: 'SMS', attribute: 'phone_number' };
  }
  return undefined;
}

/**
 * Where a password-reset code goes (ForgotPassword, AdminResetUserPassword), or Cognito's refusal:
 * recovery is administrators' alone (`admin_only`), or the user has nothing verified to receive it.
 */
export function passwordResetChannel(pool: UserPool, user: Pick<User, 'attributes'>): VerificationChannel {
  const mechanisms = pool.settings.AccountRecoverySetting?.RecoveryMechanisms ?? [];
  if (mechanisms.some((m) => m.Name === 'admin_only')) throw new NotAuthorizedException('Contact administrator to reset password.');
  const channel = recoveryChannel(pool, user);
  if (!channel) throw new InvalidParameterException('Cannot reset password for the user as there is no registered/verified email or phone_number');
  return channel;
}

/** Renders Cognito's messages for a user and hands them to the messenger; answers with CodeDeliveryDetails. */
export class CodeDelivery {
  /**
   * `triggers`: the CustomMessage and custom sender triggers, for each message sent with a
   * MessageContext; `senderKeys` derives the key custom senders' codes are encrypted with.
   */
  /**
   * `hostedBaseUrl`: where a pool's hosted pages are (`<publicUrl>/<poolId>`), for the
   * `/confirmUser` link of CONFIRM_WITH_LINK pools.
   */
  constructor(
    private readonly deps: { messenger: Messenger; triggers?: Triggers; senderKeys?: SenderKeyDerivation; hostedBaseUrl?: (pool: UserPool) => string },
  ) {}

  async sendVerificationCode(
    pool: UserPool,
    client: UserPoolClient | undefined,
    user: User,
    channel: VerificationChannel,
    code: string,
    context?: MessageContext,
  ): Promise<CodeDeliveryDetailsType> {
    const link = this.confirmationLink(pool, client, user, code, context);
    return this.send(
      pool,
      user,
      channel,
      renderVerificationMessage(pool, channel.medium, code, link ? { link } : {}),
      context && { context, values: { code, ...(link ? { link } : {}) } },
    );
  }

  /**
   * The hosted UI's /confirmUser link, for sign-up confirmations (SignUp, ResendConfirmationCode)
   * of a client in a pool whose DefaultEmailOption is CONFIRM_WITH_LINK; never for attribute
   * verification, which Cognito always does with a code.
   */
  private confirmationLink(pool: UserPool, client: UserPoolClient | undefined, user: User, code: string, context: MessageContext | undefined) {
    const signUp = context?.triggerSource === 'CustomMessage_SignUp' || context?.triggerSource === 'CustomMessage_ResendCode';
    if (!signUp || !client || !this.deps.hostedBaseUrl) return undefined;
    if (pool.settings.VerificationMessageTemplate?.DefaultEmailOption !== 'CONFIRM_WITH_LINK') return undefined;
    return { url: confirmationLinkUrl(this.deps.hostedBaseUrl(pool), { clientId: client.id, username: user.username, code }) };
  }

  async sendForgotPassword(
    pool: UserPool,
    user: User,
    channel: VerificationChannel,
    code: string,
    context?: MessageContext,
  ): Promise<CodeDeliveryDetailsType> {
    return this.send(pool, user, channel, renderForgotPassword(pool, channel.medium, code), context && { context, values: { code } });
  }

  async sendInvitation(
    pool: UserPool,
    user: User,
    medium: 'EMAIL' | 'SMS',
    shownUsername: string,
    temporaryPassword: string,
    context?: MessageContext,
  ) {
    const attribute = medium === 'EMAIL' ? 'email' : 'phone_number';
    return this.send(
      pool,
      user,
      { medium, attribute },
      renderInvitation(pool, medium, shownUsername, temporaryPassword),
      context && { context, values: { code: temporaryPassword, username: shownUsername } },
    );
  }

  /** An SMS_MFA / EMAIL_OTP sign-in code, with the pool's MFA templates. */
  async sendMfaCode(pool: UserPool, user: User, channel: VerificationChannel, code: string, context?: MessageContext): Promise<CodeDeliveryDetailsType> {
    return this.send(pool, user, channel, renderMfaCode(pool, channel.medium, code), context && { context, values: { code } });
  }

  /**
   * For a name nobody has, when the client hides existence: details shaped like a real delivery
   * to the channel the pool would use (the name itself when it is an email or phone number).
   */
  plausibleDetails(pool: UserPool, name: string): CodeDeliveryDetailsType | undefined {
    const auto = pool.settings.AutoVerifiedAttributes ?? [];
    if (name.includes('@') && auto.includes('email')) return codeDeliveryDetails('EMAIL', name, 'email');
    if (/^\+\d+$/.test(name) && auto.includes('phone_number')) return codeDeliveryDetails('SMS', name, 'phone_number');
    if (auto.includes('email')) return { Destination: `${maskDestination('EMAIL', `${name}@x`).slice(0, 4)}@e***`, DeliveryMedium: 'EMAIL', AttributeName: 'email' };
    return undefined;
  }

  private async send(
    pool: UserPool,
    user: User,
    channel: VerificationChannel,
    standard: RenderedMessage,
    custom?: { context: MessageContext; values: TemplateValues },
  ): Promise<CodeDeliveryDetailsType> {
    const to = user.attributes[channel.attribute]!;
    if (custom?.values.code !== undefined && this.deps.triggers && this.deps.senderKeys) {
      // A custom sender delivers this medium itself: it gets the code, encrypted, and no message is sent here.
      const sent = await runCustomSender(this.deps.triggers, this.deps.senderKeys, pool, {
        medium: channel.medium,
        context: custom.context,
        user,
        code: custom.values.code,
      });
      if (sent) return codeDeliveryDetails(channel.medium, to, channel.attribute);
    }
    let message = standard;
    if (custom && this.deps.triggers) {
      // The CustomMessage trigger may replace the pool's template (see custom-message.ts).
      const templates = await runCustomMessage(this.deps.triggers, pool, { context: custom.context, user, medium: channel.medium });
      if (templates) {
        const subject = templates.subject ?? (standard.medium === 'EMAIL' ? standard.subject : undefined);
        message = renderCustom(channel.medium, { message: templates.message, ...(subject !== undefined ? { subject } : {}) }, custom.values);
      }
    }
    const email = pool.settings.EmailConfiguration;
    const from = email?.EmailSendingAccount === 'DEVELOPER' ? email.From : undefined;
    const result = await this.deps.messenger.deliver(
      { userPoolId: pool.id, to, ...(from ? { from } : {}), ...(email?.ReplyToEmailAddress ? { replyTo: email.ReplyToEmailAddress } : {}) },
      message,
    );
    requireDelivered(result);
    return codeDeliveryDetails(channel.medium, to, channel.attribute);
  }
}
