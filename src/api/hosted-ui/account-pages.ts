import { html, type Html } from './html.js';
import { layout } from './layout.js';
import { csrfField, field, messages, type FormPage } from './pages.js';

// Sign-up, confirmation and password-recovery pages.

export interface SignUpField {
  /** The form field name: `username`, `email`, or `attr_<attribute>`. */
  name: string;
  label: string;
  type: 'text' | 'email' | 'tel';
  autocomplete: string;
  value?: string;
}

export function signUpPage(page: FormPage & { fields: SignUpField[] }): Html {
  const { t } = page.frame;
  return layout(
    page.frame,
    t.signUpHeading,
    html`<form method="post" action="${page.action}">
${csrfField(page.csrf)}
${page.fields.map((f, i) => field(page, f.name, f.label, { type: f.type, autocomplete: f.autocomplete, value: f.value, autofocus: i === 0 }))}
${field(page, 'password', t.password, { type: 'password', autocomplete: 'new-password' })}
${field(page, 'confirm_password', t.repeatPassword, { type: 'password', autocomplete: 'new-password' })}
<button type="submit" class="submitButton-customizable">${t.createAccount}</button>
</form>
<div class="links"><span>${t.haveAccount} <a href="${page.links.login}">${t.signIn}</a></span></div>`,
    messages(page),
  );
}

export function confirmPage(page: FormPage & { username: string; destination?: string }): Html {
  const { t } = page.frame;
  return layout(
    page.frame,
    t.confirmHeading,
    html`${page.destination ? html`<p class="textDescription-customizable">${t.confirmIntro.replace('{destination}', '\u0000')
      .split('\u0000')
      .flatMap((part, i) => (i === 0 ? [part] : [page.destination!, part]))}</p>` : ''}
<form method="post" action="${page.action}">
${csrfField(page.csrf)}
<input type="hidden" name="username" value="${page.username}">
${field(page, 'code', t.code, { autocomplete: 'one-time-code', inputmode: 'numeric', autofocus: true })}
<button type="submit" class="submitButton-customizable" name="action" value="confirm">${t.confirm}</button>
</form>
<form method="post" action="${page.action}">
${csrfField(page.csrf)}
<input type="hidden" name="username" value="${page.username}">
<button type="submit" class="secondary" name="action" value="resend">${t.resendCode}</button>
</form>
<div class="links"><a href="${page.links.login}">${t.backToSignIn}</a></div>`,
    messages(page),
  );
}

export function forgotPasswordPage(page: FormPage & { username?: string }): Html {
  const { t } = page.frame;
  return layout(
    page.frame,
    t.forgotHeading,
    html`<p class="textDescription-customizable">${t.forgotIntro}</p>
<form method="post" action="${page.action}">
${csrfField(page.csrf)}
${field(page, 'username', t.username, { autocomplete: 'username', value: page.username, autofocus: true })}
<button type="submit" class="submitButton-customizable">${t.sendCode}</button>
</form>
<div class="links"><a href="${page.links.login}">${t.backToSignIn}</a></div>`,
    messages(page),
  );
}

export function confirmForgotPasswordPage(page: FormPage & { username: string; destination?: string }): Html {
  const { t } = page.frame;
  return layout(
    page.frame,
    t.resetHeading,
    html`<p class="textDescription-customizable">${t.resetIntro}</p>
<form method="post" action="${page.action}">
${csrfField(page.csrf)}
<input type="hidden" name="username" value="${page.username}">
${field(page, 'code', t.code, { autocomplete: 'one-time-code', inputmode: 'numeric', autofocus: true })}
${field(page, 'password', t.newPassword, { type: 'password', autocomplete: 'new-password' })}
${field(page, 'confirm_password', t.confirmPassword, { type: 'password', autocomplete: 'new-password' })}
<button type="submit" class="submitButton-customizable">${t.resetPassword}</button>
</form>
<div class="links"><a href="${page.links.login}">${t.backToSignIn}</a></div>`,
    messages(page),
  );
}
