import { randomBytes } from 'node:crypto';
import { SnsSmsTransport } from './sns-sms-transport.js';
import pino from 'pino';
import type { Clock } from '../clock.js';
import { emailFromOf, type Config } from '../../config/config.js';
import type { DeliveryMedium, DeliveryStatus, MessageQuery, MessageStore, OutboxMessage } from '../../store/message-store.js';
import { CodeDeliveryFailureException } from '../../generated/exceptions.js';
import { maskDestination } from './masking.js';
import type { RenderedMessage } from './templates.js';
import type { UserPoolSettings } from '../user-pools/user-pool.js';
import {
  DeliveryError,
  SmtpEmailTransport,
  WebhookSmsTransport,
  type EmailTransport,
  type SmsTransport,
} from './transports.js';

// How Frontdesk delivers email and SMS. Every message gets one row in `messages`: the outbox that
// tests and the console read codes from, and the delivery log Cognito users lack (status and a
// secret-free error). With FRONTDESK_OUTBOX=off the row is still written, body redacted, so a
// production deployment keeps its delivery log without keeping codes and temporary passwords at
// rest in the database.

export type { DeliveryMedium, DeliveryStatus, OutboxMessage } from '../../store/message-store.js';

/** Stored instead of the body when the outbox is off. */
export const REDACTED_BODY = '[redacted: FRONTDESK_OUTBOX=off]';

export interface MessagingSettings {
  smtpUrl?: string;
  /** Default From of every email. */
  emailFrom: string;
  outbox: 'on' | 'off';
  smsWebhookUrl?: string;
  /** SNS Publish endpoint with credentials; used when no webhook is configured. */
  smsSnsUrl?: string;
}

export function messagingSettingsFrom(
  config: Partial<Pick<Config, 'smtpUrl' | 'emailFrom' | 'outbox' | 'smsWebhookUrl' | 'smsSnsUrl' | 'publicUrl'>>,
): MessagingSettings {
  return {
    ...(config.smtpUrl ? { smtpUrl: config.smtpUrl } : {}),
    emailFrom: emailFromOf(config),
    outbox: config.outbox ?? 'on',
    ...(config.smsWebhookUrl ? { smsWebhookUrl: config.smsWebhookUrl } : {}),
    ...(config.smsSnsUrl ? { smsSnsUrl: config.smsSnsUrl } : {}),
  };
}

