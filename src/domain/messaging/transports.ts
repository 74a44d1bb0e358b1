import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';

// The two ways a message leaves Frontdesk. Both report failures as DeliveryError, whose message is
// safe to store and log: it never carries the configured URL or its credentials.

export class DeliveryError extends Error {}

export interface OutgoingEmail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  replyTo?: string;
}

export interface OutgoingSms {
  messageId: string;
  userPoolId?: string;
  to: string;
  body: string;
}

export interface EmailTransport {
  send(email: OutgoingEmail): Promise<void>;
  close(): void;
}

export interface SmsTransport {
  send(sms: OutgoingSms): Promise<void>;
}

const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

/**
 * nodemailer options from FRONTDESK_SMTP_URL: `smtp://` speaks STARTTLS when the server offers it
 * (port 587 unless given), `smtps://` is TLS from the first byte (port 465). Credentials come from
 * the URL's user-info, percent-decoded. Query options: requireTLS, ignoreTLS, rejectUnauthorized.
 */
export function smtpOptionsFromUrl(smtpUrl: string): SMTPTransport.Options {
  const url = new URL(smtpUrl);
  const secure = url.protocol === 'smtps:';
  const flag = (name: string) => (url.searchParams.has(name) ? url.searchParams.get(name) === 'true' : undefined);
  const options: SMTPTransport.Options = {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    ...SMTP_TIMEOUTS,
  };
  if (url.username) options.auth = { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) };
  if (flag('requireTLS') !== undefined) options.requireTLS = flag('requireTLS');
  if (flag('ignoreTLS') !== undefined) options.ignoreTLS = flag('ignoreTLS');
  if (flag('rejectUnauthorized') !== undefined) options.tls = { rejectUnauthorized: flag('rejectUnauthorized') };
  return options;
}

/** Strings that must never appear in an error summary: the URL and its credentials in any form. */
function secretsOf(rawUrl: string): string[] {
  const url = new URL(rawUrl);
  const user = decodeURIComponent(url.username);
  const pass = decodeURIComponent(url.password);
  const candidates = [rawUrl, url.username, url.password, user, pass];
  if (pass) {
    candidates.push(Buffer.from(pass).toString('base64'), Buffer.from(`\0${user}\0${pass}`).toString('base64'));
  }
  for (const value of url.searchParams.values()) candidates.push(value);
  // Longest first, so a secret that contains another is removed whole. Very short values (a
  // one-letter user name) would scrub innocent text; they are no secret worth that.
  return [...new Set(candidates)].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
}

/** A one-line, secret-free description of a transport failure. */
export function summarizeError(error: unknown, secrets: string[], prefix: string): string {
  const e = error as { code?: unknown; responseCode?: unknown; message?: unknown; cause?: { code?: unknown } } | undefined;
  const code = typeof e?.code === 'string' ? e.code : typeof e?.cause?.code === 'string' ? e.cause.code : undefined;
  let message = typeof e?.message === 'string' ? e.message : String(error);
  for (const secret of secrets) message = message.split(secret).join('[redacted]');
  message = message.replace(/\s+/g, ' ').trim();
  const summary = `${prefix}${code ? ` ${code}` : ''}: ${message}`;
  return summary.length > 500 ? `${summary.slice(0, 497)}...` : summary;
}

export class SmtpEmailTransport implements EmailTransport {
  private readonly transporter: Transporter<SMTPTransport.SentMessageInfo>;
  private readonly secrets: string[];

  constructor(smtpUrl: string) {
    this.transporter = nodemailer.createTransport(smtpOptionsFromUrl(smtpUrl));
    this.secrets = secretsOf(smtpUrl);
  }

  async send(email: OutgoingEmail): Promise<void> {
    try {
      const info = await this.transporter.sendMail({
        from: email.from,
        to: email.to,
        subject: email.subject,
        text: email.text,
        ...(email.html !== undefined ? { html: email.html } : {}),
        ...(email.replyTo ? { replyTo: email.replyTo } : {}),
        // Message content is never a file path or URL for nodemailer to read.
        disableFileAccess: true,
        disableUrlAccess: true,
      });
      if (info.rejected.length > 0 || info.accepted.length === 0) {
        throw new Error(`the relay refused the recipient (${info.response ?? 'no response'})`);
      }
    } catch (error) {
      throw new DeliveryError(summarizeError(error, this.secrets, 'SMTP'));
    }
  }

  close(): void {
    this.transporter.close();
  }
}

/**
 * POSTs each SMS as JSON `{ to, body, messageId, userPoolId }` to FRONTDESK_SMS_WEBHOOK_URL. One
 * attempt (a retry could text a person twice); any 2xx is success. Credentials in the URL's
 * user-info become a Basic Authorization header, since fetch refuses URLs that carry them.
 * Redirects are refused, so the message and credentials go nowhere but the configured host.
 */
export class WebhookSmsTransport implements SmsTransport {
  private readonly target: string;
  private readonly authorization?: string;
  private readonly secrets: string[];

  constructor(webhookUrl: string, private readonly timeoutMs = 10_000) {
    const url = new URL(webhookUrl);
    if (url.username || url.password) {
      const basic = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
      this.authorization = `Basic ${Buffer.from(basic).toString('base64')}`;
      url.username = '';
      url.password = '';
    }
    this.target = url.toString();
    this.secrets = secretsOf(webhookUrl);
    if (this.authorization) this.secrets.unshift(this.authorization);
  }

  async send(sms: OutgoingSms): Promise<void> {
    let response: Response;
    try {
      response = await fetch(this.target, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'frontdesk',
          ...(this.authorization ? { authorization: this.authorization } : {}),
        },
        body: JSON.stringify({ to: sms.to, body: sms.body, messageId: sms.messageId, ...(sms.userPoolId ? { userPoolId: sms.userPoolId } : {}) }),
        redirect: 'error',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw new DeliveryError(`SMS webhook: no answer within ${this.timeoutMs} ms`);
      }
      // fetch's own message is a bare "fetch failed"; the cause's code says why.
      const cause = (error as { cause?: { code?: unknown } }).cause;
      throw new DeliveryError(summarizeError(typeof cause?.code === 'string' ? cause : error, this.secrets, 'SMS webhook'));
    }
    await response.body?.cancel().catch(() => undefined);
    if (!response.ok) throw new DeliveryError(`SMS webhook answered HTTP ${response.status}`);
  }
}
