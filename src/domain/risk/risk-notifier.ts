import type { Messenger } from '../messaging/messenger.js';
import { escapeHtml, htmlToText } from '../messaging/templates.js';
import type { AuthEvent } from '../../store/risk-store.js';
import type { User } from '../users/user.js';
import type { UserPool } from '../user-pools/user-pool.js';
import type { RiskSettings } from './risk-configurations.js';

export type NotifiedAction = 'BLOCK' | 'MFA' | 'NO_ACTION';

/** Frontdesk's texts where NotifyConfiguration names no template (Cognito's own are not published). */
const DEFAULTS: Record<NotifiedAction, { Subject: string; HtmlBody: string; TextBody: string }> = {
  BLOCK: {
    Subject: 'Blocked sign-in attempt',
    HtmlBody:
      '<p>Hi {username},</p><p>We blocked a sign-in to your account from {ip-address} at {login-time}.</p>' +
      '<p>Was this you? <a href="{one-click-link-valid}">Yes</a> · <a href="{one-click-link-invalid}">No</a></p>',
    TextBody:
      'Hi {username}, we blocked a sign-in to your account from {ip-address} at {login-time}. ' +
      'Was this you? Yes: {one-click-link-valid} No: {one-click-link-invalid}',
  },
  MFA: {
    Subject: 'New sign-in to your account',
    HtmlBody:
      '<p>Hi {username},</p><p>A sign-in from {ip-address} at {login-time} was asked for a second factor.</p>' +
      '<p>Was this you? <a href="{one-click-link-valid}">Yes</a> · <a href="{one-click-link-invalid}">No</a></p>',
    TextBody:
      'Hi {username}, a sign-in from {ip-address} at {login-time} was asked for a second factor. ' +
      'Was this you? Yes: {one-click-link-valid} No: {one-click-link-invalid}',
  },
  NO_ACTION: {
    Subject: 'New sign-in to your account',
    HtmlBody:
      '<p>Hi {username},</p><p>Your account was signed in from {ip-address} at {login-time}.</p>' +
      '<p>Was this you? <a href="{one-click-link-valid}">Yes</a> · <a href="{one-click-link-invalid}">No</a></p>',
    TextBody:
      'Hi {username}, your account was signed in from {ip-address} at {login-time}. ' +
      'Was this you? Yes: {one-click-link-valid} No: {one-click-link-invalid}',
  },
};

/**
 * The emails AccountTakeoverRiskConfiguration's `Notify` asks for, with NotifyConfiguration's
 * templates and Cognito's placeholders ({username}, {ip-address}, {city}, {country},
 * {login-time}, {device-name}, {one-click-link-valid}, {one-click-link-invalid}). The one-click
 * links carry what UpdateAuthEventFeedback needs (user pool, username, event id, feedback token).
 */
export class RiskNotifier {
  constructor(private readonly deps: { messenger: Messenger; publicUrl: () => string }) {}

  async notify(pool: UserPool, user: User, settings: RiskSettings, action: NotifiedAction, event: AuthEvent, token: string): Promise<void> {
    const to = user.attributes.email;
    const config = settings.AccountTakeoverRiskConfiguration?.NotifyConfiguration;
    if (!to) return;
    const configured = action === 'BLOCK' ? config?.BlockEmail : action === 'MFA' ? config?.MfaEmail : config?.NoActionEmail;
    const template = { ...DEFAULTS[action], ...configured };
    const link = (value: 'Valid' | 'Invalid') => {
      const query = new URLSearchParams({ user_pool_id: pool.id, username: user.username, event_id: event.id, feedback_token: token, feedback_value: value });
      return `${this.deps.publicUrl().replace(/\/+$/, '')}/auth-event-feedback?${query.toString()}`;
    };
    const values: Record<string, string> = {
      username: user.username,
      'ip-address': event.ipAddress ?? 'an unknown address',
      city: event.context.City ?? '',
      country: event.context.Country ?? '',
      'login-time': event.createdAt.toISOString(),
      'device-name': event.context.DeviceName ?? '',
      'one-click-link-valid': link('Valid'),
      'one-click-link-invalid': link('Invalid'),
    };
    const fill = (text: string, escape: (s: string) => string) => text.replace(/\{([a-z-]+)\}/g, (m, name: string) => (name in values ? escape(values[name]!) : m));
    const html = fill(template.HtmlBody ?? DEFAULTS[action].HtmlBody, escapeHtml);
    // Delivery failures are logged by the messenger; a notification never fails the sign-in.
    await this.deps.messenger.deliver(
      { userPoolId: pool.id, to, ...(config?.From ? { from: config.From } : {}), ...(config?.ReplyTo ? { replyTo: config.ReplyTo } : {}) },
      { medium: 'EMAIL', subject: template.Subject ?? DEFAULTS[action].Subject, body: template.TextBody ? fill(template.TextBody, (s) => s) : htmlToText(html), html },
    );
  }
}
