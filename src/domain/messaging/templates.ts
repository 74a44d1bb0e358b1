import type { UserPoolSettings } from '../user-pools/user-pool.js';
import type { DeliveryMedium } from '../../store/message-store.js';

// Cognito's message templates: which template a message uses, Cognito's default texts, and the
// placeholders `{####}` (code or temporary password), `{username}` (invitations) and
// `{##link text##}` (link-style sign-up confirmation).
//
// Default texts are those Cognito itself reports for a pool whose templates were never customised
// (DescribeUserPool output in the AWS CLI's own example, aws-cli
// awscli/examples/cognito-idp/describe-user-pool.rst): the trailing space after the final full stop
// is Cognito's. The forgot-password body is the one Cognito's default reset email carries ("Your
// password reset code is 039126", subject "Your verification code"). Cognito documents no default
// for email MFA / email OTP; Frontdesk mirrors its SMS MFA text.
//
// Email templates are HTML in Cognito (newlines in a template do not break lines; `<br>` does), so
// an email renders to `html` exactly as Cognito would send it, plus a plain-text alternative for
// clients and for reading codes out of the outbox. Subjects are never substituted, as in Cognito.

export const CODE_PLACEHOLDER = '{####}';
export const USERNAME_PLACEHOLDER = '{username}';

export const COGNITO_DEFAULT_MESSAGES = {
  verification: {
    emailSubject: 'Your verification code',
    emailMessage: 'Your verification code is {####}. ',
    smsMessage: 'Your verification code is {####}. ',
    emailSubjectByLink: 'Your verification link',
    emailMessageByLink: 'Please click the link below to verify your email address. {##Verify Email##} ',
  },
  forgotPassword: {
    emailSubject: 'Your verification code',
    emailMessage: 'Your password reset code is {####}',
    smsMessage: 'Your password reset code is {####}',
  },
  invitation: {
    emailSubject: 'Your temporary password',
    emailMessage: 'Your username is {username} and temporary password is {####}. ',
    smsMessage: 'Your username is {username} and temporary password is {####}. ',
  },
  mfa: {
    smsMessage: 'Your authentication code is {####}. ',
    emailSubject: 'Your authentication code',
    emailMessage: 'Your authentication code is {####}. ',
  },
} as const;

/** The pool members templates are read from; a whole UserPool fits. */
export interface TemplatePool {
  settings: Pick<
    UserPoolSettings,
    | 'VerificationMessageTemplate'
    | 'EmailVerificationMessage'
    | 'EmailVerificationSubject'
    | 'SmsVerificationMessage'
    | 'SmsAuthenticationMessage'
    | 'AdminCreateUserConfig'
    | 'MfaSettings'
  >;
}

export interface RenderedEmail {
  medium: 'EMAIL';
  subject: string;
  /** Plain-text alternative (and what the outbox shows). */
  body: string;
  /** The message as Cognito sends it: the template is HTML. */
  html: string;
}

export interface RenderedSms {
  medium: 'SMS';
  body: string;
}

export type RenderedMessage = RenderedEmail | RenderedSms;
export type Rendered<M extends DeliveryMedium> = M extends 'EMAIL' ? RenderedEmail : RenderedSms;

/** Where a link-style confirmation points; see confirmationLinkUrl. */
export interface ConfirmationLink {
  url: string;
}

export interface TemplateValues {
  code?: string;
  username?: string;
  link?: ConfirmationLink;
}

/**
 * The sign-up confirmation link, in Cognito's shape:
 * `<base>/confirmUser?client_id=…&user_name=…&confirmation_code=…`.
 */
export function confirmationLinkUrl(baseUrl: string, params: { clientId: string; username: string; code: string }): string {
  const query = new URLSearchParams({ client_id: params.clientId, user_name: params.username, confirmation_code: params.code });
  return `${baseUrl.replace(/\/+$/, '')}/confirmUser?${query.toString()}`;
}

/**
 * Sign-up confirmation (SignUp, ResendConfirmationCode) and attribute verification
 * (GetUserAttributeVerificationCode, UpdateUserAttributes). The link template is used only for
 * email, only when the pool's DefaultEmailOption is CONFIRM_WITH_LINK, and only when the caller
 * passes `link` — as in Cognito, attribute verification always uses the code template.
 */
export function renderVerificationMessage<M extends DeliveryMedium>(
  pool: TemplatePool,
  medium: M,
  code: string,
  options: { link?: ConfirmationLink } = {},
): Rendered<M> {
  const settings = pool.settings;
  const template = settings.VerificationMessageTemplate ?? {};
  const defaults = COGNITO_DEFAULT_MESSAGES.verification;
  if (medium === 'SMS') {
    return sms(template.SmsMessage ?? settings.SmsVerificationMessage ?? defaults.smsMessage, { code }) as Rendered<M>;
  }
  if (template.DefaultEmailOption === 'CONFIRM_WITH_LINK' && options.link) {
    return email(
      template.EmailSubjectByLink ?? defaults.emailSubjectByLink,
      template.EmailMessageByLink ?? defaults.emailMessageByLink,
      { code, link: options.link },
    ) as Rendered<M>;
  }
  return email(
    template.EmailSubject ?? settings.EmailVerificationSubject ?? defaults.emailSubject,
    template.EmailMessage ?? settings.EmailVerificationMessage ?? defaults.emailMessage,
    { code },
  ) as Rendered<M>;
}

