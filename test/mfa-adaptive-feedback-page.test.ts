import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminInitiateAuthCommand,
  AdminListUserAuthEventsCommand,
  SetRiskConfigurationCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from './support/test-server.js';
import { PASSWORD, adminUser, createClient, createPool, unique } from './support/cognito.js';
import { messagesTo } from './support/outbox.js';
import { CookieJar, csrfOf } from './support/hosted-ui.js';

// The /auth-event-feedback page the one-click links of risk notifications open: GET shows the
// event and changes nothing; the page's form (POST, CSRF token) records Valid or Invalid through
// the same service as UpdateAuthEventFeedback.

let server: TestServer;
let idp: CognitoIdentityProviderClient;
let poolId: string;
let clientId: string;

beforeAll(async () => {
  server = await startTestServer();
  idp = server.client();
  poolId = await createPool(idp, { UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' } });
  ({ clientId } = await createClient(idp, poolId));
  // Every Low-risk sign-in (a new IP address) passes, and the user is told.
  await idp.send(
    new SetRiskConfigurationCommand({
      UserPoolId: poolId,
      AccountTakeoverRiskConfiguration: {
        Actions: { LowAction: { EventAction: 'NO_ACTION', Notify: true } },
        NotifyConfiguration: { SourceArn: 'arn:aws:ses:us-east-1:000000000000:identity/example.com', From: 'security@example.com' },
      },
    }),
  );
});
afterAll(async () => {
  await server?.close();
});

const signInFrom = (ip: string, username: string) =>
  idp.send(
    new AdminInitiateAuthCommand({
      UserPoolId: poolId,
      ClientId: clientId,
      AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: username, PASSWORD },
      ContextData: { IpAddress: ip, ServerName: 'app.example.com', ServerPath: '/login', HttpHeaders: [] },
    }),
  );

/** A user, a sign-in from a new address, and the two links of the notification it caused. */
async function notified(name = unique('fb')): Promise<{ username: string; valid: URL; invalid: URL }> {
  const email = `${unique('mail')}@example.com`;
  await adminUser(idp, poolId, name, { email, email_verified: 'true' });
  await signInFrom('192.0.2.10', name);
  // Strictly later, so it is the newest event whatever the ids.
  server.clock.advance(1000);
  await signInFrom('203.0.113.77', name);
  const [notice] = await messagesTo(server, email);
  const links = [...notice!.Body.matchAll(/(http\S+)/g)].map((m) => new URL(m[1]!));
  const valid = links.find((l) => l.searchParams.get('feedback_value') === 'Valid')!;
  const invalid = links.find((l) => l.searchParams.get('feedback_value') === 'Invalid')!;
  expect(valid.pathname).toBe('/auth-event-feedback');
  return { username: name, valid, invalid };
}

const latestEvent = async (username: string) =>
  (await idp.send(new AdminListUserAuthEventsCommand({ UserPoolId: poolId, Username: username, MaxResults: 1 }))).AuthEvents![0]!;

const post = (jar: CookieJar, url: string, fields: Record<string, string>) =>
  jar.fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });

/** The hidden fields of the page's form. */
function formFields(page: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const m of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields[m[1]!] = m[2]!.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#39;/g, "'").replace(/&#96;/g, '`').replace(/&amp;/g, '&');
  }
  return fields;
}

