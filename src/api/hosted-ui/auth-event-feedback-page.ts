import type { AuthEventType } from '@aws-sdk/client-cognito-identity-provider';
import { html, type Html } from './html.js';
import type { Language } from './i18n.js';
import { layout, type PageFrame } from './layout.js';
import { csrfField } from './pages.js';

// The page behind the one-click links of threat protection's notification emails: it shows the
// event and asks the user to confirm; only its form (a POST) records the answer.

const en = {
  title: 'Was this you?',
  intro: 'We noticed this activity on your account:',
  signIn: 'Sign-in',
  blocked: 'It was blocked.',
  when: 'When',
  from: 'IP address',
  device: 'Device',
  unknown: 'unknown',
  yes: 'Yes, this was me',
  no: 'No, this was not me',
  already: 'You already answered: {answer}. You can change your answer.',
  thanksValid: 'Thank you. We will remember this sign-in as yours.',
  thanksInvalid: 'Thank you. We will treat sign-ins like this one as suspicious. Change your password now if you have not already.',
  invalidLink: 'This link is not valid. Open the most recent link from the email again.',
  unavailable: 'Feedback is not available for this account.',
};
type FeedbackTexts = typeof en;

const TEXTS: Record<Language, FeedbackTexts> = {
  en,
  fr: {
    title: "Était-ce vous ?",
    intro: 'Nous avons remarqué cette activité sur votre compte :',
    signIn: 'Connexion',
    blocked: 'Elle a été bloquée.',
    when: 'Quand',
    from: 'Adresse IP',
    device: 'Appareil',
    unknown: 'inconnu',
    yes: "Oui, c'était moi",
    no: "Non, ce n'était pas moi",
    already: 'Vous avez déjà répondu : {answer}. Vous pouvez changer votre réponse.',
    thanksValid: 'Merci. Nous retiendrons cette connexion comme la vôtre.',
    thanksInvalid: 'Merci. Nous traiterons les connexions comme celle-ci comme suspectes. Changez votre mot de passe si ce n’est pas déjà fait.',
    invalidLink: "Ce lien n'est pas valide. Ouvrez à nouveau le lien le plus récent de l'e-mail.",
    unavailable: "Le retour n'est pas disponible pour ce compte.",
  },
  de: {
    title: 'Waren Sie das?',
    intro: 'Wir haben diese Aktivität in Ihrem Konto bemerkt:',
    signIn: 'Anmeldung',
    blocked: 'Sie wurde blockiert.',
    when: 'Wann',
    from: 'IP-Adresse',
    device: 'Gerät',
    unknown: 'unbekannt',
    yes: 'Ja, das war ich',
    no: 'Nein, das war ich nicht',
    already: 'Sie haben bereits geantwortet: {answer}. Sie können Ihre Antwort ändern.',
    thanksValid: 'Danke. Wir merken uns diese Anmeldung als Ihre.',
    thanksInvalid: 'Danke. Wir behandeln Anmeldungen wie diese als verdächtig. Ändern Sie jetzt Ihr Passwort, falls noch nicht geschehen.',
    invalidLink: 'Dieser Link ist ungültig. Öffnen Sie erneut den neuesten Link aus der E-Mail.',
    unavailable: 'Für dieses Konto ist keine Rückmeldung möglich.',
  },
};

export const feedbackTexts = (lang: Language): FeedbackTexts => TEXTS[lang];

/** What the form sends back: the link's parameters, minus the answer (the button carries it). */
export interface FeedbackLink {
  user_pool_id: string;
  username: string;
  event_id: string;
  feedback_token: string;
}

export function feedbackQuestionPage(
  frame: PageFrame,
  page: { action: string; csrf: string; link: FeedbackLink; event: AuthEventType; suggested?: 'Valid' | 'Invalid' },
): Html {
  const t = feedbackTexts(frame.lang);
  const { event } = page;
  const answered = event.EventFeedback?.FeedbackValue;
  const yes = answered === 'Valid' ? t.yes : answered === 'Invalid' ? t.no : undefined;
  // The button the email's link named comes first and is the primary one.
  const invalidFirst = page.suggested === 'Invalid';
  const button = (value: 'Valid' | 'Invalid', primary: boolean) =>
    html`<button type="submit" name="feedback_value" value="${value}" class="${primary ? 'submitButton-customizable' : 'secondary'}">${value === 'Valid' ? t.yes : t.no}</button>`;
  return layout(
    frame,
    t.title,
    html`<p class="textDescription-customizable">${t.intro}</p>
<dl>
<dt>${eventTitle(event, t)}</dt>
${event.EventResponse === 'Fail' && event.EventRisk?.RiskDecision === 'Block' ? html`<dd>${t.blocked}</dd>` : ''}
<dt>${t.when}</dt><dd><time datetime="${event.CreationDate?.toISOString()}">${event.CreationDate?.toUTCString()}</time></dd>
<dt>${t.from}</dt><dd>${event.EventContextData?.IpAddress ?? t.unknown}</dd>
${event.EventContextData?.DeviceName ? html`<dt>${t.device}</dt><dd>${event.EventContextData.DeviceName}</dd>` : ''}
</dl>
<form method="post" action="${page.action}">
${csrfField(page.csrf)}
<input type="hidden" name="user_pool_id" value="${page.link.user_pool_id}">
<input type="hidden" name="username" value="${page.link.username}">
<input type="hidden" name="event_id" value="${page.link.event_id}">
<input type="hidden" name="feedback_token" value="${page.link.feedback_token}">
${invalidFirst ? [button('Invalid', true), button('Valid', false)] : [button('Valid', true), button('Invalid', false)]}
</form>`,
    yes ? { notice: t.already.replace('{answer}', yes) } : {},
  );
}

export function feedbackThanksPage(frame: PageFrame, value: 'Valid' | 'Invalid'): Html {
  const t = feedbackTexts(frame.lang);
  return layout(frame, t.title, html``, { notice: value === 'Valid' ? t.thanksValid : t.thanksInvalid });
}

export function feedbackErrorPage(frame: PageFrame, message: string): Html {
  return layout(frame, feedbackTexts(frame.lang).title, html``, { error: message });
}

function eventTitle(event: AuthEventType, t: FeedbackTexts): string {
  // Notifications are sent for sign-ins; other event types show Cognito's name for them.
  return event.EventType === 'SignIn' ? t.signIn : String(event.EventType ?? '');
}