/**
 * ForgotPassword / AdminResetUserPassword. Cognito sends a customised code template for password
 * resets too; without one, its own reset text.
 */
export function renderForgotPassword<M extends DeliveryMedium>(pool: TemplatePool, medium: M, code: string): Rendered<M> {
  const settings = pool.settings;
  const template = settings.VerificationMessageTemplate ?? {};
  const defaults = COGNITO_DEFAULT_MESSAGES.forgotPassword;
  if (medium === 'SMS') {
    return sms(template.SmsMessage ?? settings.SmsVerificationMessage ?? defaults.smsMessage, { code }) as Rendered<M>;
  }
  return email(
    template.EmailSubject ?? settings.EmailVerificationSubject ?? defaults.emailSubject,
    template.EmailMessage ?? settings.EmailVerificationMessage ?? defaults.emailMessage,
    { code },
  ) as Rendered<M>;
}

/** AdminCreateUser's invitation: `{username}` and the temporary password as `{####}`. */
export function renderInvitation<M extends DeliveryMedium>(
  pool: TemplatePool,
  medium: M,
  username: string,
  temporaryPassword: string,
): Rendered<M> {
  const template = pool.settings.AdminCreateUserConfig?.InviteMessageTemplate ?? {};
  const defaults = COGNITO_DEFAULT_MESSAGES.invitation;
  const values = { code: temporaryPassword, username };
  if (medium === 'SMS') return sms(template.SMSMessage ?? defaults.smsMessage, values) as Rendered<M>;
  return email(template.EmailSubject ?? defaults.emailSubject, template.EmailMessage ?? defaults.emailMessage, values) as Rendered<M>;
}

/** SMS_MFA / EMAIL_OTP challenges and email OTP sign-in. */
export function renderMfaCode<M extends DeliveryMedium>(pool: TemplatePool, medium: M, code: string): Rendered<M> {
  const defaults = COGNITO_DEFAULT_MESSAGES.mfa;
  if (medium === 'SMS') return sms(pool.settings.SmsAuthenticationMessage ?? defaults.smsMessage, { code }) as Rendered<M>;
  const config = pool.settings.MfaSettings?.EmailMfaConfiguration ?? {};
  return email(config.Subject ?? defaults.emailSubject, config.Message ?? defaults.emailMessage, { code }) as Rendered<M>;
}

/**
 * A message from arbitrary templates, e.g. the emailSubject/emailMessage/smsMessage a CustomMessage
 * trigger returned (Cognito substitutes its placeholders the same way).
 */
export function renderCustom<M extends DeliveryMedium>(
  medium: M,
  template: { subject?: string; message: string },
  values: TemplateValues,
): Rendered<M> {
  return (medium === 'SMS' ? sms(template.message, values) : email(template.subject ?? '', template.message, values)) as Rendered<M>;
}

function sms(template: string, values: TemplateValues): RenderedSms {
  return { medium: 'SMS', body: substitute(template, values, (text) => text, (linkText) => linkText) };
}

function email(subject: string, template: string, values: TemplateValues): RenderedEmail {
  const html = substitute(template, values, escapeHtml, (linkText) =>
    values.link ? `<a href="${escapeHtml(values.link.url)}">${linkText}</a>` : linkText,
  );
  return { medium: 'EMAIL', subject, body: htmlToText(html), html };
}

const PLACEHOLDERS = /\{####\}|\{username\}|\{##([\s\S]*?)##\}/g;

/**
 * Replaces every placeholder in one pass, so a value that itself contains `{####}` (a username
 * can) is never substituted again. Placeholders without a value stay as written.
 */
export function substitute(
  template: string,
  values: TemplateValues,
  escape: (value: string) => string,
  link: (linkText: string) => string,
): string {
  return template.replace(PLACEHOLDERS, (match, linkText: string | undefined) => {
    if (linkText !== undefined) return link(linkText);
    if (match === CODE_PLACEHOLDER) return values.code !== undefined ? escape(values.code) : match;
    return values.username !== undefined ? escape(values.username) : match;
  });
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** A readable plain-text rendition of a (Cognito-template-sized) HTML message. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style|head)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<a\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')[^>]*>([\s\S]*?)<\/a\s*>/gi, (_m, dq: string | undefined, sq: string | undefined, inner: string) => {
      const href = dq ?? sq ?? '';
      const text = inner.replace(/<[^>]*>/g, '').trim();
      return text && text !== href ? `${text} (${href})` : href;
    })
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|h[1-6]|li|tr|table)\s*>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
      if (name[0] === '#') {
        const point = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return point > 0 && point <= 0x10ffff ? String.fromCodePoint(point) : entity;
      }
      return NAMED_ENTITIES[name.toLowerCase()] ?? entity;
    })
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
