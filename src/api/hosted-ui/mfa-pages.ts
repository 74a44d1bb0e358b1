import { html, type Html } from './html.js';
import { layout } from './layout.js';
import { csrfField, field, messages, type FormPage } from './pages.js';
import { otpauthUri, qrCodeSvg } from './qr-code.js';

// The second-factor pages of hosted sign-in: a code (authenticator app, text message, email), the
// choice between factors, and setting one up. Like every hosted page they post with the CSRF token
// and carry the sign-in Session in a hidden field (it is what RespondToAuthChallenge would get).

/** The hidden fields that carry a challenge answer back: which challenge, its Session, the user. */
const challengeFields = (challenge: string, session: string, username: string) =>
  html`<input type="hidden" name="challenge" value="${challenge}">
<input type="hidden" name="session" value="${session}">
<input type="hidden" name="username" value="${username}">`;

export type CodeChallenge = 'SOFTWARE_TOKEN_MFA' | 'SMS_MFA' | 'EMAIL_OTP';

export function mfaCodePage(page: FormPage & { challenge: CodeChallenge; session: string; username: string; destination?: string }): Html {
  const { t } = page.frame;
  const intro =
    page.challenge === 'SOFTWARE_TOKEN_MFA'
      ? t.totpIntro
      : (page.challenge === 'SMS_MFA' ? t.smsIntro : t.emailIntro).replace('{destination}', page.destination ?? '');
  return layout(
    page.frame,
    t.mfaHeading,
    html`<p class="textDescription-customizable" id="code-intro">${intro}</p>
<form method="post" action="${page.action}">
${csrfField(page.csrf)}
${challengeFields(page.challenge, page.session, page.username)}
${page.destination !== undefined ? html`<input type="hidden" name="destination" value="${page.destination}">` : ''}
${field(page, 'code', t.code, { autocomplete: 'one-time-code', inputmode: 'numeric', autofocus: true })}
<button type="submit" class="submitButton-customizable">${t.verify}</button>
</form>
<div class="links"><a href="${page.links.login}">${t.backToSignIn}</a></div>`,
    messages(page),
  );
}

const FACTOR_LABEL = { SOFTWARE_TOKEN_MFA: 'factorTotp', SMS_MFA: 'factorSms', EMAIL_OTP: 'factorEmail' } as const;

export function selectMfaPage(page: FormPage & { session: string; username: string; choices: CodeChallenge[] }): Html {
  const { t } = page.frame;
  return layout(
    page.frame,
    t.selectMfaHeading,
    html`<p class="textDescription-customizable" id="select-intro">${t.selectMfaIntro}</p>
<form method="post" action="${page.action}">
${csrfField(page.csrf)}
${challengeFields('SELECT_MFA_TYPE', page.session, page.username)}
<input type="hidden" name="choices" value="${JSON.stringify(page.choices)}">
<fieldset aria-describedby="select-intro">
<legend class="visually-hidden">${t.selectMfaHeading}</legend>
${page.choices.map((choice) => html`<button type="submit" class="submitButton-customizable" name="answer" value="${choice}">${t[FACTOR_LABEL[choice]]}</button>`)}
</fieldset>
</form>
<div class="links"><a href="${page.links.login}">${t.backToSignIn}</a></div>`,
    messages(page),
  );
}

export interface SetupPage extends FormPage {
  session: string;
  username: string;
  /** The factors MFA_SETUP offers (MFAS_CAN_SETUP). */
  canSetUp: string[];
  /** The authenticator key AssociateSoftwareToken issued for this sign-in, and its sealed form for the forms. */
  totp?: { secret: string; sealed: string; issuer: string };
}

/** The key in groups of four, as authenticator apps show and accept it. */
const grouped = (secret: string) => secret.replace(/(.{4})/g, '$1 ').trim();

export function mfaSetupPage(page: SetupPage): Html {
  const { t } = page.frame;
  const email = page.canSetUp.includes('EMAIL_OTP');
  const hidden = (setup: string) => html`${csrfField(page.csrf)}
${challengeFields('MFA_SETUP', page.session, page.username)}
<input type="hidden" name="setup" value="${setup}">
<input type="hidden" name="can_setup" value="${JSON.stringify(page.canSetUp)}">
${page.totp ? html`<input type="hidden" name="sealed_secret" value="${page.totp.sealed}">` : ''}`;
  const totp = page.totp
    ? html`<p class="textDescription-customizable">${t.setupTotpIntro}</p>
<div class="qr">${qrCodeSvg(otpauthUri(page.totp.issuer, page.username, page.totp.secret), t.setupQrLabel)}</div>
<p><span id="setup-key-label">${t.setupKey}</span><code class="secret-key" id="setup-key">${grouped(page.totp.secret)}</code></p>
<form method="post" action="${page.action}">
${hidden('totp')}
${field(page, 'code', t.code, { autocomplete: 'one-time-code', inputmode: 'numeric', autofocus: true })}
<button type="submit" class="submitButton-customizable">${t.verify}</button>
</form>`
    : '';
  const byEmail = email
    ? html`<div class="${page.totp ? 'divider' : ''}"><p class="textDescription-customizable">${page.totp ? t.setupEmailIntro : t.setupEmailOnlyIntro}</p>
<form method="post" action="${page.action}">
${hidden('email')}
${field(page, 'email', t.email, { type: 'email', autocomplete: 'email', autofocus: !page.totp })}
<button type="submit" class="${page.totp ? 'secondary' : 'submitButton-customizable'}">${t.sendEmailCode}</button>
</form></div>`
    : '';
  return layout(
    page.frame,
    t.setupHeading,
    html`${totp}${byEmail}${!page.totp && !email ? html`<p class="textDescription-customizable">${t.setupUnavailable}</p>` : ''}
<div class="links"><a href="${page.links.login}">${t.backToSignIn}</a></div>`,
    messages(page),
  );
}
