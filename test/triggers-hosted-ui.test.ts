import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import { CreateResourceServerCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from './support/test-server.js';
import { PASSWORD, adminUser, createClient, createPool, unique } from './support/cognito.js';
import { latestCode } from './support/outbox.js';
import { CookieJar, csrfOf, pkce, postForm, signInThroughHostedUi } from './support/hosted-ui.js';
import { arnOf, WebhookReceiver, type WebhookReply } from './support/triggers.js';

// The Lambda triggers in the hosted and OAuth flows, observed by a real webhook: PreAuthentication
// and PostAuthentication on the login page, PreTokenGeneration when /oauth2/token issues tokens for
// a code (TokenGeneration_HostedAuth), for a refresh (TokenGeneration_RefreshTokens) and, with
// V3_0 only, for client_credentials (TokenGeneration_ClientCredentials); PreSignUp, CustomMessage
// and PostConfirmation from the sign-up, confirmation and recovery pages.

let server: TestServer;
let idp: CognitoIdentityProviderClient;
let hook: WebhookReceiver;
let answer: (event: any) => WebhookReply;
const HOOK = arnOf('hosted-hook');
const CALLBACK = 'https://app.example.com/cb';

beforeAll(async () => {
  server = await startTestServer();
  idp = server.client();
  hook = await WebhookReceiver.start((event) => answer(event));
  await hook.register(server, HOOK);
});
afterAll(async () => {
  await hook?.close();
  await server?.close();
});
beforeEach(() => {
  answer = () => undefined;
  hook.calls.length = 0;
});

const sources = () => hook.calls.map((call) => call.event.triggerSource as string);
const eventOf = (source: string) => hook.calls.find((call) => call.event.triggerSource === source)?.event;

const OAUTH = { AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['code' as const], AllowedOAuthScopes: ['openid', 'email'], CallbackURLs: [CALLBACK] };

async function tokenRequest(poolId: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}/${poolId}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

describe('hosted sign-in and the token endpoint', () => {
  it('runs PreAuthentication and PostAuthentication on the login page, and PreTokenGeneration for the code and the refresh', async () => {
    const poolId = await createPool(idp, {
      LambdaConfig: { PreAuthentication: HOOK, PostAuthentication: HOOK, PreTokenGenerationConfig: { LambdaArn: HOOK, LambdaVersion: 'V2_0' } },
    });
    const { clientId } = await createClient(idp, poolId, OAUTH);
    const username = unique('hosted');
    await adminUser(idp, poolId, username, { email: `${username}@example.com`, email_verified: 'true' });
    answer = (event) => {
      if (!event.triggerSource.startsWith('TokenGeneration_')) return undefined;
      return {
        body: {
          ...event,
          response: {
            claimsAndScopeOverrideDetails: {
              idTokenGeneration: { claimsToAddOrOverride: { plan: `gold-${event.triggerSource}` } },
              accessTokenGeneration: { claimsToAddOrOverride: { tenant: 'acme' }, scopesToAdd: ['extra/scope'] },
            },
          },
        },
      };
    };

    const { verifier, challenge } = pkce();
    const callback = await signInThroughHostedUi(
      new CookieJar(),
      `${server.url}/${poolId}`,
      { client_id: clientId, response_type: 'code', redirect_uri: CALLBACK, scope: 'openid email', code_challenge: challenge, code_challenge_method: 'S256' },
      username,
      PASSWORD,
    );
    expect(sources()).toEqual(['PreAuthentication_Authentication', 'PostAuthentication_Authentication']);
    expect(eventOf('PreAuthentication_Authentication')).toMatchObject({
      version: '1',
      userPoolId: poolId,
      userName: username,
      callerContext: { clientId },
      request: { userAttributes: { email: `${username}@example.com` }, validationData: null },
    });

    const exchanged = await tokenRequest(poolId, {
      grant_type: 'authorization_code',
      client_id: clientId,
      code: callback.searchParams.get('code')!,
      redirect_uri: CALLBACK,
      code_verifier: verifier,
    });
    expect(exchanged.status).toBe(200);
    const hosted = eventOf('TokenGeneration_HostedAuth');
    expect(hosted).toMatchObject({
      version: '2',
      userName: username,
      callerContext: { clientId },
      request: { scopes: ['openid', 'email'], groupConfiguration: { groupsToOverride: [] } },
      response: { claimsAndScopeOverrideDetails: null },
    });
    expect(decodeJwt(exchanged.body.id_token).plan).toBe('gold-TokenGeneration_HostedAuth');
    const access = decodeJwt(exchanged.body.access_token);
    expect(access.tenant).toBe('acme');
    expect(access.scope).toBe('openid email extra/scope');

    hook.calls.length = 0;
    const refreshed = await tokenRequest(poolId, { grant_type: 'refresh_token', client_id: clientId, refresh_token: exchanged.body.refresh_token });
    expect(refreshed.status).toBe(200);
    expect(sources()).toEqual(['TokenGeneration_RefreshTokens']);
    // The trigger sees the scopes the OAuth session was granted.
    expect(eventOf('TokenGeneration_RefreshTokens').request.scopes).toEqual(['openid', 'email']);
    expect(decodeJwt(refreshed.body.id_token).plan).toBe('gold-TokenGeneration_RefreshTokens');

    // A refusal at the token endpoint: an OAuth error with Lambda's message, no tokens.
    answer = (event) => (event.triggerSource === 'TokenGeneration_RefreshTokens' ? { status: 400, body: { errorMessage: 'Plan expired' } } : undefined);
    const refused = await tokenRequest(poolId, { grant_type: 'refresh_token', client_id: clientId, refresh_token: exchanged.body.refresh_token });
    expect(refused).toEqual({ status: 400, body: { error: 'invalid_request', error_description: 'PreTokenGeneration failed with error Plan expired.' } });
  });

  it('shows a PreAuthentication refusal on the login page, and signs in nobody', async () => {
    const poolId = await createPool(idp, { LambdaConfig: { PreAuthentication: HOOK, PostAuthentication: HOOK } });
    const { clientId } = await createClient(idp, poolId, { ...OAUTH, GenerateSecret: true });
    const username = unique('refused');
    await adminUser(idp, poolId, username);
    answer = () => ({ status: 400, body: { errorMessage: 'Not <b>today</b>' } });
    const url = `${server.url}/${poolId}/login?${new URLSearchParams({ client_id: clientId, response_type: 'code', redirect_uri: CALLBACK, scope: 'openid' })}`;
    const jar = new CookieJar();
    const page = await (await jar.fetch(url)).text();
    const response = await postForm(jar, url, { _csrf: csrfOf(page), username, password: PASSWORD });
    expect(response.status).toBe(400);
    // Escaped, in the alert; the confidential client's SECRET_HASH was supplied by the page.
    expect(await response.text()).toContain('PreAuthentication failed with error Not &lt;b&gt;today&lt;/b&gt;.');
    expect(sources()).toEqual(['PreAuthentication_Authentication']);
    expect([...jar.cookies.keys()].some((name) => name.startsWith('fd_session_'))).toBe(false);
  });
});

describe('UserMigration on the login page', () => {
  it('migrates an unknown user who signs in on the hosted page, then signs them in', async () => {
    const poolId = await createPool(idp, { LambdaConfig: { UserMigration: HOOK } });
    const { clientId } = await createClient(idp, poolId, { ...OAUTH, GenerateSecret: true });
    const username = unique('legacy');
    answer = (event) =>
      event.triggerSource === 'UserMigration_Authentication' && event.request.password === PASSWORD
        ? {
            body: {
              ...event,
              response: { userAttributes: { email: `${username}@example.com`, email_verified: 'true' }, finalUserStatus: 'CONFIRMED', messageAction: 'SUPPRESS' },
            },
          }
        : { status: 400, body: { errorMessage: 'Bad password' } };
    const jar = new CookieJar();
    const url = `${server.url}/${poolId}/login?${new URLSearchParams({ client_id: clientId, response_type: 'code', redirect_uri: CALLBACK, scope: 'openid' })}`;
    const page = await (await jar.fetch(url)).text();
    const wrong = await postForm(jar, url, { _csrf: csrfOf(page), username, password: 'Not-the-1-password' });
    expect(wrong.status).toBe(400);
    const signedIn = await postForm(jar, url, { _csrf: csrfOf(page), username, password: PASSWORD });
    expect(signedIn.status).toBe(302);
    expect(new URL(signedIn.headers.get('location')!).searchParams.get('code')).toBeTruthy();
    expect(eventOf('UserMigration_Authentication')).toMatchObject({ userName: username, callerContext: { clientId } });
  });
});

describe('client_credentials', () => {
  async function m2mPool(version: 'V2_0' | 'V3_0') {
    const poolId = await createPool(idp, { LambdaConfig: { PreTokenGenerationConfig: { LambdaArn: HOOK, LambdaVersion: version } } });
    await idp.send(
      new CreateResourceServerCommand({
        UserPoolId: poolId,
        Identifier: 'orders',
        Name: 'Orders',
        Scopes: [
          { ScopeName: 'read', ScopeDescription: 'Read' },
          { ScopeName: 'write', ScopeDescription: 'Write' },
        ],
      }),
    );
    const created = await createClient(idp, poolId, {
      GenerateSecret: true,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthScopes: ['orders/read', 'orders/write'],
    });
    return { poolId, clientId: created.clientId, basic: `Basic ${Buffer.from(`${created.clientId}:${created.clientSecret}`).toString('base64')}` };
  }

  it('runs the V3 trigger (TokenGeneration_ClientCredentials) with aws_client_metadata, and applies its access-token answer', async () => {
    const { poolId, clientId, basic } = await m2mPool('V3_0');
    answer = (event) => ({
      body: {
        ...event,
        response: {
          claimsAndScopeOverrideDetails: {
            idTokenGeneration: { claimsToAddOrOverride: { ignored: 'yes' } },
            accessTokenGeneration: {
              claimsToAddOrOverride: { environment: event.request.clientMetadata?.environment, sub: 'forged' },
              scopesToSuppress: ['orders/write'],
              scopesToAdd: ['orders/audit'],
            },
          },
        },
      },
    });
    const issued = await tokenRequest(poolId, { grant_type: 'client_credentials', aws_client_metadata: JSON.stringify({ environment: 'dev' }) }, { authorization: basic });
    expect(issued.status).toBe(200);
    const { region, ...event } = hook.calls[0]!.event;
    expect(region).toBeTruthy();
    expect(event).toEqual({
      version: '3',
      triggerSource: 'TokenGeneration_ClientCredentials',
      userPoolId: poolId,
      userName: null,
      callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId },
      request: { userAttributes: {}, groupConfiguration: null, scopes: ['orders/read', 'orders/write'], clientMetadata: { environment: 'dev' } },
      response: { claimsAndScopeOverrideDetails: null },
    });
    const access = decodeJwt(issued.body.access_token);
    expect(access).toMatchObject({ environment: 'dev', sub: clientId, client_id: clientId, scope: 'orders/read orders/audit' });
    expect(access).not.toHaveProperty('ignored');

    const bad = await tokenRequest(poolId, { grant_type: 'client_credentials', aws_client_metadata: '[1]' }, { authorization: basic });
    expect(bad).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
  });

  it('does not run a V2 trigger for machine tokens, as Cognito', async () => {
    const { poolId, basic } = await m2mPool('V2_0');
    const issued = await tokenRequest(poolId, { grant_type: 'client_credentials' }, { authorization: basic });
    expect(issued.status).toBe(200);
    expect(hook.calls).toHaveLength(0);
  });
});

