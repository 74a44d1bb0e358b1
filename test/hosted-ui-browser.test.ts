import { existsSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { decodeJwt } from 'jose';
import { AdminCreateUserCommand, CreateUserPoolDomainCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from './support/test-server.js';
import { PASSWORD, adminUser, createClient, createPool, unique } from './support/cognito.js';
import { pkce } from './support/hosted-ui.js';
import { latestCode } from './support/outbox.js';

// The hosted UI in a real browser (Debian's chromium, driven by playwright-core), on a pool's prefix
// domain `<prefix>.auth.localhost` (browsers resolve *.localhost to the loopback address): sign in →
// redirect with a code → token exchange with PKCE; then SSO into a second client without a login
// page; then logout. HOSTED_UI_SCREENSHOTS=1 writes the pages' screenshots to docs/images/.

const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available) console.warn(`hosted-ui-browser: skipped, ${CHROMIUM} is not installed (apt-get install chromium)`);
const SCREENSHOTS = process.env.HOSTED_UI_SCREENSHOTS === '1';

describe.skipIf(!available)('the hosted UI in Chromium', () => {
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;
  let browser: Browser;
  let app: Server;
  let callback: string;
  let domainUrl: string;
  let poolId: string;
  let clients: { web: string; admin: string };
  let username: string;

  beforeAll(async () => {
    server = await startTestServer();
    idp = server.client();
    // The relying party's callback: a page that says it got the code.
    app = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>App</title><p>Signed in</p>'));
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    const port = (app.address() as { port: number }).port;
    callback = `http://127.0.0.1:${port}/callback`;

    poolId = await createPool(idp, { UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'] });
    const prefix = unique('shop').toLowerCase();
    await idp.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: prefix }));
    domainUrl = `http://${prefix}.auth.localhost:${new URL(server.url).port}`;
    const oauth = {
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code' as const],
      AllowedOAuthScopes: ['openid', 'email'],
      CallbackURLs: [callback],
      LogoutURLs: [`${callback}?signed-out`],
    };
    clients = { web: (await createClient(idp, poolId, oauth)).clientId, admin: (await createClient(idp, poolId, oauth)).clientId };
    username = `${unique('eve')}@example.com`;
    await adminUser(idp, poolId, username, { email: username, email_verified: 'true' });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
    if (SCREENSHOTS) mkdirSync('docs/images', { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => app?.close(resolve));
    await server?.close();
  });

  const shot = async (page: Page, name: string) => {
    if (SCREENSHOTS) await page.screenshot({ path: `docs/images/hosted-ui-${name}.png`, fullPage: true });
  };

  const authorize = (clientId: string, challenge: string, extra: Record<string, string> = {}) =>
    `${domainUrl}/oauth2/authorize?${new URLSearchParams({
      client_id: clientId,
      response_type: 'code',
      redirect_uri: callback,
      scope: 'openid email',
      state: 'browser-state',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      ...extra,
    })}`;

  async function exchange(clientId: string, url: string, verifier: string) {
    const code = new URL(url).searchParams.get('code')!;
    const response = await fetch(`${domainUrl.replace(/\/\/[^:]+/, '//127.0.0.1')}/${poolId}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', client_id: clientId, code, redirect_uri: callback, code_verifier: verifier }),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as { id_token: string; access_token: string };
  }

  it('signs in on the login page, redirects with a code, and the code buys tokens; a second client gets SSO', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();

    const first = pkce();
    await page.goto(authorize(clients.web, first.challenge));
    expect(new URL(page.url()).pathname).toBe('/login');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Sign in to your account');
    await shot(page, 'login');

    // A wrong password first: the page says so, in an alert, and keeps the username.
    await page.getByLabel('Username or email').fill(username);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe('Incorrect username or password.');
    expect(await page.getByLabel('Username or email').inputValue()).toBe(username);
    await shot(page, 'login-error');

    await page.getByLabel('Password').fill(PASSWORD);
    await Promise.all([page.waitForURL((url) => url.href.startsWith(callback)), page.getByRole('button', { name: 'Sign in' }).press('Enter')]);
    expect(new URL(page.url()).searchParams.get('state')).toBe('browser-state');
    const tokens = await exchange(clients.web, page.url(), first.verifier);
    expect(decodeJwt(tokens.id_token)).toMatchObject({ aud: clients.web, email: username });

    // The hosted-UI session cookie: HttpOnly, SameSite=Lax, host-only on the pool's domain.
    const cookies = await context.cookies(domainUrl);
    const session = cookies.find((c) => c.name === `fd_session_${poolId}`)!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax' });

    // SSO: the second client of the pool goes straight back with a code.
    const second = pkce();
    await page.goto(authorize(clients.admin, second.challenge));
    expect(page.url().startsWith(callback)).toBe(true);
    const adminTokens = await exchange(clients.admin, page.url(), second.verifier);
    expect(decodeJwt(adminTokens.id_token).aud).toBe(clients.admin);

    // Logout ends it: the next authorization shows the login page again.
    await page.goto(`${domainUrl}/logout?${new URLSearchParams({ client_id: clients.web, logout_uri: `${callback}?signed-out` })}`);
    expect(page.url()).toBe(`${callback}?signed-out`);
    await page.goto(authorize(clients.admin, pkce().challenge));
    expect(new URL(page.url()).pathname).toBe('/login');
    await context.close();
  });

  it('signs up, confirms with the emailed code, signs in, and reads userInfo; then recovers a forgotten password', async () => {
    const page = await browser.newPage();
    const email = `${unique('new')}@example.com`;
    const flow = pkce();
    await page.goto(authorize(clients.web, flow.challenge));
    await page.getByRole('link', { name: 'Sign up' }).click();
    expect(new URL(page.url()).pathname).toBe('/signup');
    await shot(page, 'signup');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Confirm password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    expect(new URL(page.url()).pathname).toBe('/confirm');
    await shot(page, 'confirm');
    await page.getByLabel('Verification code').fill(await latestCode(server, email));
    await page.getByRole('button', { name: 'Confirm' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toBe('Your account is confirmed. Sign in now.');
    await page.getByLabel('Password').fill(PASSWORD);
    await Promise.all([page.waitForURL((url) => url.href.startsWith(callback)), page.getByRole('button', { name: 'Sign in' }).click()]);
    const tokens = await exchange(clients.web, page.url(), flow.verifier);
    const info = await fetch(`${server.url}/${poolId}/oauth2/userInfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(await info.json()).toMatchObject({ email, email_verified: 'true' });

    // Forgot password, in a fresh browser context (no SSO session).
    const context = await browser.newContext();
    const fresh = await context.newPage();
    await fresh.goto(authorize(clients.web, pkce().challenge));
    await fresh.getByRole('link', { name: 'Forgot your password?' }).click();
    await shot(fresh, 'forgot-password');
    await fresh.getByLabel('Username or email').fill(username);
    await fresh.getByRole('button', { name: 'Send code' }).click();
    expect(new URL(fresh.url()).pathname).toBe('/confirmForgotPassword');
    await shot(fresh, 'reset-password');
    await fresh.getByLabel('Verification code').fill(await latestCode(server, username));
    await fresh.getByLabel('New password', { exact: true }).fill('An0ther-passw0rd!');
    await fresh.getByLabel('Confirm new password').fill('An0ther-passw0rd!');
    await fresh.getByRole('button', { name: 'Reset password' }).click();
    await expect(fresh.getByRole('status').textContent()).resolves.toBe('Your password has been changed. Sign in with it now.');
    await fresh.getByLabel('Password').fill('An0ther-passw0rd!');
    await Promise.all([fresh.waitForURL((url) => url.href.startsWith(callback)), fresh.getByRole('button', { name: 'Sign in' }).click()]);
    await context.close();
    await page.close();
  });

  it('asks for a new password when an administrator set a temporary one', async () => {
    const temp = `${unique('tmp')}@example.com`;
    await idp.send(
      new AdminCreateUserCommand({ UserPoolId: poolId, Username: temp, TemporaryPassword: 'Temp0rary-pass', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: temp }] }),
    );
    const page = await browser.newPage();
    await page.goto(authorize(clients.web, pkce().challenge));
    await page.getByLabel('Username or email').fill(temp);
    await page.getByLabel('Password').fill('Temp0rary-pass');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Choose a new password');
    await shot(page, 'new-password');
    await page.getByLabel('New password', { exact: true }).fill('Brand-n3w-pass');
    await page.getByLabel('Confirm new password').fill('Brand-n3w-pass');
    await Promise.all([page.waitForURL((url) => url.href.startsWith(callback)), page.getByRole('button', { name: 'Continue' }).click()]);
    await page.close();
  });

  it('shows the error page (no redirect) for an unregistered redirect_uri, and other languages', async () => {
    const page = await browser.newPage();
    const response = await page.goto(authorize(clients.web, pkce().challenge, { redirect_uri: 'https://evil.example.com/' }));
    expect(response!.status()).toBe(400);
    expect(new URL(page.url()).host).toBe(new URL(domainUrl).host);
    await shot(page, 'error');
    await page.goto(authorize(clients.web, pkce().challenge, { lang: 'fr' }));
    expect(await page.getByRole('button', { name: 'Se connecter' }).count()).toBe(1);
    await shot(page, 'login-fr');
    await page.close();
  });
});
