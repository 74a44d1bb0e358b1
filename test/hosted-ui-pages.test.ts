import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminGetUserCommand,
  GetUICustomizationCommand,
  SetUICustomizationCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from './support/test-server.js';
import { PASSWORD, adminUser, createClient, createPool, expectError, unique } from './support/cognito.js';
import { latestCode } from './support/outbox.js';
import { CookieJar, csrfOf, pkce } from './support/hosted-ui.js';

// The hosted sign-up, confirmation and password-recovery pages with plain HTTP (codes read from the
// outbox), and SetUICustomization / GetUICustomization through the SDK with the CSS and logo applied
// to the pages.

let server: TestServer;
let idp: CognitoIdentityProviderClient;
let poolId: string;
let clientId: string;
const CALLBACK = 'https://app.example.com/cb';
// The smallest valid PNG: a 1x1 transparent pixel.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

beforeAll(async () => {
  server = await startTestServer();
  idp = server.client();
  poolId = await createPool(idp, { UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'] });
  // A confidential client: the pages supply its SECRET_HASH themselves.
  const created = await createClient(idp, poolId, {
    GenerateSecret: true,
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ['code'],
    AllowedOAuthScopes: ['openid', 'email'],
    CallbackURLs: [CALLBACK],
  });
  clientId = created.clientId;
  expect(created.clientSecret).toBeDefined();
});
afterAll(async () => {
  await server?.close();
});

const authParams = () => new URLSearchParams({ client_id: clientId, response_type: 'code', redirect_uri: CALLBACK, scope: 'openid', state: 'pg' }).toString();
const post = (jar: CookieJar, url: string, fields: Record<string, string>) =>
  jar.fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
const absolute = (location: string) => new URL(location, server.url).href;

describe('sign-up and confirmation pages', () => {
  it('signs a user up, confirms the emailed code, and signs in', async () => {
    const email = `${unique('new')}@example.com`;
    const jar = new CookieJar();
    const signup = `${server.url}/signup?${authParams()}`;
    const page = await (await jar.fetch(signup)).text();
    expect(page).toContain('Create an account');
    expect(page).toMatch(/<label for="attr_email"/);

    const mismatch = await post(jar, signup, { _csrf: csrfOf(page), attr_email: email, password: PASSWORD, confirm_password: 'other' });
    expect(mismatch.status).toBe(400);
    expect(await mismatch.text()).toContain('The passwords do not match.');
    const weak = await post(jar, signup, { _csrf: csrfOf(page), attr_email: email, password: 'weak', confirm_password: 'weak' });
    expect(await weak.text()).toContain('Password did not conform with policy');

    const created = await post(jar, signup, { _csrf: csrfOf(page), attr_email: email, password: PASSWORD, confirm_password: PASSWORD });
    expect(created.status).toBe(302);
    const confirmUrl = absolute(created.headers.get('location')!);
    expect(new URL(confirmUrl).pathname).toBe('/confirm');
    const confirmPage = await (await jar.fetch(confirmUrl)).text();
    expect(confirmPage).toContain('We sent a code to');

    const wrong = await post(jar, confirmUrl, { _csrf: csrfOf(confirmPage), username: email, code: '000000', action: 'confirm' });
    expect(wrong.status).toBe(400);
    const code = await latestCode(server, email);
    const resent = await post(jar, confirmUrl, { _csrf: csrfOf(confirmPage), username: email, action: 'resend' });
    expect(await resent.text()).toContain('A new code is on its way.');
    const newCode = await latestCode(server, email);
    expect(newCode).not.toBe('');
    expect(newCode).not.toBe(code);
    const confirmed = await post(jar, confirmUrl, { _csrf: csrfOf(confirmPage), username: email, code: newCode, action: 'confirm' });
    expect(confirmed.status).toBe(302);
    const loginUrl = absolute(confirmed.headers.get('location')!);
    const login = await (await jar.fetch(loginUrl)).text();
    expect(login).toContain('Your account is confirmed.');
    expect(login).toContain(`value="${email}"`);

    const signedIn = await post(jar, loginUrl, { _csrf: csrfOf(login), username: email, password: PASSWORD });
    expect(signedIn.status).toBe(302);
    const callback = new URL(signedIn.headers.get('location')!);
    expect(callback.searchParams.get('state')).toBe('pg');
    const user = await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email }));
    expect(user.UserStatus).toBe('CONFIRMED');
  });

  it('sends an unconfirmed user who signs in to the confirmation page', async () => {
    const email = `${unique('unc')}@example.com`;
    const jar = new CookieJar();
    const signup = `${server.url}/signup?${authParams()}`;
    const page = await (await jar.fetch(signup)).text();
    await post(jar, signup, { _csrf: csrfOf(page), attr_email: email, password: PASSWORD, confirm_password: PASSWORD });
    const loginUrl = `${server.url}/login?${authParams()}`;
    const login = await (await jar.fetch(loginUrl)).text();
    const attempt = await post(jar, loginUrl, { _csrf: csrfOf(login), username: email, password: PASSWORD });
    expect(attempt.status).toBe(302);
    const target = new URL(absolute(attempt.headers.get('location')!));
    expect(target.pathname).toBe('/confirm');
    expect(target.searchParams.get('username')).toBe(email);
  });

  it('refuses sign-up where only administrators create users', async () => {
    const closed = await createPool(idp, { AdminCreateUserConfig: { AllowAdminCreateUserOnly: true } });
    const { clientId: closedClient } = await createClient(idp, closed, {
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid'],
      CallbackURLs: [CALLBACK],
    });
    const response = await fetch(`${server.url}/signup?${new URLSearchParams({ client_id: closedClient, response_type: 'code', redirect_uri: CALLBACK, code_challenge: pkce().challenge, code_challenge_method: 'S256' })}`);
    expect(response.status).toBe(403);
    const login = await (await fetch(`${server.url}/login?${new URLSearchParams({ client_id: closedClient, response_type: 'code', redirect_uri: CALLBACK, code_challenge: pkce().challenge, code_challenge_method: 'S256' })}`)).text();
    expect(login).not.toContain('/signup');
  });
});

