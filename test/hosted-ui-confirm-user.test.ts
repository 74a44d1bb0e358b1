import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminGetUserCommand, GetUserAttributeVerificationCodeCommand, ResendConfirmationCodeCommand, SignUpCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from './support/test-server.js';
import { PASSWORD, createClient, createPool, passwordSignIn, secretHash, unique } from './support/cognito.js';
import { messagesTo } from './support/outbox.js';
import { CookieJar, csrfOf, hiddenFields, postForm } from './support/hosted-ui.js';

// CONFIRM_WITH_LINK: the sign-up email carries Cognito's /confirmUser link; opening it shows a page
// and changes nothing (mail scanners fetch links); the page's button confirms the account.

let server: TestServer;
let idp: CognitoIdentityProviderClient;
let poolId: string;

beforeAll(async () => {
  server = await startTestServer();
  idp = server.client();
  poolId = await createPool(idp, {
    AutoVerifiedAttributes: ['email'],
    UsernameAttributes: ['email'],
    VerificationMessageTemplate: {
      DefaultEmailOption: 'CONFIRM_WITH_LINK',
      EmailSubjectByLink: 'Confirm your account',
      EmailMessageByLink: 'Welcome! {##Confirm here##}',
    },
  });
});
afterAll(async () => {
  await server?.close();
});

/** Signs up through the API and returns the link in the email. */
async function signUpAndReadLink(clientId: string, clientSecret?: string): Promise<{ email: string; link: URL }> {
  const email = `${unique('link')}@example.com`;
  await idp.send(
    new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD, ...(clientSecret ? { SecretHash: secretHash(clientSecret, email, clientId) } : {}) }),
  );
  const [message] = await messagesTo(server, email);
  expect(message!.Subject).toBe('Confirm your account');
  return { email, link: linkIn(message!.Body) };
}

/** The confirmation link in a message's text. */
function linkIn(body: string): URL {
  const href = /https?:\/\/[^\s()"<>]+\/confirmUser\?[^\s()"<>]+/.exec(body)?.[0];
  expect(href, body).toBeTruthy();
  return new URL(href!);
}

const status = async (email: string) => (await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email }))).UserStatus;

describe('/confirmUser', () => {
  it("the email's link opens a page that confirms nothing; its button confirms the account", async () => {
    const { clientId } = await createClient(idp, poolId);
    const { email, link } = await signUpAndReadLink(clientId);
    expect(link.pathname).toBe(`/${poolId}/confirmUser`);
    expect(link.searchParams.get('client_id')).toBe(clientId);
    expect(link.searchParams.get('user_name')).toBeTruthy();
    expect(link.searchParams.get('confirmation_code')).toMatch(/^\d{6}$/);

    const jar = new CookieJar();
    const page = await jar.fetch(link.href);
    expect(page.status).toBe(200);
    const body = await page.text();
    expect(await status(email)).toBe('UNCONFIRMED');

    // Without the page's CSRF token nothing happens.
    expect((await postForm(jar, link.origin + link.pathname, { ...hiddenFields(body), _csrf: 'forged' })).status).toBe(403);
    expect(await status(email)).toBe('UNCONFIRMED');

    const confirmed = await postForm(jar, link.origin + link.pathname, { ...hiddenFields(body), _csrf: csrfOf(body) });
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain('Your account is confirmed');
    expect(await status(email)).toBe('CONFIRMED');
    expect((await passwordSignIn(idp, clientId, email)).AccessToken).toBeTruthy();

    // The code is used up: the same link now says it is not valid.
    const again = await jar.fetch(link.href);
    const form = await again.text();
    const reused = await postForm(jar, link.origin + link.pathname, { ...hiddenFields(form), _csrf: csrfOf(form) });
    expect(reused.status).toBe(400);
  });

  it('works for a confidential client (the page supplies the SECRET_HASH) and after ResendConfirmationCode', async () => {
    const { clientId, clientSecret } = await createClient(idp, poolId, { GenerateSecret: true });
    const { email } = await signUpAndReadLink(clientId, clientSecret);
    await idp.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: email, SecretHash: secretHash(clientSecret!, email, clientId) }));
    const latest = (await messagesTo(server, email))[0]!;
    const link = linkIn(latest.Body);
    const jar = new CookieJar();
    const body = await (await jar.fetch(link.href)).text();
    expect((await postForm(jar, link.origin + link.pathname, { ...hiddenFields(body), _csrf: csrfOf(body) })).status).toBe(200);
    expect(await status(email)).toBe('CONFIRMED');
  });

  it('refuses a tampered code or another pool, and escapes what the link carries', async () => {
    const { clientId } = await createClient(idp, poolId);
    const { email, link } = await signUpAndReadLink(clientId);
    const jar = new CookieJar();
    const tampered = new URL(link.href);
    tampered.searchParams.set('confirmation_code', '000000');
    tampered.searchParams.set('user_name', `${email}<script>alert(1)</script>`);
    const page = await (await jar.fetch(tampered.href)).text();
    expect(page).not.toContain('<script>alert(1)</script>');
    expect((await postForm(jar, tampered.origin + tampered.pathname, { ...hiddenFields(page), _csrf: csrfOf(page) })).status).toBe(400);
    expect(await status(email)).toBe('UNCONFIRMED');

    const otherPool = await createPool(idp);
    const elsewhere = new URL(link.href.replace(`/${poolId}/`, `/${otherPool}/`));
    expect((await jar.fetch(elsewhere.href)).status).toBe(400);
  });

  it('attribute verification keeps sending a code, as in Cognito', async () => {
    const { clientId } = await createClient(idp, poolId);
    const { email, link } = await signUpAndReadLink(clientId);
    const jar = new CookieJar();
    const body = await (await jar.fetch(link.href)).text();
    await postForm(jar, link.origin + link.pathname, { ...hiddenFields(body), _csrf: csrfOf(body) });
    const { AccessToken } = await passwordSignIn(idp, clientId, email);
    await idp.send(new GetUserAttributeVerificationCodeCommand({ AccessToken, AttributeName: 'email' }));
    const [message] = await messagesTo(server, email);
    expect(message!.Body).toMatch(/\d{6}/);
    expect(message!.Body).not.toContain('confirmUser');
  });
});