/** The logging the messenger needs; a pino or Fastify logger fits. */
export interface MessagingLog {
  debug(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface MessengerDeps {
  outbox: MessageStore;
  clock: Clock;
  settings: MessagingSettings;
  log?: MessagingLog;
  /** Replace the transports the settings would build (tests of failure paths). */
  emailTransport?: EmailTransport;
  smsTransport?: SmsTransport;
}

export interface EmailRequest {
  userPoolId?: string;
  to: string;
  subject: string;
  /** Plain text. */
  body: string;
  html?: string;
  /** Overrides the configured From, e.g. a pool's EmailConfiguration.From. */
  from?: string;
  replyTo?: string;
}

export interface SmsRequest {
  userPoolId?: string;
  to: string;
  body: string;
}

export interface SendOptions {
  /** Request-scoped logger, so failures carry the request id. */
  log?: MessagingLog;
}

export interface DeliveryResult {
  messageId: string;
  medium: DeliveryMedium;
  status: DeliveryStatus;
  /** False exactly when status is FAILED. */
  delivered: boolean;
  /** Why delivery failed: short, free of secrets, safe to log and show an administrator. */
  error?: string;
  /** The destination as CodeDeliveryDetails shows it. */
  maskedDestination: string;
}

export class Messenger {
  private readonly email?: EmailTransport;
  private readonly sms?: SmsTransport;
  private readonly log: MessagingLog;

  constructor(private readonly deps: MessengerDeps) {
    this.email = deps.emailTransport ?? (deps.settings.smtpUrl ? new SmtpEmailTransport(deps.settings.smtpUrl) : undefined);
    this.sms = deps.smsTransport ?? smsTransportFor(deps.settings);
    this.log = deps.log ?? pino({ name: 'messenger' });
  }

  /** Sends one email (or stores it, without SMTP). Never throws for a delivery failure: see the result. */
  async sendEmail(request: EmailRequest, options: SendOptions = {}): Promise<DeliveryResult> {
    if (/[\r\n]/.test(request.to) || /[\r\n]/.test(request.subject) || /[\r\n]/.test(request.from ?? '') || /[\r\n]/.test(request.replyTo ?? '')) {
      // Header injection: refuse before anything is stored or sent.
      return this.record('EMAIL', request, undefined, () => Promise.reject(new DeliveryError('line break in an email header field')), options);
    }
    const transport = this.email;
    const send = transport
      ? () =>
          transport.send({
            from: request.from ?? this.deps.settings.emailFrom,
            to: request.to,
            subject: request.subject,
            text: request.body,
            ...(request.html !== undefined ? { html: request.html } : {}),
            ...(request.replyTo ? { replyTo: request.replyTo } : {}),
          })
      : undefined;
    return this.record('EMAIL', request, request.subject, send, options);
  }

  /** Sends one SMS through the webhook (or stores it, without one). Never throws for a delivery failure. */
  async sendSms(request: SmsRequest, options: SendOptions = {}): Promise<DeliveryResult> {
    const transport = this.sms;
    const messageId = newMessageId(this.deps.clock.now());
    const send = transport
      ? () => transport.send({ messageId, to: request.to, body: request.body, ...(request.userPoolId ? { userPoolId: request.userPoolId } : {}) })
      : undefined;
    return this.record('SMS', request, undefined, send, options, messageId);
  }

  /** Sends a rendered template (see templates.ts) to its medium. */
  async deliver(
    target: { userPoolId?: string; to: string; from?: string; replyTo?: string },
    message: RenderedMessage,
    options: SendOptions = {},
  ): Promise<DeliveryResult> {
    if (message.medium === 'SMS') return this.sendSms({ userPoolId: target.userPoolId, to: target.to, body: message.body }, options);
    return this.sendEmail({ ...target, subject: message.subject, body: message.body, html: message.html }, options);
  }

  /** The outbox, newest first. */
  list(query: MessageQuery): Promise<OutboxMessage[]> {
    return this.deps.outbox.list(query);
  }

  /** Releases transport resources. */
  close(): void {
    this.email?.close();
  }

  private async record(
    medium: DeliveryMedium,
    request: { userPoolId?: string; to: string; body: string },
    subject: string | undefined,
    send: (() => Promise<void>) | undefined,
    options: SendOptions,
    messageId = newMessageId(this.deps.clock.now()),
  ): Promise<DeliveryResult> {
    const createdAt = this.deps.clock.now();
    const outboxOn = this.deps.settings.outbox === 'on';
    let status: DeliveryStatus;
    let error: string | undefined;
    if (send) {
      try {
        await send();
        status = 'SENT';
      } catch (cause) {
        status = 'FAILED';
        error = cause instanceof DeliveryError ? cause.message : 'delivery failed unexpectedly';
        if (!(cause instanceof DeliveryError)) (options.log ?? this.log).error({ messageId, err: cause }, 'message transport threw');
      }
    } else if (outboxOn) {
      status = 'OUTBOX_ONLY';
    } else {
      status = 'FAILED';
      error = `no ${medium === 'EMAIL' ? 'SMTP relay (FRONTDESK_SMTP_URL)' : 'SMS webhook (FRONTDESK_SMS_WEBHOOK_URL)'} is configured and the outbox is off`;
    }

    const entry: OutboxMessage = {
      id: messageId,
      ...(request.userPoolId ? { userPoolId: request.userPoolId } : {}),
      destination: request.to,
      deliveryMedium: medium,
      ...(subject !== undefined ? { subject } : {}),
      body: outboxOn ? request.body : REDACTED_BODY,
      deliveryStatus: status,
      ...(error !== undefined ? { deliveryError: error } : {}),
      createdAt,
    };
    const log = options.log ?? this.log;
    const masked = maskDestination(medium, request.to);
    const logFields = { messageId, medium, userPoolId: request.userPoolId, destination: masked, status };
    try {
      await this.deps.outbox.insert(entry);
    } catch (cause) {
      // Without a transport the outbox is the delivery, so its failure is the caller's failure. A
      // message that did go out stays delivered; only its log entry is lost, and that is logged.
      if (status === 'OUTBOX_ONLY') throw cause;
      log.error({ ...logFields, err: cause }, 'could not record the message in the outbox');
    }
    if (status === 'FAILED') log.warn({ ...logFields, error }, 'message delivery failed');
    else log.debug(logFields, status === 'SENT' ? 'message sent' : 'message stored in the outbox');
    return { messageId, medium, status, delivered: status !== 'FAILED', ...(error !== undefined ? { error } : {}), maskedDestination: masked };
  }
}

/**
 * A pool's own sender: EmailConfiguration.From (e.g. `Example <auth@example.com>`) and
 * ReplyToEmailAddress. Pass the result as the `from`/`replyTo` of deliver() or sendEmail().
 * DEVIATION: Cognito honours From only with EmailSendingAccount DEVELOPER (SES); Frontdesk sends
 * every email through its own relay and honours it whenever it is set.
 */
export function emailSenderOf(pool: { settings: Pick<UserPoolSettings, 'EmailConfiguration'> }): { from?: string; replyTo?: string } {
  const config = pool.settings.EmailConfiguration ?? {};
  return { ...(config.From ? { from: config.From } : {}), ...(config.ReplyToEmailAddress ? { replyTo: config.ReplyToEmailAddress } : {}) };
}

/**
 * Throws Cognito's CodeDeliveryFailureException when the message did not go out; returns the result
 * otherwise. For operations whose contract is "a code was sent" (SignUp, ForgotPassword, …).
 */
export function requireDelivered(result: DeliveryResult): DeliveryResult {
  if (!result.delivered) {
    throw new CodeDeliveryFailureException(
      result.medium === 'EMAIL' ? 'Unable to deliver the email message.' : 'Unable to deliver the SMS message.',
    );
  }
  return result;
}

let sequence = 0;

/**
 * Time-ordered ids: 12 hex digits of epoch milliseconds, a 4-digit per-process sequence (ordering
 * messages of one millisecond), 16 random hex digits (uniqueness across nodes).
 */
export function newMessageId(now: Date): string {
  sequence = (sequence + 1) % 0x10000;
  return (
    now.getTime().toString(16).padStart(12, '0') + sequence.toString(16).padStart(4, '0') + randomBytes(8).toString('hex')
  );
}

/** The SMS provider the settings name: the webhook, else Amazon SNS, else none (outbox only). */
function smsTransportFor(settings: MessagingSettings): SmsTransport | undefined {
  if (settings.smsWebhookUrl) return new WebhookSmsTransport(settings.smsWebhookUrl);
  if (settings.smsSnsUrl) return new SnsSmsTransport(settings.smsSnsUrl);
  return undefined;
}
