import { existsSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { decodeJwt } from 'jose';
import {
  AdminGetUserCommand,
  AdminSetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from './support/test-server.js';
import { PASSWORD, adminUser, createClient, createPool, unique } from './support/cognito.js';
import { pkce } from './support/hosted-ui.js';
import { latestCode } from './support/outbox.js';
import { authenticatorCode, otherCode } from './support/totp.js';

// Sign-in with TOTP MFA in a real browser (Debian's chromium, driven by playwright-core): the first
// sign-in must set an authenticator up — the test reads the key from the page, as a person would
// type it into their app — and a later sign-in asks for its code. Also the factor choice, the
// emailed code, and the rate-limit page. HOSTED_UI_SCREENSHOTS=1 writes the screenshots to
// docs/images/.

const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available) console.warn(`hosted-ui-mfa-browser: skipped, ${CHROMIUM} is not installed (apt-get install chromium)`);
const SCREENSHOTS = process.env.HOSTED_UI_SCREENSHOTS === '1';
const STEP_MS = 30_000;

describe.skipIf(!available)('hosted MFA in Chromium', () => {
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;
  let browser: Browser;
  let app: Server;
  let callback: string;

  beforeAll(async () => {
    server = await startTestServer();
    idp = server.client();
    app = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>App</title><p>Signed in</p>'));
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    callback = `http://127.0.0.1:${(app.address() as { port: number }).port}/callback`;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
    if (SCREENSHOTS) mkdirSync('docs/images', { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => app?.close(resolve));
    await server?.close();
  });

  let advanced = 0;
  afterEach(() => {
    server.clock.advance(-advanced);
    advanced = 0;
  });

  const shot = async (page: Page, name: string) => {
    if (SCREENSHOTS) await page.screenshot({ path: `docs/images/hosted-ui-${name}.png`, fullPage: true });
  };

  async function mfaPool(configuration: 'ON' | 'OPTIONAL', mfa: object) {
    const poolId = await createPool(idp, { PoolName: 'Acme Shop', UsernameAttributes: ['email'] });
    await idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: configuration, ...mfa }));
    const { clientId } = await createClient(idp, poolId, {
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email'],
      CallbackURLs: [callback],
    });
    return { poolId, clientId };
  }

  const authorize = (poolId: string, clientId: string, challenge: string) =>
    `${server.url}/${poolId}/oauth2/authorize?${new URLSearchParams({
      client_id: clientId,
      response_type: 'code',
      redirect_uri: callback,
      scope: 'openid email',
      state: 'mfa-browser',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    })}`;

  async function exchange(poolId: string, clientId: string, url: string, verifier: string) {
    expect(new URL(url).searchParams.get('state')).toBe('mfa-browser');
    const response = await fetch(`${server.url}/${poolId}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', client_id: clientId, code: new URL(url).searchParams.get('code')!, redirect_uri: callback, code_verifier: verifier }),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as { id_token: string; access_token: string };
  }

  async function signInWithPassword(page: Page, url: string, email: string) {
    await page.goto(url);
    await page.getByLabel('Username or email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  it('signs in with TOTP MFA: sets the authenticator up from the QR code page, then signs in with a code', async () => {
    const { poolId, clientId } = await mfaPool('ON', { SoftwareTokenMfaConfiguration: { Enabled: true } });
    const email = `${unique('totp')}@example.com`;
    await adminUser(idp, poolId, email);

    // First sign-in: MFA is required and the user has no authenticator yet.
    const context = await browser.newContext();
    const page = await context.newPage();
    const first = pkce();
    await signInWithPassword(page, authorize(poolId, clientId, first.challenge), email);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Set up two-step verification');
    await expect(page.getByRole('img', { name: 'QR code to add this account to an authenticator app' }).isVisible()).resolves.toBe(true);
    await shot(page, 'mfa-setup');
    const secret = (await page.locator('#setup-key').textContent())!.replace(/\s+/g, '');
    expect(secret).toMatch(/^[A-Z2-7]+$/);

    // A typo first: the alert, and the same key on the page.
    await page.getByLabel('Verification code').fill(otherCode(authenticatorCode(secret, server.clock.now())));
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe('That code is not right or has expired. Try again.');
    expect((await page.locator('#setup-key').textContent())!.replace(/\s+/g, '')).toBe(secret);
    await page.getByLabel('Verification code').fill(authenticatorCode(secret, server.clock.now()));
    await Promise.all([page.waitForURL((url) => url.href.startsWith(callback)), page.getByRole('button', { name: 'Verify' }).click()]);
    await exchange(poolId, clientId, page.url(), first.verifier);
    await context.close();
    const user = await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email }));
    expect(user.UserMFASettingList).toEqual(['SOFTWARE_TOKEN_MFA']);

    // A later sign-in in a fresh browser: the code page.
    server.clock.advance(STEP_MS);
    advanced += STEP_MS;
    const later = await browser.newContext();
    const again = await later.newPage();
    const second = pkce();
    await signInWithPassword(again, authorize(poolId, clientId, second.challenge), email);
    await expect(again.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Verify it is you');
    await shot(again, 'mfa-totp');
    await again.getByLabel('Verification code').fill(otherCode(authenticatorCode(secret, server.clock.now())));
    await again.getByRole('button', { name: 'Verify' }).press('Enter');
    await expect(again.getByRole('alert').textContent()).resolves.toBe('That code is not right or has expired. Try again.');
    await shot(again, 'mfa-totp-error');
    await again.getByLabel('Verification code').fill(authenticatorCode(secret, server.clock.now()));
    await Promise.all([again.waitForURL((url) => url.href.startsWith(callback)), again.getByRole('button', { name: 'Verify' }).click()]);
    const tokens = await exchange(poolId, clientId, again.url(), second.verifier);
    expect(decodeJwt(tokens.id_token).email).toBe(email);
    await later.close();
  });

  it('lets the user choose a factor and enter the emailed code', async () => {
    const { poolId, clientId } = await mfaPool('OPTIONAL', {
      SmsMfaConfiguration: { SmsAuthenticationMessage: 'Code {####}', SmsConfiguration: { SnsCallerArn: 'arn:aws:iam::123456789012:role/sms', ExternalId: 'x' } },
      EmailMfaConfiguration: { Subject: 'Sign-in code', Message: 'Use {####} to sign in.' },
    });
    const email = `${unique('choice')}@example.com`;
    await adminUser(idp, poolId, email, { email, email_verified: 'true', phone_number: '+15550003333', phone_number_verified: 'true' });
    await idp.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: email, SMSMfaSettings: { Enabled: true }, EmailMfaSettings: { Enabled: true } }));
    const context = await browser.newContext();
    const page = await context.newPage();
    const flow = pkce();
    await signInWithPassword(page, authorize(poolId, clientId, flow.challenge), email);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Choose how to verify');
    await shot(page, 'mfa-select');
    await page.getByRole('button', { name: 'Email' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Verify it is you');
    await shot(page, 'mfa-email');
    await page.getByLabel('Verification code').fill(await latestCode(server, email));
    await Promise.all([page.waitForURL((url) => url.href.startsWith(callback)), page.getByRole('button', { name: 'Verify' }).click()]);
    await exchange(poolId, clientId, page.url(), flow.verifier);

    // Too many password-recovery requests for one name: the 429 page.
    const fresh = await context.newPage();
    const forgotUrl = authorize(poolId, clientId, pkce().challenge).replace('/oauth2/authorize', '/forgotPassword');
    let status = 0;
    for (let i = 0; i < 6 && status !== 429; i++) {
      await fresh.goto(forgotUrl);
      await fresh.getByLabel('Username or email').fill(email);
      const [response] = await Promise.all([
        fresh.waitForResponse((r) => r.request().method() === 'POST'),
        fresh.getByRole('button', { name: 'Send code' }).click(),
      ]);
      status = response.status();
      await fresh.waitForLoadState();
    }
    expect(status).toBe(429);
    await expect(fresh.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Too many requests');
    await shot(fresh, 'rate-limited');
    await context.close();
  }, 60_000);
});
