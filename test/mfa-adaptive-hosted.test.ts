import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminGetUserCommand,
  AdminListUserAuthEventsCommand,
  SetRiskConfigurationCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from './support/test-server.js';
import { adminUser, createClient, createPool, expectError, unique } from './support/cognito.js';
import { CookieJar, csrfOf, pkce } from './support/hosted-ui.js';

// The compromised-credentials check on the hosted pages: the sign-up page (SIGN_UP) and the login
// page (SIGN_IN) go through the same services as the API, so BLOCK refuses there too.

let server: TestServer;
let idp: CognitoIdentityProviderClient;
let poolId: string;
let clientId: string;
const CALLBACK = 'https://app.example.com/cb';
const BREACHED = 'P@ssw0rd!';

beforeAll(async () => {
  server = await startTestServer();
  idp = server.client();
  poolId = await createPool(idp, { UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'], UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' } });
  ({ clientId } = await createClient(idp, poolId, {
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ['code'],
    AllowedOAuthScopes: ['openid', 'email'],
    CallbackURLs: [CALLBACK],
  }));
  await idp.send(new SetRiskConfigurationCommand({ UserPoolId: poolId, CompromisedCredentialsRiskConfiguration: { Actions: { EventAction: 'BLOCK' } } }));
});
afterAll(async () => {
  await server?.close();
});

// A public client: the authorization request needs PKCE.
const authParams = () =>
  new URLSearchParams({ client_id: clientId, response_type: 'code', redirect_uri: CALLBACK, scope: 'openid', state: 'cc', code_challenge: pkce().challenge, code_challenge_method: 'S256' }).toString();
const post = (jar: CookieJar, url: string, fields: Record<string, string>) =>
  jar.fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });

describe('compromised credentials on the hosted pages', () => {
  it('the sign-up page refuses a breached password and creates no user', async () => {
    const email = `${unique('hosted')}@example.com`;
    const jar = new CookieJar();
    const signup = `${server.url}/signup?${authParams()}`;
    const page = await (await jar.fetch(signup)).text();
    const refused = await post(jar, signup, { _csrf: csrfOf(page), attr_email: email, password: BREACHED, confirm_password: BREACHED });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('The password has appeared in a data breach or is too common.');
    await expectError(idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email })), { name: 'UserNotFoundException' });
  });

  it('the login page blocks a breached password: the user becomes RESET_REQUIRED and the event is logged', async () => {
    const email = `${unique('hostedin')}@example.com`;
    await adminUser(idp, poolId, email, { email, email_verified: 'true' }, BREACHED);
    const jar = new CookieJar();
    const loginUrl = `${server.url}/login?${authParams()}`;
    const login = await (await jar.fetch(loginUrl)).text();
    const refused = await post(jar, loginUrl, { _csrf: csrfOf(login), username: email, password: BREACHED });
    expect(refused.status).toBe(400);
    // The page says no more than for a wrong password.
    expect(await refused.text()).toContain('Incorrect username or password.');
    expect((await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email }))).UserStatus).toBe('RESET_REQUIRED');
    const [event] = (await idp.send(new AdminListUserAuthEventsCommand({ UserPoolId: poolId, Username: email }))).AuthEvents!;
    expect(event).toMatchObject({ EventType: 'SignIn', EventResponse: 'Fail', EventRisk: { RiskDecision: 'Block', CompromisedCredentialsDetected: true } });
    // The page passes the browser's address on, as the API passes the caller's.
    expect(event!.EventContextData?.IpAddress).toMatch(/^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/);
  });

  it('the sign-up page reports the browser\'s address in the SignUp event', async () => {
    const email = `${unique('hostedip')}@example.com`;
    const jar = new CookieJar();
    const signUpUrl = `${server.url}/signup?${authParams()}`;
    const form = await (await jar.fetch(signUpUrl)).text();
    const signedUp = await post(jar, signUpUrl, { _csrf: csrfOf(form), username: email, attr_email: email, password: 'An0ther-unusual-passw0rd!', confirm_password: 'An0ther-unusual-passw0rd!' });
    expect(signedUp.status).toBeLessThan(400);
    const events = (await idp.send(new AdminListUserAuthEventsCommand({ UserPoolId: poolId, Username: email }))).AuthEvents!;
    expect(events.find((e) => e.EventType === 'SignUp')?.EventContextData?.IpAddress).toMatch(/^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/);
  });
});
