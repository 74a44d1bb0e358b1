import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from './support/test-server.js';
import { PASSWORD, adminUser, createClient, createPool, unique } from './support/cognito.js';
import { CookieJar, csrfOf, pkce, postForm } from './support/hosted-ui.js';
import { HOSTED_RATE_LIMITS, HostedRateLimits } from '../src/domain/oauth/hosted-rate-limits.js';

// Rate limits of the hosted pages that check passwords or send messages (login, sign-up, "send a
// new code", forgot password): per client address and per user name, counted in the database, so
// every node sees the same counts; over a limit the page answers 429 with Retry-After.

const CALLBACK = 'https://app.example.com/cb';
let server: TestServer;
let idp: CognitoIdentityProviderClient;

beforeAll(async () => {
  server = await startTestServer();
  idp = server.client();
});
afterAll(async () => {
  await server?.close();
});
let advanced = 0;
afterEach(() => {
  server.clock.advance(-advanced);
  advanced = 0;
});

async function hostedPool(input: object = {}) {
  const poolId = await createPool(idp, { UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'], ...input });
  const { clientId } = await createClient(idp, poolId, {
    PreventUserExistenceErrors: 'ENABLED',
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ['code'],
    AllowedOAuthScopes: ['openid', 'email'],
    CallbackURLs: [CALLBACK],
  });
  const query = new URLSearchParams({ client_id: clientId, response_type: 'code', redirect_uri: CALLBACK, scope: 'openid', lang: 'en', code_challenge: pkce().challenge, code_challenge_method: 'S256' });
  return { poolId, clientId, page: (path: string) => `${server.url}/${poolId}/${path}?${query}` };
}

/** Posts a page's form `times` times; the statuses. */
async function postRepeatedly(url: string, times: number, fields: (i: number) => Record<string, string>) {
  const jar = new CookieJar();
  const csrf = csrfOf(await (await jar.fetch(url)).text());
  const statuses: number[] = [];
  let last: Response | undefined;
  for (let i = 0; i < times; i++) {
    last = await postForm(jar, url, { _csrf: csrf, ...fields(i) });
    statuses.push(last.status);
  }
  return { statuses, last: last! };
}

describe('forgot password', () => {
  it('allows five codes per user name per window, then answers 429 with a page and Retry-After', async () => {
    const { page } = await hostedPool();
    const email = `${unique('victim')}@example.com`;
    const { statuses, last } = await postRepeatedly(page('forgotPassword'), 6, () => ({ username: email }));
    expect(statuses.slice(0, 5).every((s) => s !== 429)).toBe(true);
    expect(statuses[5]).toBe(429);
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(last.headers.get('retry-after'))).toBeLessThanOrEqual(15 * 60);
    expect(last.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const text = await last.text();
    expect(text).toContain('<h1 id="page-heading">Too many requests</h1>');
    expect(text).toContain('There have been too many attempts. Wait a few minutes, then try again.');

    // Another name is still served; the same name again after the window.
    const other = await postRepeatedly(page('forgotPassword'), 1, () => ({ username: `${unique('other')}@example.com` }));
    expect(other.statuses).toEqual([302]);
    server.clock.advance(15 * 60_000);
    advanced += 15 * 60_000;
    const later = await postRepeatedly(page('forgotPassword'), 1, () => ({ username: email }));
    expect(later.statuses).toEqual([302]);
  });

  it('allows twenty attempts per client address per window, whatever the names', async () => {
    const { page } = await hostedPool();
    const { statuses } = await postRepeatedly(page('forgotPassword'), 21, (i) => ({ username: `spray${i}-${unique('n')}@example.com` }));
    expect(statuses.slice(0, 20).every((s) => s === 302)).toBe(true);
    expect(statuses[20]).toBe(429);
  });
});

describe('sign-up, resend and login', () => {
  it('limits sign-ups and "send a new code" per name', async () => {
    const { page } = await hostedPool();
    const email = `${unique('signup')}@example.com`;
    // The first sign-up succeeds; repeats fail (the user exists) but still count.
    const signUps = await postRepeatedly(page('signup'), 6, () => ({ attr_email: email, password: PASSWORD, confirm_password: PASSWORD }));
    expect(signUps.statuses[0]).toBe(302);
    expect(signUps.statuses.slice(1, 5).every((s) => s === 400)).toBe(true);
    expect(signUps.statuses[5]).toBe(429);

    const resends = await postRepeatedly(page('confirm'), 6, () => ({ username: email, action: 'resend' }));
    expect(resends.statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(resends.statuses[5]).toBe(429);
    expect(await resends.last.text()).toContain('Too many requests');
  });

  it('limits password attempts per name on top of the lockout, in the page language', async () => {
    const { poolId, clientId } = await hostedPool();
    const email = `${unique('login')}@example.com`;
    await adminUser(idp, poolId, email, { email, email_verified: 'true' });
    const url = `${server.url}/${poolId}/login?${new URLSearchParams({ client_id: clientId, response_type: 'code', redirect_uri: CALLBACK, scope: 'openid', lang: 'de', code_challenge: pkce().challenge, code_challenge_method: 'S256' })}`;
    const { statuses, last } = await postRepeatedly(url, HOSTED_RATE_LIMITS.signIn.perName + 1, () => ({ username: email, password: 'Wrong-passw0rd' }));
    expect(statuses.slice(0, -1).every((s) => s === 400)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    const text = await last.text();
    expect(text).toContain('<html lang="de">');
    expect(text).toContain('Zu viele Anfragen');
  });
});

describe('the counters', () => {
  it('live in the database: what one node counted, another sees, and concurrent attempts are all counted', async () => {
    const { poolId, page } = await hostedPool();
    const email = `${unique('shared')}@example.com`;
    await postRepeatedly(page('forgotPassword'), 5, () => ({ username: email }));
    // Another node: its own limiter over the same database.
    const otherNode = new HostedRateLimits({ store: server.store, clock: server.clock });
    expect((await otherNode.attempt(poolId, 'forgotPassword', '203.0.113.9', email)).allowed).toBe(false);
    expect((await otherNode.attempt(poolId, 'forgotPassword', '203.0.113.9', `${unique('fresh')}@example.com`)).allowed).toBe(true);

    const strict = new HostedRateLimits(
      { store: server.store, clock: server.clock },
      { ...HOSTED_RATE_LIMITS, signUp: { perIp: 1000, perName: 5, windowMs: 60_000 } },
    );
    const name = unique('race');
    const decisions = await Promise.all(Array.from({ length: 12 }, () => strict.attempt(poolId, 'signUp', '198.51.100.7', name)));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(5);
  });
});
