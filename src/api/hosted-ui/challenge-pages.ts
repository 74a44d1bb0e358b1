import type { Html } from './html.js';
import { newPasswordPage, type FormPage } from './pages.js';
import type { AuthorizationRequest } from '../../domain/oauth/authorization-request.js';
import type { SettledStep } from '../../domain/auth/auth-service.js';
import type { MfaService } from '../../domain/mfa/mfa-service.js';

/**
 * A page for one sign-in challenge: how to draw it and how to turn its posted form into Cognito's
 * ChallengeResponses. The login route looks challenges up here, so further steps plug in by adding
 * an entry — the MFA capability adds SOFTWARE_TOKEN_MFA, SMS_MFA, EMAIL_OTP, SELECT_MFA_TYPE and
 * MFA_SETUP pages this way (its handlers are already reached through AuthService.hostedRespond).
 * A challenge without a page ends the sign-in with a clear message instead of a dead end.
 */
export interface ChallengePage {
  render(page: FormPage & { session: string; parameters: Record<string, string> }): Html;
  /** The ChallengeResponses of a posted form; `error` when the form itself is wrong (e.g. passwords differ). */
  responses(form: Record<string, string>, t: FormPage['frame']['t']): { responses: Record<string, string> } | { error: string };
  /** The challenge parameters to draw the page again from its own posted form (after a form error or a wrong code). */
  restore(form: Record<string, string>, tools: ChallengeTools): Record<string, string>;
  /**
   * Work to do before the challenge is first drawn, returning the Session and parameters to draw
   * it with (MFA_SETUP associates an authenticator, as a client calls AssociateSoftwareToken).
   */
  prepare?(step: { session: string; parameters: Record<string, string> }, tools: ChallengeTools): Promise<{ session: string; parameters: Record<string, string> }>;
  /** How the posted answer is sent, when not simply `tools.respond(responses, form.session)`. */
  answer?(form: Record<string, string>, responses: Record<string, string>, tools: ChallengeTools): Promise<SettledStep>;
}

/** What a challenge page may use: the request it continues and the services behind the API. */
export interface ChallengeTools {
  request: AuthorizationRequest;
  /** Answers the challenge through AuthService.hostedRespond, the page acting as the client. */
  respond(responses: Record<string, string>, session: string | undefined): Promise<SettledStep>;
  /** AssociateSoftwareToken / VerifySoftwareToken by Session, as for any client at MFA_SETUP. */
  mfa: MfaService;
  /** Seals a value that a form carries back (under the master key), and opens it; undefined when forged. */
  seal(value: string): string;
  open(sealed: string | undefined): string | undefined;
}

export const challengePages = new Map<string, ChallengePage>();

challengePages.set('NEW_PASSWORD_REQUIRED', {
  render(page) {
    const required = parseList(page.parameters.requiredAttributes).map((name) => name.replace(/^userAttributes\./, ''));
    return newPasswordPage({ ...page, username: page.parameters.USER_ID_FOR_SRP ?? '', requiredAttributes: required });
  },
  responses(form, t) {
    if (!form.new_password) return { error: t.signInFailed };
    if (form.new_password !== form.confirm_password) return { error: t.passwordsDiffer };
    const responses: Record<string, string> = { USERNAME: form.username ?? '', NEW_PASSWORD: form.new_password };
    for (const [name, value] of Object.entries(form)) {
      if (name.startsWith('attr_') && value) responses[`userAttributes.${name.slice(5)}`] = value;
    }
    return { responses };
  },
  restore(form) {
    const required = Object.keys(form).filter((name) => name.startsWith('attr_')).map((name) => `userAttributes.${name.slice(5)}`);
    return { USER_ID_FOR_SRP: form.username ?? '', requiredAttributes: JSON.stringify(required) };
  },
});

function parseList(json: string | undefined): string[] {
  try {
    const parsed = JSON.parse(json ?? '[]') as unknown;
    return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}
