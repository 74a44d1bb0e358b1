import { html, styleText, type Html } from './html.js';
import { LANGUAGE_NAMES, type Language, type Messages } from './i18n.js';

/** What every page is drawn with. */
export interface PageFrame {
  lang: Language;
  t: Messages;
  nonce: string;
  /** The pool's or client's custom CSS (SetUICustomization), appended after the base styles. */
  css?: string;
  /** URL of the custom logo. */
  logoUrl?: string;
  /** The current URL without `lang`, for the language links. */
  languageLink?: (lang: Language) => string;
}

// Base styles: readable type, a 4.5:1+ contrast palette, visible focus rings, one column that fits
// any screen. Class names follow Cognito's customizable classes where one exists, so CSS written
// for Cognito's hosted UI applies (banner-customizable, label-customizable, textDescription-
// customizable, submitButton-customizable, errorMessage-customizable, inputField-customizable).
const BASE_CSS = `
*,*::before,*::after{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;align-items:flex-start;justify-content:center;background:#f3f4f6;color:#111827;
font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{width:100%;max-width:26rem;margin:3rem 1rem;background:#fff;border-radius:.75rem;box-shadow:0 1px 3px rgba(0,0,0,.12);padding:2rem}
.banner-customizable{text-align:center;margin-bottom:1rem}
.banner-customizable img{max-width:100%;max-height:5rem}
h1{font-size:1.5rem;margin:0 0 1rem}
p{margin:.5rem 0}
.textDescription-customizable{color:#374151}
form{display:flex;flex-direction:column;gap:.25rem;margin:1rem 0}
label,.label-customizable{font-weight:600;margin-top:.75rem}
input,.inputField-customizable{font:inherit;padding:.625rem .75rem;border:1px solid #6b7280;border-radius:.5rem;background:#fff;color:#111827}
input:focus-visible,button:focus-visible,a:focus-visible{outline:3px solid #2563eb;outline-offset:2px}
button,.submitButton-customizable{font:inherit;font-weight:600;margin-top:1.25rem;padding:.75rem;border:0;border-radius:.5rem;background:#1d4ed8;color:#fff;cursor:pointer}
button:hover{background:#1e40af}
button.secondary{background:#fff;color:#1d4ed8;border:1px solid #1d4ed8;margin-top:0}
button.secondary:hover{background:#eff6ff}
a{color:#1d4ed8}
.errorMessage-customizable{background:#fef2f2;color:#991b1b;border:1px solid #fca5a5;border-radius:.5rem;padding:.75rem;margin:1rem 0}
.notice{background:#ecfdf5;color:#065f46;border:1px solid #6ee7b7;border-radius:.5rem;padding:.75rem;margin:1rem 0}
.links{display:flex;flex-direction:column;gap:.5rem;margin-top:1rem}
nav.languages{margin-top:1.5rem;font-size:.875rem;color:#4b5563}
nav.languages a{margin-right:.75rem}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
fieldset{border:0;margin:0;padding:0;display:flex;flex-direction:column;gap:.5rem}
fieldset button{margin-top:.5rem}
.qr{display:flex;justify-content:center;margin:1rem 0}
.qr-code{width:200px;height:200px;max-width:100%}
.secret-key{display:block;font:1rem/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;letter-spacing:.05em;overflow-wrap:anywhere;background:#f3f4f6;border-radius:.375rem;padding:.5rem .75rem;margin-top:.25rem;user-select:all}
.divider{border-top:1px solid #e5e7eb;margin-top:1.5rem;padding-top:.5rem}
`;

/** A page: the heading (also the title), then any error or notice, then the body. */
export function layout(frame: PageFrame, title: string, body: Html, messages: { error?: string; notice?: string } = {}): Html {
  const { t, nonce } = frame;
  const others = (Object.keys(LANGUAGE_NAMES) as Language[]).filter((l) => l !== frame.lang);
  return html`<!doctype html>
<html lang="${frame.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<style nonce="${nonce}">${styleText(BASE_CSS)}</style>
${frame.css ? html`<style nonce="${nonce}">${styleText(frame.css)}</style>` : ''}
</head>
<body>
<main aria-labelledby="page-heading">
${frame.logoUrl ? html`<div class="banner-customizable"><img src="${frame.logoUrl}" alt=""></div>` : ''}
<h1 id="page-heading">${title}</h1>
${messages.error ? html`<p class="errorMessage-customizable" role="alert" id="form-error">${messages.error}</p>` : ''}
${messages.notice ? html`<p class="notice" role="status">${messages.notice}</p>` : ''}
${body}
${frame.languageLink
  ? html`<nav class="languages" aria-label="${t.language}">${others.map(
      (l) => html`<a href="${frame.languageLink!(l)}" hreflang="${l}" lang="${l}">${LANGUAGE_NAMES[l]}</a>`,
    )}</nav>`
  : ''}
</main>
</body>
</html>`;
}
