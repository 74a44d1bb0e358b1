import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminGetUserCommand,
  AdminSetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import { startTestServer, type TestServer } from './support/test-server.js';
import { PASSWORD, adminUser, createClient, createPool, unique } from './support/cognito.js';
import { latestCode } from './support/outbox.js';
import { CookieJar, csrfOf, hiddenFields, postForm } from './support/hosted-ui.js';
import { authenticatorCode, otherCode } from './support/totp.js';

// The hosted MFA pages with plain HTTP: SOFTWARE_TOKEN_MFA, SMS_MFA, EMAIL_OTP, SELECT_MFA_TYPE and
// MFA_SETUP (authenticator with its QR code and key, or email), each answered through the same
// challenge handlers as RespondToAuthChallenge; wrong codes are retried on the same Session.

const SMS = { SnsCallerArn: 'arn:aws:iam::123456789012:role/sms', ExternalId: 'ext-1', SnsRegion: 'us-east-1' };
const CALLBACK = 'https://app.example.com/cb';
const STEP_MS = 30_000;

let server: TestServer;
let idp: CognitoIdentityProviderClient;

interface Pool {
  poolId: string;
  clientId: string;
  clientSecret: string;
}

async function mfaPool(configuration: 'ON' | 'OPTIONAL', factors: { totp?: boolean; sms?: boolean; email?: boolean }): Promise<Pool> {
  const poolId = await createPool(idp, { PoolName: 'Acme Shop' });
  await idp.send(
    new SetUserPoolMfaConfigCommand({
      UserPoolId: poolId,
      MfaConfiguration: configuration,
      ...(factors.totp ? { SoftwareTokenMfaConfiguration: { Enabled: true } } : {}),
      ...(factors.sms ? { SmsMfaConfiguration: { SmsAuthenticationMessage: 'Your sign-in code is {####}', SmsConfiguration: SMS } } : {}),
      ...(factors.email ? { EmailMfaConfiguration: { Subject: 'Sign-in code', Message: 'Use {####} to sign in.' } } : {}),
    }),
  );
  const created = await createClient(idp, poolId, {
    GenerateSecret: true,
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ['code'],
    AllowedOAuthScopes: ['openid', 'email'],
    CallbackURLs: [CALLBACK],
  });
  return { poolId, clientId: created.clientId, clientSecret: created.clientSecret! };
}

beforeAll(async () => {
  server = await startTestServer();
  idp = server.client();
});
afterAll(async () => {
  await server?.close();
});

// TOTP steps: time moves forward within a test and back after it (SigV4 allows five minutes of skew).
let advanced = 0;
function advance(ms: number): void {
  server.clock.advance(ms);
  advanced += ms;
}
afterEach(() => {
  server.clock.advance(-advanced);
  advanced = 0;
});

const loginUrl = (pool: Pool, extra: Record<string, string> = {}) =>
  `${server.url}/${pool.poolId}/login?${new URLSearchParams({ client_id: pool.clientId, response_type: 'code', redirect_uri: CALLBACK, scope: 'openid email', state: 'mfa', ...extra })}`;

/** Signs in with the password on the login page; the response (a challenge page, or the redirect). */
async function passwordStep(jar: CookieJar, pool: Pool, username: string, extra: Record<string, string> = {}) {
  const url = loginUrl(pool, extra);
  const login = await (await jar.fetch(url)).text();
  return postForm(jar, url, { _csrf: csrfOf(login), username, password: PASSWORD });
}

/** Posts the challenge form of a page with extra fields. */
async function answer(jar: CookieJar, pool: Pool, page: string, fields: Record<string, string>, form: Record<string, string> | number = 0, extra: Record<string, string> = {}) {
  return postForm(jar, loginUrl(pool, extra), { ...hiddenFields(page, form), _csrf: csrfOf(page), ...fields });
}

