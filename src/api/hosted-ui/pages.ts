import { html, type Html } from './html.js';
import { layout, type PageFrame } from './layout.js';

// The hosted pages. Every form posts back with the CSRF token; every input has a visible label,
// an autocomplete hint and, when the form failed, aria-describedby pointing at the error.

export interface FormPage {
  frame: PageFrame;
  /** Where the form posts (the same path, with the authorization parameters in the query). */
  action: string;
  csrf: string;
  error?: string;
  notice?: string;
  /** Links to the other pages, with the authorization parameters. */
  links: { login: string; signup: string; forgotPassword: string };
}

/** A page's error and notice, as the layout takes them (absent ones left out). */
export const messages = (page: { error?: string; notice?: string }) => ({
  ...(page.error ? { error: page.error } : {}),
  ...(page.notice ? { notice: page.notice } : {}),
});

const described = (page: { error?: string }) => (page.error ? 'form-error' : undefined);

export const field = (
  page: { error?: string },
  id: string,
  label: string,
  attrs: { type?: string; autocomplete: string; value?: string; autofocus?: boolean; inputmode?: string },
): Html => html`<label for="${id}" class="label-customizable">${label}</label>
<input id="${id}" name="${id}" class="inputField-customizable" type="${attrs.type ?? 'text'}" autocomplete="${attrs.autocomplete}" required${
  attrs.autofocus ? html` autofocus` : ''
}${attrs.inputmode ? html` inputmode="${attrs.inputmode}"` : ''}${attrs.value !== undefined ? html` value="${attrs.value}"` : ''}${
  described(page) ? html` aria-describedby="${described(page)}" aria-invalid="true"` : ''
}>`;

export const csrfField = (token: string) => html`<input type="hidden" name="_csrf" value="${token}">`;

export function loginPage(page: FormPage & { username?: string; allowSignUp: boolean }): Html {
  const { t } = page.frame;
  return layout(
    page.frame,
    t.signInHeading,
    html`<form method="post" action="${page.action}">
${csrfField(page.csrf)}
${field(page, 'username', t.username, { autocomplete: 'username', value: page.username, autofocus: page.username === undefined })}
${field(page, 'password', t.password, { type: 'password', autocomplete: 'current-password', autofocus: page.username !== undefined })}
<button type="submit" class="submitButton-customizable">${t.signIn}</button>
</form>
<div class="links">
<a href="${page.links.forgotPassword}">${t.forgotPassword}</a>
${page.allowSignUp ? html`<span>${t.noAccount} <a href="${page.links.signup}">${t.signUp}</a></span>` : ''}
</div>`,
    messages(page),
  );
}

export function newPasswordPage(page: FormPage & { session: string; username: string; requiredAttributes: string[] }): Html {
  const { t } = page.frame;
  return layout(
    page.frame,
    t.newPasswordHeading,
    html`<p class="textDescription-customizable">${t.newPasswordIntro}</p>
<form method="post" action="${page.action}">
${csrfField(page.csrf)}
<input type="hidden" name="challenge" value="NEW_PASSWORD_REQUIRED">
<input type="hidden" name="session" value="${page.session}">
<input type="hidden" name="username" value="${page.username}">
${field(page, 'new_password', t.newPassword, { type: 'password', autocomplete: 'new-password', autofocus: true })}
${field(page, 'confirm_password', t.confirmPassword, { type: 'password', autocomplete: 'new-password' })}
${page.requiredAttributes.map((name) => field(page, `attr_${name}`, name, { autocomplete: 'off' }))}
<button type="submit" class="submitButton-customizable">${t.continue}</button>
</form>`,
    page.error ? { error: page.error } : {},
  );
}

export function errorPage(frame: PageFrame, detail: string): Html {
  return layout(frame, frame.t.errorTitle, html`<p class="textDescription-customizable">${frame.t.errorIntro}</p><p>${detail}</p>`);
}

export function signedOutPage(frame: PageFrame): Html {
  return layout(frame, frame.t.signedOut, html``);
}

/** Too many attempts (HTTP 429): what happened, what to do, and the way back. */
export function rateLimitedPage(frame: PageFrame, loginLink: string): Html {
  return layout(
    frame,
    frame.t.rateLimitedTitle,
    html`<p class="textDescription-customizable" role="alert">${frame.t.rateLimited}</p>
<div class="links"><a href="${loginLink}">${frame.t.backToSignIn}</a></div>`,
  );
}
