import { challengePages, type ChallengePage } from './challenge-pages.js';
import { mfaCodePage, mfaSetupPage, selectMfaPage, type CodeChallenge } from './mfa-pages.js';

// The MFA steps of hosted sign-in, plugged into the login route's challenge table. Each answer goes
// to AuthService.hostedRespond, i.e. the very handlers behind RespondToAuthChallenge: the same
// code checks, attempt limits (a wrong code leaves the Session answerable, as in the API), lockout
// and secrets. MFA_SETUP associates and verifies the authenticator by Session exactly as a client
// does with AssociateSoftwareToken and VerifySoftwareToken.
//
// Not offered here: remembering the device (the hosted pages send no DEVICE_KEY, so remembered-
// device rules never skip MFA on them), and setting up SMS MFA (MFA_SETUP only asks for it when the
// user has no phone number, which these pages do not collect).

const ANSWER_KEY: Record<CodeChallenge, string> = {
  SOFTWARE_TOKEN_MFA: 'SOFTWARE_TOKEN_MFA_CODE',
  SMS_MFA: 'SMS_MFA_CODE',
  EMAIL_OTP: 'EMAIL_OTP_CODE',
};

const FACTORS = ['SOFTWARE_TOKEN_MFA', 'SMS_MFA', 'EMAIL_OTP'] as const;
const isFactor = (value: string): value is CodeChallenge => (FACTORS as readonly string[]).includes(value);

/** A page that asks for one code. */
function codeChallenge(challenge: CodeChallenge): ChallengePage {
  return {
    render(page) {
      const destination = page.parameters.CODE_DELIVERY_DESTINATION;
      return mfaCodePage({
        ...page,
        challenge,
        username: page.parameters.USER_ID_FOR_SRP ?? '',
        ...(challenge !== 'SOFTWARE_TOKEN_MFA' && destination !== undefined ? { destination } : {}),
      });
    },
    responses(form, t) {
      const code = (form.code ?? '').replace(/\s+/g, '');
      if (!code) return { error: t.wrongCode };
      return { responses: { USERNAME: form.username ?? '', [ANSWER_KEY[challenge]]: code } };
    },
    restore(form) {
      return { USER_ID_FOR_SRP: form.username ?? '', ...(form.destination !== undefined ? { CODE_DELIVERY_DESTINATION: form.destination } : {}) };
    },
  };
}

for (const factor of FACTORS) challengePages.set(factor, codeChallenge(factor));

challengePages.set('SELECT_MFA_TYPE', {
  render(page) {
    return selectMfaPage({ ...page, username: page.parameters.USER_ID_FOR_SRP ?? '', choices: parseList(page.parameters.MFAS_CAN_CHOOSE).filter(isFactor) });
  },
  responses(form, t) {
    if (!form.answer) return { error: t.signInFailed };
    return { responses: { USERNAME: form.username ?? '', ANSWER: form.answer } };
  },
  restore(form) {
    return { USER_ID_FOR_SRP: form.username ?? '', MFAS_CAN_CHOOSE: form.choices ?? '[]' };
  },
});

/** Page-only parameters of MFA_SETUP (never sent to the auth service): the authenticator key. */
const SECRET = 'hostedUi.secretCode';
const SEALED = 'hostedUi.sealedSecretCode';
const ISSUER = 'hostedUi.issuer';

challengePages.set('MFA_SETUP', {
  render(page) {
    const secret = page.parameters[SECRET];
    const sealed = page.parameters[SEALED];
    return mfaSetupPage({
      ...page,
      username: page.parameters.USER_ID_FOR_SRP ?? '',
      canSetUp: parseList(page.parameters.MFAS_CAN_SETUP),
      ...(secret && sealed ? { totp: { secret, sealed, issuer: page.parameters[ISSUER] ?? 'Frontdesk' } } : {}),
    });
  },
  responses(form, t): { responses: Record<string, string> } | { error: string } {
    const username = form.username ?? '';
    if (form.setup === 'email') {
      const email = (form.email ?? '').trim();
      return email ? { responses: { USERNAME: username, EMAIL: email } } : { error: t.signInFailed };
    }
    const code = (form.code ?? '').replace(/\s+/g, '');
    return code ? { responses: { USERNAME: username, CODE: code } } : { error: t.wrongCode };
  },
  restore(form, tools) {
    const secret = tools.open(form.sealed_secret);
    return {
      USER_ID_FOR_SRP: form.username ?? '',
      MFAS_CAN_SETUP: form.can_setup ?? '[]',
      [ISSUER]: tools.request.pool.name,
      ...(secret !== undefined ? { [SECRET]: secret, [SEALED]: form.sealed_secret! } : {}),
    };
  },
  async prepare(step, tools) {
    if (!parseList(step.parameters.MFAS_CAN_SETUP).includes('SOFTWARE_TOKEN_MFA')) return step;
    // AssociateSoftwareToken with the sign-in's Session: a pending key, and the next Session.
    const associated = await tools.mfa.associateSoftwareToken({ Session: step.session });
    const secret = associated.SecretCode!;
    return {
      session: associated.Session!,
      parameters: { ...step.parameters, [SECRET]: secret, [SEALED]: tools.seal(secret), [ISSUER]: tools.request.pool.name },
    };
  },
  async answer(form, responses, tools) {
    if (form.setup === 'email') return tools.respond({ USERNAME: responses.USERNAME!, EMAIL: responses.EMAIL! }, form.session);
    // VerifySoftwareToken with the Session; the Session it returns answers MFA_SETUP.
    const verified = await tools.mfa.verifySoftwareToken({ Session: form.session ?? '', UserCode: responses.CODE! });
    return tools.respond({ USERNAME: responses.USERNAME! }, verified.Session);
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