describe('password recovery pages', () => {
  it('sends a code and sets a new password with it', async () => {
    const email = `${unique('lost')}@example.com`;
    await adminUser(idp, poolId, email, { email, email_verified: 'true' });
    const jar = new CookieJar();
    const forgot = `${server.url}/forgotPassword?${authParams()}`;
    const page = await (await jar.fetch(forgot)).text();
    const sent = await post(jar, forgot, { _csrf: csrfOf(page), username: email });
    expect(sent.status).toBe(302);
    const resetUrl = absolute(sent.headers.get('location')!);
    expect(new URL(resetUrl).pathname).toBe('/confirmForgotPassword');
    const resetPage = await (await jar.fetch(resetUrl)).text();
    const code = await latestCode(server, email);
    const bad = await post(jar, resetUrl, { _csrf: csrfOf(resetPage), username: email, code: '111111', password: 'N3w-pass-word!', confirm_password: 'N3w-pass-word!' });
    expect(bad.status).toBe(400);
    const done = await post(jar, resetUrl, { _csrf: csrfOf(resetPage), username: email, code, password: 'N3w-pass-word!', confirm_password: 'N3w-pass-word!' });
    expect(done.status).toBe(302);
    const loginUrl = absolute(done.headers.get('location')!);
    const login = await (await jar.fetch(loginUrl)).text();
    expect(login).toContain('Your password has been changed.');
    const signedIn = await post(jar, loginUrl, { _csrf: csrfOf(login), username: email, password: 'N3w-pass-word!' });
    expect(new URL(signedIn.headers.get('location')!).searchParams.get('code')).toBeTruthy();
  });

  it('needs the CSRF token on every form', async () => {
    const jar = new CookieJar();
    for (const path of ['signup', 'confirm', 'forgotPassword', 'confirmForgotPassword']) {
      const url = `${server.url}/${path}?${authParams()}`;
      await jar.fetch(url);
      const response = await post(jar, url, { username: 'x@example.com' });
      expect(response.status).toBe(403);
    }
  });

  it('renders XSS payloads inert on these pages', async () => {
    const payload = `"><script>alert(1)</script>`;
    const jar = new CookieJar();
    for (const path of ['confirm', 'confirmForgotPassword']) {
      const html = await (await jar.fetch(`${server.url}/${path}?${authParams()}&${new URLSearchParams({ username: payload, destination: payload })}`)).text();
      expect(html).not.toContain('<script>');
      expect(html).toContain('&quot;&gt;&lt;script&gt;');
    }
    const signup = `${server.url}/signup?${authParams()}`;
    const page = await (await jar.fetch(signup)).text();
    const failed = await (await post(jar, signup, { _csrf: csrfOf(page), attr_email: payload, password: PASSWORD, confirm_password: PASSWORD })).text();
    expect(failed).not.toContain('<script>');
  });
});

