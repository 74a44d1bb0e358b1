import { html, type Html } from './html.js';
import type { Language } from './i18n.js';
import { layout, type PageFrame } from './layout.js';
import { csrfField } from './pages.js';

// The page behind the link of CONFIRM_WITH_LINK sign-up emails: it asks the user to confirm; only
// its form (a POST) confirms the account.

const en = {
  title: 'Confirm your account',
  intro: 'Confirm the account {username} to finish signing up.',
  confirm: 'Confirm my account',
  confirmed: 'Your account is confirmed. You can sign in now.',
  invalidLink: 'This link is not valid or has expired. Sign up again or ask for a new code.',
};
type ConfirmTexts = typeof en;

const TEXTS: Record<Language, ConfirmTexts> = {
  en,
  fr: {
    title: 'Confirmez votre compte',
    intro: "Confirmez le compte {username} pour terminer l'inscription.",
    confirm: 'Confirmer mon compte',
    confirmed: 'Votre compte est confirmé. Vous pouvez maintenant vous connecter.',
    invalidLink: "Ce lien n'est pas valide ou a expiré. Inscrivez-vous à nouveau ou demandez un nouveau code.",
  },
  de: {
    title: 'Konto bestätigen',
    intro: 'Bestätigen Sie das Konto {username}, um die Registrierung abzuschließen.',
    confirm: 'Mein Konto bestätigen',
    confirmed: 'Ihr Konto ist bestätigt. Sie können sich jetzt anmelden.',
    invalidLink: 'Dieser Link ist ungültig oder abgelaufen. Registrieren Sie sich erneut oder fordern Sie einen neuen Code an.',
  },
};

export const confirmUserTexts = (lang: Language): ConfirmTexts => TEXTS[lang];

/** The link's parameters, in Cognito's names. */
export interface ConfirmUserLink {
  client_id: string;
  user_name: string;
  confirmation_code: string;
}

export function confirmUserQuestionPage(frame: PageFrame, page: { action: string; csrf: string; link: ConfirmUserLink }): Html {
  const t = confirmUserTexts(frame.lang);
  const [before, after] = t.intro.split('{username}');
  return layout(
    frame,
    t.title,
    html`<p class="textDescription-customizable">${before}<strong>${page.link.user_name}</strong>${after}</p>
<form method="post" action="${page.action}">
${csrfField(page.csrf)}
<input type="hidden" name="client_id" value="${page.link.client_id}">
<input type="hidden" name="user_name" value="${page.link.user_name}">
<input type="hidden" name="confirmation_code" value="${page.link.confirmation_code}">
<button type="submit" class="submitButton-customizable">${t.confirm}</button>
</form>`,
  );
}

export function confirmUserDonePage(frame: PageFrame): Html {
  return layout(frame, confirmUserTexts(frame.lang).title, html``, { notice: confirmUserTexts(frame.lang).confirmed });
}

export function confirmUserErrorPage(frame: PageFrame, message: string): Html {
  return layout(frame, confirmUserTexts(frame.lang).title, html``, { error: message });
}
