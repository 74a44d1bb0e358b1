import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminInitiateAuthCommand,
  AdminListUserAuthEventsCommand,
  AdminRespondToAuthChallengeCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateAuthEventFeedbackCommand,
  DescribeRiskConfigurationCommand,
  InitiateAuthCommand,
  SetRiskConfigurationCommand,
  SetUserPoolMfaConfigCommand,
  UpdateAuthEventFeedbackCommand,
  type AuthEventType,
  type CognitoIdentityProviderClient,
  type SetRiskConfigurationRequest,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from './support/test-server.js';
import { PASSWORD, adminUser, createClient, createPool, expectError, unique } from './support/cognito.js';
import { messagesTo } from './support/outbox.js';
import { rawCall } from './support/signed-fetch.js';

// Adaptive authentication (Cognito's threat protection): risk configurations, risk decisions
// driven by request IPs (AdminInitiateAuth's ContextData), the block and skip lists, actions in
// ENFORCED and AUDIT mode, notification emails, feedback that changes later decisions, and
// compromised credentials.

let server: TestServer;
let idp: CognitoIdentityProviderClient;
let poolId: string;
let clientId: string;

const BLOCKED = { name: 'NotAuthorizedException', message: 'Unable to login because of security reasons.' };

beforeAll(async () => {
  server = await startTestServer();
  idp = server.client();
  poolId = await createPool(idp, { UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' } });
  await idp.send(
    new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'OPTIONAL', EmailMfaConfiguration: {}, SoftwareTokenMfaConfiguration: { Enabled: true } }),
  );
  ({ clientId } = await createClient(idp, poolId));
});
afterAll(async () => {
  await server?.close();
});

const setRisk = (input: Partial<SetRiskConfigurationRequest>, pool = poolId) => idp.send(new SetRiskConfigurationCommand({ UserPoolId: pool, ...input }));

function signInFrom(ip: string, username: string, password = PASSWORD, pool = poolId, client = clientId) {
  return idp.send(
    new AdminInitiateAuthCommand({
      UserPoolId: pool,
      ClientId: client,
      AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: username, PASSWORD: password },
      ContextData: { IpAddress: ip, ServerName: 'app.example.com', ServerPath: '/login', HttpHeaders: [] },
    }),
  );
}

/**
 * A user's auth events, newest first, read over the wire: the SDK drops members it does not
 * model, and Frontdesk's FrontdeskRiskSignals (why each decision was taken) is one. Dates stay
 * epoch seconds.
 */
async function events(username: string, pool = poolId): Promise<RawEvent[]> {
  const response = await rawCall(
    server.url,
    'AWSCognitoIdentityProviderService.AdminListUserAuthEvents',
    JSON.stringify({ UserPoolId: pool, Username: username, MaxResults: 60 }),
    { credentials: server.admin },
  );
  if (response.status !== 200) throw new Error(`AdminListUserAuthEvents failed: ${response.text}`);
  return response.body.AuthEvents;
}
type RawEvent = Omit<AuthEventType, 'CreationDate'> & { CreationDate: number; FrontdeskRiskSignals: string[] };

async function newUser(): Promise<{ username: string; email: string }> {
  const username = unique('risk');
  const email = `${username}@example.com`;
  await adminUser(idp, poolId, username, { email, email_verified: 'true' });
  return { username, email };
}