describe('hosted sign-up, confirmation and recovery pages', () => {
  it('fire PreSignUp, CustomMessage and PostConfirmation through the user services', async () => {
    const poolId = await createPool(idp, {
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      LambdaConfig: { PreSignUp: HOOK, CustomMessage: HOOK, PostConfirmation: HOOK },
    });
    const { clientId } = await createClient(idp, poolId, OAUTH);
    const query = new URLSearchParams({ client_id: clientId, response_type: 'code', redirect_uri: CALLBACK, scope: 'openid', code_challenge: pkce().challenge, code_challenge_method: 'S256' });
    const email = `${unique('pages')}@example.com`;
    answer = (event) =>
      event.triggerSource.startsWith('CustomMessage_')
        ? { body: { ...event, response: { emailSubject: 'Welcome', emailMessage: `Your code: ${event.request.codeParameter}`, smsMessage: null } } }
        : undefined;
    const jar = new CookieJar();
    const signupUrl = `${server.url}/${poolId}/signup?${query}`;
    const signup = await (await jar.fetch(signupUrl)).text();
    const created = await postForm(jar, signupUrl, { _csrf: csrfOf(signup), attr_email: email, password: PASSWORD, confirm_password: PASSWORD });
    expect(created.status).toBe(302);
    expect(sources()).toEqual(['PreSignUp_SignUp', 'CustomMessage_SignUp']);
    expect(eventOf('PreSignUp_SignUp')).toMatchObject({ callerContext: { clientId }, request: { userAttributes: { email } } });

    const confirmUrl = new URL(created.headers.get('location')!, server.url).href;
    const confirmPage = await (await jar.fetch(confirmUrl)).text();
    const confirmed = await postForm(jar, confirmUrl, { _csrf: csrfOf(confirmPage), username: email, code: await latestCode(server, email), action: 'confirm' });
    expect(confirmed.status).toBe(302);
    expect(sources()).toEqual(['PreSignUp_SignUp', 'CustomMessage_SignUp', 'PostConfirmation_ConfirmSignUp']);

    hook.calls.length = 0;
    const forgotUrl = `${server.url}/${poolId}/forgotPassword?${query}`;
    const forgot = await (await jar.fetch(forgotUrl)).text();
    const sent = await postForm(jar, forgotUrl, { _csrf: csrfOf(forgot), username: email });
    expect(sent.status).toBe(302);
    expect(sources()).toEqual(['CustomMessage_ForgotPassword']);
    const resetUrl = new URL(sent.headers.get('location')!, server.url).href;
    const reset = await (await jar.fetch(resetUrl)).text();
    const changed = await postForm(jar, resetUrl, {
      _csrf: csrfOf(reset),
      username: email,
      code: await latestCode(server, email),
      password: `${PASSWORD}-2`,
      confirm_password: `${PASSWORD}-2`,
    });
    expect(changed.status).toBe(302);
    expect(sources()).toEqual(['CustomMessage_ForgotPassword', 'PostConfirmation_ConfirmForgotPassword']);
  });
});