async function exchange(pool: Pool, location: string) {
  const callback = new URL(location);
  expect(callback.origin + callback.pathname).toBe(CALLBACK);
  expect(callback.searchParams.get('state')).toBe('mfa');
  const response = await fetch(`${server.url}/${pool.poolId}/oauth2/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${pool.clientId}:${pool.clientSecret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: callback.searchParams.get('code')!, redirect_uri: CALLBACK }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { id_token: string; access_token: string };
}

const keyOf = (page: string) => /<code class="secret-key" id="setup-key">([^<]+)<\/code>/.exec(page)![1]!.replace(/\s+/g, '');

describe('MFA_SETUP and SOFTWARE_TOKEN_MFA pages', () => {
  it('sets up an authenticator from the QR code page, then signs in with its codes', async () => {
    const pool = await mfaPool('ON', { totp: true });
    const username = unique('totp');
    await adminUser(idp, pool.poolId, username);
    const jar = new CookieJar();

    const setup = await passwordStep(jar, pool, username);
    expect(setup.status).toBe(200);
    expect(setup.headers.get('content-security-policy')).toContain("default-src 'none'");
    const page = await setup.text();
    expect(page).toContain('Set up two-step verification');
    // The QR code is inline SVG (no image request, no script) with a name for screen readers.
    expect(page).toMatch(/<svg class="qr-code"[^>]*role="img" aria-label="QR code to add this account to an authenticator app"/);
    expect(page).not.toContain('<script');
    const secret = keyOf(page);
    expect(secret).toMatch(/^[A-Z2-7]{32,}$/);
    // The key is not posted in the clear: the forms carry it sealed.
    const totpForm = hiddenFields(page, { setup: 'totp' });
    expect(totpForm.challenge).toBe('MFA_SETUP');
    expect(totpForm.sealed_secret).not.toContain(secret);
    // No email set-up where the pool does not allow email MFA.
    expect(page).not.toContain('name="setup" value="email"');

    // A wrong code: the same page, the same key, the same Session.
    const wrong = await answer(jar, pool, page, { code: otherCode(authenticatorCode(secret, server.clock.now())) }, { setup: 'totp' });
    expect(wrong.status).toBe(400);
    const again = await wrong.text();
    expect(again).toContain('That code is not right or has expired.');
    expect(keyOf(again)).toBe(secret);
    expect(hiddenFields(again, { setup: 'totp' }).session).toBe(totpForm.session);

    const done = await answer(jar, pool, again, { code: authenticatorCode(secret, server.clock.now()) }, { setup: 'totp' });
    expect(done.status).toBe(302);
    const tokens = await exchange(pool, done.headers.get('location')!);
    expect(decodeJwt(tokens.id_token)['cognito:username']).toBe(username);
    const user = await idp.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: username }));
    expect(user.UserMFASettingList).toEqual(['SOFTWARE_TOKEN_MFA']);
    expect(user.PreferredMfaSetting).toBe('SOFTWARE_TOKEN_MFA');

    // A later sign-in (a fresh browser): the code page, a wrong code retried, then the right one.
    advance(STEP_MS);
    const jar2 = new CookieJar();
    const challenge = await passwordStep(jar2, pool, username, { lang: 'fr' });
    expect(challenge.status).toBe(200);
    const codePage = await challenge.text();
    expect(codePage).toContain('<html lang="fr">');
    expect(codePage).toContain("Saisissez le code à 6 chiffres affiché par votre application d&#39;authentification.");
    expect(hiddenFields(codePage).challenge).toBe('SOFTWARE_TOKEN_MFA');
    const retry = await answer(jar2, pool, codePage, { code: otherCode(authenticatorCode(secret, server.clock.now())) }, 0, { lang: 'fr' });
    expect(retry.status).toBe(400);
    const retryPage = await retry.text();
    expect(retryPage).toContain('Ce code est incorrect ou a expiré.');
    expect(retryPage).toContain('aria-invalid="true"');
    const signedIn = await answer(jar2, pool, retryPage, { code: authenticatorCode(secret, server.clock.now()) }, 0, { lang: 'fr' });
    expect(signedIn.status).toBe(302);
    await exchange(pool, signedIn.headers.get('location')!);
  });

  it('ends the sign-in after three wrong codes, as the API does', async () => {
    const pool = await mfaPool('ON', { totp: true });
    const username = unique('three');
    await adminUser(idp, pool.poolId, username);
    const jar = new CookieJar();
    const page = await (await passwordStep(jar, pool, username)).text();
    const secret = keyOf(page);
    await answer(jar, pool, page, { code: authenticatorCode(secret, server.clock.now()) }, { setup: 'totp' });
    advance(STEP_MS);

    const signIn = new CookieJar();
    let current = await (await passwordStep(signIn, pool, username, { prompt: 'login' })).text();
    for (let i = 0; i < 3; i++) {
      const wrong = await answer(signIn, pool, current, { code: otherCode(authenticatorCode(secret, server.clock.now())) }, 0, { prompt: 'login' });
      expect(wrong.status).toBe(400);
      current = await wrong.text();
    }
    const late = await answer(signIn, pool, current, { code: authenticatorCode(secret, server.clock.now()) }, 0, { prompt: 'login' });
    expect(late.status).toBe(400);
    expect(await late.text()).toContain('Your sign-in session has expired.');
  });

  it('sets up email MFA from MFA_SETUP when the pool allows it', async () => {
    const pool = await mfaPool('ON', { totp: true, email: true });
    const username = unique('noemail');
    await adminUser(idp, pool.poolId, username);
    const jar = new CookieJar();
    const page = await (await passwordStep(jar, pool, username)).text();
    expect(page).toContain('Or receive your sign-in codes by email:');

    const bad = await answer(jar, pool, page, { email: 'not-an-address' }, { setup: 'email' });
    expect(bad.status).toBe(400);
    const badPage = await bad.text();
    expect(badPage).toContain('Invalid email address format.');
    // Still the set-up page, with the same key.
    expect(keyOf(badPage)).toBe(keyOf(page));

    const email = `${username}@example.com`;
    const sent = await answer(jar, pool, badPage, { email }, { setup: 'email' });
    expect(sent.status).toBe(200);
    const codePage = await sent.text();
    expect(hiddenFields(codePage).challenge).toBe('EMAIL_OTP');
    expect(codePage).toContain('We sent a code by email to');
    const done = await answer(jar, pool, codePage, { code: await latestCode(server, email) });
    expect(done.status).toBe(302);
    const user = await idp.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: username }));
    expect(user.UserMFASettingList).toEqual(['EMAIL_OTP']);
    expect(user.UserAttributes).toContainEqual({ Name: 'email', Value: email });
  });
});

describe('SMS_MFA, EMAIL_OTP and SELECT_MFA_TYPE pages', () => {
  it('asks for the texted code, retries a wrong one, and signs in', async () => {
    const pool = await mfaPool('OPTIONAL', { sms: true, email: true });
    const username = unique('sms');
    const phone = `+1555${String(Date.now()).slice(-7)}`;
    await adminUser(idp, pool.poolId, username, { phone_number: phone, phone_number_verified: 'true' });
    await idp.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: pool.poolId, Username: username, SMSMfaSettings: { Enabled: true, PreferredMfa: true } }));
    const jar = new CookieJar();
    const page = await (await passwordStep(jar, pool, username)).text();
    expect(hiddenFields(page).challenge).toBe('SMS_MFA');
    expect(page).toMatch(/We sent a code by text message to \+\*+\d{4}\./);
    const code = await latestCode(server, phone);
    const wrong = await answer(jar, pool, page, { code: otherCode(code) });
    expect(wrong.status).toBe(400);
    const again = await wrong.text();
    expect(again).toMatch(/We sent a code by text message to \+\*+\d{4}\./);
    const done = await answer(jar, pool, again, { code });
    expect(done.status).toBe(302);
    await exchange(pool, done.headers.get('location')!);
  });

  it('lets the user choose between factors, then asks for the emailed code', async () => {
    const pool = await mfaPool('OPTIONAL', { sms: true, email: true });
    const username = unique('choose');
    const email = `${username}@example.com`;
    await adminUser(idp, pool.poolId, username, { email, email_verified: 'true', phone_number: '+15550001111', phone_number_verified: 'true' });
    await idp.send(
      new AdminSetUserMFAPreferenceCommand({
        UserPoolId: pool.poolId,
        Username: username,
        SMSMfaSettings: { Enabled: true },
        EmailMfaSettings: { Enabled: true },
      }),
    );
    const jar = new CookieJar();
    const page = await (await passwordStep(jar, pool, username, { lang: 'de' })).text();
    expect(page).toContain('Bestätigungsweg wählen');
    expect(page).toContain('<button type="submit" class="submitButton-customizable" name="answer" value="SMS_MFA">SMS</button>');
    expect(page).toContain('name="answer" value="EMAIL_OTP">E-Mail</button>');
    const chosen = await answer(jar, pool, page, { answer: 'EMAIL_OTP' }, 0, { lang: 'de' });
    expect(chosen.status).toBe(200);
    const codePage = await chosen.text();
    expect(hiddenFields(codePage).challenge).toBe('EMAIL_OTP');
    expect(codePage).toContain('Wir haben einen Code per E-Mail an');
    const done = await answer(jar, pool, codePage, { code: await latestCode(server, email) }, 0, { lang: 'de' });
    expect(done.status).toBe(302);
    const tokens = await exchange(pool, done.headers.get('location')!);
    expect(decodeJwt(tokens.id_token).email).toBe(email);
  });

  it('refuses a factor that was not offered, and a challenge post without the CSRF token', async () => {
    const pool = await mfaPool('OPTIONAL', { sms: true, email: true });
    const username = unique('forge');
    const email = `${username}@example.com`;
    await adminUser(idp, pool.poolId, username, { email, email_verified: 'true', phone_number: '+15550002222', phone_number_verified: 'true' });
    await idp.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: pool.poolId, Username: username, SMSMfaSettings: { Enabled: true }, EmailMfaSettings: { Enabled: true } }));
    const jar = new CookieJar();
    const page = await (await passwordStep(jar, pool, username)).text();
    const { _csrf: _dropped, ...withoutCsrf } = hiddenFields(page);
    const noCsrf = await postForm(jar, loginUrl(pool), { ...withoutCsrf, answer: 'EMAIL_OTP' });
    expect(noCsrf.status).toBe(403);
    const forged = await answer(jar, pool, page, { answer: 'SOFTWARE_TOKEN_MFA' });
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain('Sign-in failed. Try again.');
  });
});

describe('escaping', () => {
  it('renders payloads posted into the MFA forms inert', async () => {
    const pool = await mfaPool('ON', { totp: true, email: true });
    const jar = new CookieJar();
    const url = loginUrl(pool);
    const csrf = csrfOf(await (await jar.fetch(url)).text());
    const payload = '"><script>alert(1)</script><img src=x onerror=alert(2)>';
    const pages = await Promise.all([
      postForm(jar, url, { _csrf: csrf, challenge: 'SMS_MFA', session: payload, username: payload, destination: payload, code: '' }),
      postForm(jar, url, { _csrf: csrf, challenge: 'SELECT_MFA_TYPE', session: payload, username: payload, choices: JSON.stringify([payload, 'EMAIL_OTP']) }),
      postForm(jar, url, { _csrf: csrf, challenge: 'MFA_SETUP', setup: 'totp', session: payload, username: payload, can_setup: JSON.stringify(['EMAIL_OTP', payload]), sealed_secret: payload, code: '' }),
    ]);
    for (const response of pages) {
      expect(response.status).toBe(400);
      const text = await response.text();
      expect(text).not.toContain('<script>alert(1)');
      expect(text).not.toContain('<img src=x');
      expect(text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    }
  });
});