describe('risk configuration', () => {
  it('sets and describes the pool-wide and per-client configurations', async () => {
    const pool = await createPool(idp, { UserPoolAddOns: { AdvancedSecurityMode: 'AUDIT' } });
    const { clientId: client } = await createClient(idp, pool);
    expect((await idp.send(new DescribeRiskConfigurationCommand({ UserPoolId: pool }))).RiskConfiguration).toEqual({ UserPoolId: pool });
    const set = await setRisk(
      {
        AccountTakeoverRiskConfiguration: { Actions: { HighAction: { EventAction: 'BLOCK', Notify: true } } },
        RiskExceptionConfiguration: { BlockedIPRangeList: ['198.51.100.0/24'], SkippedIPRangeList: ['2001:db8::/32'] },
      },
      pool,
    );
    expect(set.RiskConfiguration).toMatchObject({ UserPoolId: pool, ClientId: 'ALL', RiskExceptionConfiguration: { BlockedIPRangeList: ['198.51.100.0/24'] } });
    expect(set.RiskConfiguration!.LastModifiedDate).toBeInstanceOf(Date);
    await setRisk({ ClientId: client, CompromisedCredentialsRiskConfiguration: { Actions: { EventAction: 'BLOCK' } } }, pool);
    const forClient = await idp.send(new DescribeRiskConfigurationCommand({ UserPoolId: pool, ClientId: client }));
    expect(forClient.RiskConfiguration).toMatchObject({ ClientId: client, CompromisedCredentialsRiskConfiguration: { Actions: { EventAction: 'BLOCK' } } });
    expect(forClient.RiskConfiguration!.AccountTakeoverRiskConfiguration).toBeUndefined();
    expect((await idp.send(new DescribeRiskConfigurationCommand({ UserPoolId: pool }))).RiskConfiguration!.ClientId).toBe('ALL');

    await expectError(setRisk({ RiskExceptionConfiguration: { BlockedIPRangeList: ['10.0.0.0/33'] } }, pool), {
      name: 'InvalidParameterException',
      message: 'Invalid IP range: 10.0.0.0/33',
    });
    await expectError(setRisk({ ClientId: 'nosuchclient' }, pool), { name: 'ResourceNotFoundException' });
    const off = await createPool(idp);
    await expectError(setRisk({}, off), { name: 'UserPoolAddOnNotEnabledException' });
    await expectError(idp.send(new DescribeRiskConfigurationCommand({ UserPoolId: off })), { name: 'UserPoolAddOnNotEnabledException' });
  });
});