describe('/auth-event-feedback', () => {
  it('GET shows the event with the hosted pages’ protections and changes nothing; the form records the answer', async () => {
    const { username, invalid } = await notified();
    const jar = new CookieJar();
    const response = await jar.fetch(invalid.href);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toMatch(/default-src 'none'.*form-action 'self'.*frame-ancestors 'none'/);
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    const page = await response.text();
    expect(page).toContain('Was this you?');
    expect(page).toContain('203.0.113.77');
    // The button the link named comes first, as the primary one.
    expect(page.indexOf('value="Invalid"')).toBeLessThan(page.indexOf('value="Valid"'));
    expect(page).toMatch(/<form method="post" action="\/auth-event-feedback">/);
    // Merely opening the link (a mail scanner does too) records nothing.
    expect((await latestEvent(username)).EventFeedback).toBeUndefined();

    const fields = formFields(page);
    expect(fields).toMatchObject({ user_pool_id: poolId, username, event_id: invalid.searchParams.get('event_id') });
    const answered = await post(jar, `${server.url}/auth-event-feedback`, { ...fields, feedback_value: 'Invalid' });
    expect(answered.status).toBe(200);
    expect(await answered.text()).toContain('We will treat sign-ins like this one as suspicious');
    expect((await latestEvent(username)).EventFeedback).toMatchObject({ FeedbackValue: 'Invalid', Provider: 'userNotification' });

    // Opened again, the page says so, and the answer can be changed.
    const again = await (await jar.fetch(invalid.href)).text();
    expect(again).toContain('You already answered: No, this was not me.');
    const changed = await post(jar, `${server.url}/auth-event-feedback`, { ...formFields(again), feedback_value: 'Valid' });
    expect(await changed.text()).toContain('We will remember this sign-in as yours.');
    expect((await latestEvent(username)).EventFeedback).toMatchObject({ FeedbackValue: 'Valid' });
  });

  it('refuses a POST without the CSRF token of the page', async () => {
    const { username, valid } = await notified();
    const jar = new CookieJar();
    const page = await (await jar.fetch(valid.href)).text();
    const fields = formFields(page);
    const forged = await post(new CookieJar(), `${server.url}/auth-event-feedback`, { ...fields, feedback_value: 'Valid' });
    expect(forged.status).toBe(403);
    const mismatched = await post(jar, `${server.url}/auth-event-feedback`, { ...fields, _csrf: 'x'.repeat(64), feedback_value: 'Valid' });
    expect(mismatched.status).toBe(403);
    expect((await latestEvent(username)).EventFeedback).toBeUndefined();
    expect(csrfOf(page)).not.toBe('');
  });

  it('answers a forged or incomplete link with the same page, revealing nothing', async () => {
    const { username, valid } = await notified();
    const forged = new URL(valid.href);
    forged.searchParams.set('feedback_token', 'forged-token');
    const otherUser = new URL(valid.href);
    otherUser.searchParams.set('username', unique('nobody'));
    const missing = new URL(valid.href);
    missing.searchParams.delete('event_id');
    const bodies: string[] = [];
    for (const url of [forged, otherUser, missing]) {
      const response = await fetch(url);
      expect(response.status).toBe(400);
      bodies.push(await response.text());
    }
    for (const body of bodies) expect(body).toContain('This link is not valid.');
    expect(bodies[0]).not.toContain('203.0.113.77');
    // A forged token in a POST (with a valid CSRF token) changes nothing either.
    const jar = new CookieJar();
    const page = await (await jar.fetch(valid.href)).text();
    const refused = await post(jar, `${server.url}/auth-event-feedback`, { ...formFields(page), feedback_token: 'forged-token', feedback_value: 'Invalid' });
    expect(refused.status).toBe(400);
    expect((await latestEvent(username)).EventFeedback).toBeUndefined();
  });

  it('is served under the issuer path too, only for the link’s own pool', async () => {
    const { valid } = await notified();
    const own = await fetch(`${server.url}/${poolId}/auth-event-feedback${valid.search}`);
    expect(own.status).toBe(200);
    expect(await own.text()).toMatch(/<form method="post" action="\/[^"]+\/auth-event-feedback">/);
    const other = await createPool(idp, { UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' } });
    const elsewhere = await fetch(`${server.url}/${other}/auth-event-feedback${valid.search}`);
    expect(elsewhere.status).toBe(400);
    expect(await elsewhere.text()).toContain('This link is not valid.');
  });

  it('escapes what it shows: a username with markup stays text', async () => {
    const { valid } = await notified(`${unique('x')}"><i>`);
    const page = await (await fetch(valid)).text();
    expect(page).not.toContain('"><i>');
    expect(page).toContain('&quot;&gt;&lt;i&gt;');
  });

  it('explains when the pool has no threat protection', async () => {
    const { username, valid } = await notified();
    const offPool = await createPool(idp);
    await adminUser(idp, offPool, username);
    const url = new URL(valid.href);
    url.searchParams.set('user_pool_id', offPool);
    const response = await fetch(url);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('Feedback is not available for this account.');
  });
});