describe('SetUICustomization and GetUICustomization', () => {
  it('stores CSS and a logo per pool and per client, and applies them to the pages', async () => {
    const pool = await createPool(idp);
    const { clientId: a } = await createClient(idp, pool, { AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['code'], AllowedOAuthScopes: ['openid'], CallbackURLs: [CALLBACK] });
    const { clientId: b } = await createClient(idp, pool, { AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['code'], AllowedOAuthScopes: ['openid'], CallbackURLs: [CALLBACK] });
    const empty = await idp.send(new GetUICustomizationCommand({ UserPoolId: pool }));
    expect(empty.UICustomization).toEqual({ UserPoolId: pool, ClientId: 'ALL' });

    const set = await idp.send(new SetUICustomizationCommand({ UserPoolId: pool, CSS: '.banner-customizable { background: #123456; }', ImageFile: PNG }));
    expect(set.UICustomization).toMatchObject({ UserPoolId: pool, ClientId: 'ALL', CSS: '.banner-customizable { background: #123456; }' });
    expect(set.UICustomization!.ImageUrl).toMatch(new RegExp(`/${pool}/hosted-ui/logo/ALL\\?v=`));
    expect(set.UICustomization!.CreationDate).toBeInstanceOf(Date);
    await idp.send(new SetUICustomizationCommand({ UserPoolId: pool, ClientId: b, CSS: '.submitButton-customizable { background: #654321; } </style><script>alert(1)</script>' }));

    expect((await idp.send(new GetUICustomizationCommand({ UserPoolId: pool, ClientId: a }))).UICustomization!.ClientId).toBe('ALL');
    expect((await idp.send(new GetUICustomizationCommand({ UserPoolId: pool, ClientId: b }))).UICustomization!.ClientId).toBe(b);

    const pageFor = async (client: string) =>
      (await fetch(`${server.url}/login?${new URLSearchParams({ client_id: client, response_type: 'code', redirect_uri: CALLBACK, code_challenge: pkce().challenge, code_challenge_method: 'S256' })}`)).text();
    const pageA = await pageFor(a);
    expect(pageA).toContain('#123456');
    expect(pageA).toMatch(new RegExp(`<img src="/${pool}/hosted-ui/logo/ALL\\?v=[0-9a-f]+" alt="">`));
    const pageB = await pageFor(b);
    expect(pageB).toContain('#654321');
    expect(pageB).not.toContain('</style><script>');

    const logoPath = /<img src="([^"]+)"/.exec(pageA)![1]!.replace(/&amp;/g, '&');
    const logo = await fetch(`${server.url}${logoPath}`);
    expect(logo.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await logo.arrayBuffer())).toEqual(PNG);
  });

  it('refuses images that are not PNG or JPEG, and unknown clients', async () => {
    const pool = await createPool(idp);
    await expectError(idp.send(new SetUICustomizationCommand({ UserPoolId: pool, ImageFile: Buffer.from('<svg onload="alert(1)"/>') })), {
      name: 'InvalidParameterException',
    });
    await expectError(idp.send(new SetUICustomizationCommand({ UserPoolId: pool, ClientId: 'nosuchclient0000000000000', CSS: 'a{}' })), {
      name: 'ResourceNotFoundException',
    });
  });
});