describe('risk decisions (ENFORCED)', () => {
  it('logs a first sign-in as NoRisk and a new IP as Low risk, explaining why', async () => {
    const { username } = await newUser();
    expect((await signInFrom('192.0.2.10', username)).AuthenticationResult).toBeDefined();
    expect((await signInFrom('192.0.2.11', username)).AuthenticationResult).toBeDefined();
    const [second, first] = await events(username);
    expect(first).toMatchObject({
      EventType: 'SignIn',
      EventResponse: 'Pass',
      EventRisk: { RiskDecision: 'NoRisk', CompromisedCredentialsDetected: false },
      ChallengeResponses: [{ ChallengeName: 'Password', ChallengeResponse: 'Success' }],
      EventContextData: { IpAddress: '192.0.2.10' },
    });
    expect(second).toMatchObject({ EventResponse: 'Pass', EventRisk: { RiskDecision: 'AccountTakeover', RiskLevel: 'Low' } });
    expect(second!.FrontdeskRiskSignals).toContain('new IP address 192.0.2.11 for this user');
    expect(typeof second!.CreationDate).toBe('number');
    const listed = await idp.send(new AdminListUserAuthEventsCommand({ UserPoolId: poolId, Username: username }));
    expect(listed.AuthEvents![0]!.CreationDate).toBeInstanceOf(Date);
    expect(listed.AuthEvents![0]!.EventId).toBe(second!.EventId);
  });

  it('demands MFA where the action says so, notifies the user, and the one-click feedback works', async () => {
    const pool = await createPool(idp, { UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' } });
    await idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: pool, MfaConfiguration: 'OPTIONAL', EmailMfaConfiguration: {} }));
    const { clientId: client } = await createClient(idp, pool);
    await setRisk(
      {
        AccountTakeoverRiskConfiguration: {
          Actions: { LowAction: { EventAction: 'MFA_REQUIRED', Notify: true } },
          NotifyConfiguration: { SourceArn: 'arn:aws:ses:us-east-1:000000000000:identity/example.com', From: 'security@example.com', MfaEmail: { Subject: 'Was this you?', TextBody: 'Sign-in from {ip-address}. Not you? {one-click-link-invalid}' } },
        },
      },
      pool,
    );
    const username = unique('mfa');
    const email = `${username}@example.com`;
    await adminUser(idp, pool, username, { email, email_verified: 'true' });
    expect((await signInFrom('192.0.2.20', username, PASSWORD, pool, client)).AuthenticationResult).toBeDefined();

    const challenge = await signInFrom('192.0.2.21', username, PASSWORD, pool, client);
    expect(challenge.ChallengeName).toBe('EMAIL_OTP');
    const [notice] = (await messagesTo(server, email)).filter((m) => m.Subject === 'Was this you?');
    expect(notice!.Body).toMatch(/^Sign-in from 192\.0\.2\.21\. Not you\? http/);
    // The code and the notification both went to the user's email.
    const codeMessage = (await messagesTo(server, email)).find((m) => m.Subject === 'Your authentication code');
    const code = codeMessage!.Body.match(/\b(\d{6})\b/)![1]!;
    const done = await idp.send(
      new AdminRespondToAuthChallengeCommand({
        UserPoolId: pool,
        ClientId: client,
        ChallengeName: 'EMAIL_OTP',
        Session: challenge.Session,
        ChallengeResponses: { USERNAME: username, EMAIL_OTP_CODE: code },
      }),
    );
    expect(done.AuthenticationResult).toBeDefined();
    const [risky] = await events(username, pool);
    expect(risky).toMatchObject({
      EventResponse: 'Pass',
      EventRisk: { RiskDecision: 'AccountTakeover', RiskLevel: 'Low' },
      ChallengeResponses: [
        { ChallengeName: 'Password', ChallengeResponse: 'Success' },
        { ChallengeName: 'Mfa', ChallengeResponse: 'Success' },
      ],
    });

    // The link in the notification carries what UpdateAuthEventFeedback needs.
    const link = new URL(notice!.Body.match(/(http\S+)/)![1]!);
    expect(link.searchParams.get('event_id')).toBe(risky!.EventId);
    await expectError(
      idp.send(new UpdateAuthEventFeedbackCommand({ UserPoolId: pool, Username: username, EventId: risky!.EventId, FeedbackToken: 'forged', FeedbackValue: 'Invalid' })),
      { name: 'NotAuthorizedException', message: 'Invalid feedback token.' },
    );
    await idp.send(
      new UpdateAuthEventFeedbackCommand({
        UserPoolId: pool,
        Username: username,
        EventId: link.searchParams.get('event_id')!,
        FeedbackToken: link.searchParams.get('feedback_token')!,
        FeedbackValue: 'Invalid',
      }),
    );
    const [marked] = await events(username, pool);
    expect(marked!.EventFeedback).toMatchObject({ FeedbackValue: 'Invalid', Provider: 'userNotification' });
    // A sign-in from the reported address is now high risk: MFA_REQUIRED is not configured for
    // High, so the default (MFA_REQUIRED) applies.
    const again = await signInFrom('192.0.2.21', username, PASSWORD, pool, client);
    expect(again.ChallengeName).toBe('EMAIL_OTP');
    const [high] = await events(username, pool);
    expect(high!.EventRisk).toMatchObject({ RiskLevel: 'High' });
    expect(high!.FrontdeskRiskSignals!.join(' ')).toMatch(/was marked Invalid/);
  });

  it('blocks at the configured level, and Valid feedback makes an address known', async () => {
    const pool = await createPool(idp, { UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' } });
    const { clientId: client } = await createClient(idp, pool);
    await setRisk({ AccountTakeoverRiskConfiguration: { Actions: { LowAction: { EventAction: 'BLOCK', Notify: false } } } }, pool);
    const username = unique('blk');
    await adminUser(idp, pool, username);
    await signInFrom('192.0.2.30', username, PASSWORD, pool, client);
    await expectError(signInFrom('192.0.2.31', username, PASSWORD, pool, client), BLOCKED);
    const [blocked] = await events(username, pool);
    expect(blocked).toMatchObject({ EventResponse: 'Fail', EventRisk: { RiskDecision: 'Block', RiskLevel: 'Low' } });
    await idp.send(new AdminUpdateAuthEventFeedbackCommand({ UserPoolId: pool, Username: username, EventId: blocked!.EventId, FeedbackValue: 'Valid' }));
    expect((await signInFrom('192.0.2.31', username, PASSWORD, pool, client)).AuthenticationResult).toBeDefined();
    await expectError(
      idp.send(new AdminUpdateAuthEventFeedbackCommand({ UserPoolId: pool, Username: username, EventId: 'nope', FeedbackValue: 'Valid' })),
      { name: 'ResourceNotFoundException' },
    );
  });

  it('refuses addresses on the block list and does not assess those on the skip list', async () => {
    await setRisk({ RiskExceptionConfiguration: { BlockedIPRangeList: ['203.0.113.0/24'], SkippedIPRangeList: ['198.18.0.0/15'] } });
    const { username } = await newUser();
    await expectError(signInFrom('203.0.113.7', username), BLOCKED);
    expect((await signInFrom('198.18.4.4', username)).AuthenticationResult).toBeDefined();
    expect((await signInFrom('198.19.0.1', username)).AuthenticationResult).toBeDefined();
    const [skipped, , blocked] = await events(username);
    expect(blocked).toMatchObject({ EventResponse: 'Fail', EventRisk: { RiskDecision: 'Block' } });
    expect(skipped).toMatchObject({ EventResponse: 'Pass', EventRisk: { RiskDecision: 'NoRisk' } });
    expect(skipped!.FrontdeskRiskSignals![0]).toMatch(/SkippedIPRangeList/);
    await setRisk({});
  });

  it('counts recent failed attempts as a signal', async () => {
    const { username } = await newUser();
    await signInFrom('192.0.2.40', username);
    for (let i = 0; i < 3; i++) await expectError(signInFrom('192.0.2.40', username, 'Wrong-passw0rd'), { name: 'NotAuthorizedException' });
    expect((await signInFrom('192.0.2.40', username)).AuthenticationResult).toBeDefined();
    const [latest] = await events(username);
    expect(latest!.EventRisk!.RiskLevel).toBe('Low');
    expect(latest!.FrontdeskRiskSignals).toContain('3 recent failed sign-in attempts');
  });

  it('pages AdminListUserAuthEvents newest first', async () => {
    const { username } = await newUser();
    for (let i = 0; i < 3; i++) await signInFrom('192.0.2.50', username);
    const first = await idp.send(new AdminListUserAuthEventsCommand({ UserPoolId: poolId, Username: username, MaxResults: 2 }));
    expect(first.AuthEvents).toHaveLength(2);
    const second = await idp.send(new AdminListUserAuthEventsCommand({ UserPoolId: poolId, Username: username, MaxResults: 2, NextToken: first.NextToken }));
    expect(second.AuthEvents).toHaveLength(1);
    expect(second.NextToken).toBeUndefined();
    const ids = [...first.AuthEvents!, ...second.AuthEvents!].map((e) => e.EventId);
    expect(new Set(ids).size).toBe(3);
  });
});

describe('AUDIT mode and compromised credentials', () => {
  it('AUDIT logs decisions without acting on them', async () => {
    const pool = await createPool(idp, { UserPoolAddOns: { AdvancedSecurityMode: 'AUDIT' } });
    const { clientId: client } = await createClient(idp, pool);
    await setRisk({ RiskExceptionConfiguration: { BlockedIPRangeList: ['203.0.113.0/24'] } }, pool);
    const username = unique('audit');
    await adminUser(idp, pool, username);
    expect((await signInFrom('203.0.113.9', username, PASSWORD, pool, client)).AuthenticationResult).toBeDefined();
    const [event] = await events(username, pool);
    expect(event).toMatchObject({ EventResponse: 'Pass', EventRisk: { RiskDecision: 'Block' } });
    expect(event!.FrontdeskRiskSignals).toContain('AUDIT mode: not enforced');
  });

  it('detects a breached password at sign-in: logged, or blocked where the action is BLOCK', async () => {
    const username = unique('weak');
    await adminUser(idp, poolId, username, {}, 'P@ssw0rd!');
    expect((await signInFrom('192.0.2.60', username, 'P@ssw0rd!')).AuthenticationResult).toBeDefined();
    const [logged] = await events(username);
    expect(logged!.EventRisk!.CompromisedCredentialsDetected).toBe(true);

    await setRisk({ CompromisedCredentialsRiskConfiguration: { Actions: { EventAction: 'BLOCK' } } });
    await expectError(signInFrom('192.0.2.60', username, 'P@ssw0rd!'), BLOCKED);
    await expectError(
      idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: 'P@ssw0rd!' } })),
      BLOCKED,
    );
    // A password that is not on the list signs in.
    await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: 'Unusual-Pass-42', Permanent: true }));
    expect((await signInFrom('192.0.2.60', username, 'Unusual-Pass-42')).AuthenticationResult).toBeDefined();
    await setRisk({});
  });
});
