import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { Amplify } from 'aws-amplify';
import { confirmSignIn, fetchAuthSession, signIn, signOut } from 'aws-amplify/auth';
import { startTestServer, type TestServer } from './support/test-server.js';
import { adminUser, createClient, createPool, expectError, PASSWORD, unique } from './support/cognito.js';
import { arnOf, fixture, moduleEvents, putFunction, WebhookReceiver } from './support/triggers.js';

// CUSTOM_AUTH and CUSTOM_WITH_SRP through the AWS SDK and Amplify v6: Define, Create and Verify as
// an in-process module, Verify also as a real webhook; passed and failed challenges, session
// history, unknown users.

let server: TestServer;
let idp: CognitoIdentityProviderClient;
let hook: WebhookReceiver;
const DEFINE = arnOf('custom-define');
const CREATE = arnOf('custom-create');
const VERIFY = arnOf('custom-verify');
const VERIFY_HOOK = arnOf('custom-verify-hook');
const LAMBDAS = { DefineAuthChallenge: DEFINE, CreateAuthChallenge: CREATE, VerifyAuthChallengeResponse: VERIFY };

beforeAll(async () => {
  server = await startTestServer({ env: { FRONTDESK_TRIGGER_CODE_FROM_API: 'on' } });
  idp = server.client();
  for (const [arn, handler] of [[DEFINE, 'define'], [CREATE, 'create'], [VERIFY, 'verify']] as const) {
    await putFunction(server, { FunctionArn: arn, Module: { Path: fixture('custom-auth.mjs'), Handler: handler } });
  }
  hook = await WebhookReceiver.start((event) => {
    event.response.answerCorrect = event.request.challengeAnswer.trim() === event.request.privateChallengeParameters.answer;
    return { body: event };
  });
  await hook.register(server, VERIFY_HOOK);
});
afterAll(async () => {
  await hook?.close();
  await server?.close();
});
beforeEach(() => {
  hook.calls.length = 0;
});

async function setUp(lambdas: object = LAMBDAS, clientInput: object = {}) {
  const poolId = await createPool(idp, { LambdaConfig: lambdas });
  const { clientId } = await createClient(idp, poolId, { ExplicitAuthFlows: ['ALLOW_CUSTOM_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'], ...clientInput });
  const username = unique('custom');
  await adminUser(idp, poolId, username, { email: `${username}@example.com` });
  return { poolId, clientId, username };
}

const start = (clientId: string, username: string, metadata?: Record<string, string>) =>
  idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: username }, ...(metadata ? { ClientMetadata: metadata } : {}) }));
const respond = (clientId: string, username: string, session: string | undefined, answer: string) =>
  idp.send(
    new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'CUSTOM_CHALLENGE', Session: session, ChallengeResponses: { USERNAME: username, ANSWER: answer } }),
  );

describe('CUSTOM_AUTH', () => {
  it('challenge, a wrong answer, another round, the right answer: tokens; Define sees the history', async () => {
    const { poolId, clientId, username } = await setUp();
    const before = moduleEvents().length;
    const first = await start(clientId, username, { app: 'web' });
    expect(first.ChallengeName).toBe('CUSTOM_CHALLENGE');
    expect(first.ChallengeParameters).toEqual({ question: 'What is 6 x 7?', round: '1', USERNAME: username });
    expect(first.Session).toBeTruthy();

    const second = await respond(clientId, username, first.Session, '41');
    expect(second.ChallengeName).toBe('CUSTOM_CHALLENGE');
    expect(second.ChallengeParameters?.round).toBe('2');
    const done = await respond(clientId, username, second.Session, '42');
    expect(done.AuthenticationResult?.AccessToken).toBeTruthy();

    const events = moduleEvents().slice(before).map((e) => e.event);
    expect(events.map((e) => e.triggerSource)).toEqual([
      'DefineAuthChallenge_Authentication',
      'CreateAuthChallenge_Authentication',
      'VerifyAuthChallengeResponse_Authentication',
      'DefineAuthChallenge_Authentication',
      'CreateAuthChallenge_Authentication',
      'VerifyAuthChallengeResponse_Authentication',
      'DefineAuthChallenge_Authentication',
    ]);
    expect(events[0]).toEqual({
      version: '1',
      triggerSource: 'DefineAuthChallenge_Authentication',
      region: 'us-east-1',
      userPoolId: poolId,
      userName: username,
      callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId },
      request: { userAttributes: expect.objectContaining({ email: `${username}@example.com`, 'cognito:user_status': 'CONFIRMED' }), session: [], clientMetadata: { app: 'web' } },
      response: { challengeName: null, issueTokens: null, failAuthentication: null },
    });
    expect(events[1]!.request).toMatchObject({ challengeName: 'CUSTOM_CHALLENGE', session: [] });
    expect(events[2]!.request).toMatchObject({ privateChallengeParameters: { answer: '42' }, challengeAnswer: '41' });
    expect(events[6]!.request.session).toEqual([
      { challengeName: 'CUSTOM_CHALLENGE', challengeResult: false, challengeMetadata: 'QUESTION-1' },
      { challengeName: 'CUSTOM_CHALLENGE', challengeResult: true, challengeMetadata: 'QUESTION-2' },
    ]);
    // A session is single-use.
    await expectError(respond(clientId, username, second.Session, '42'), { name: 'NotAuthorizedException', message: 'Invalid session for the user, session can only be used once.' });
  });

  it('three wrong answers fail the sign-in; AdminInitiateAuth works the same way', async () => {
    const { poolId, clientId, username } = await setUp();
    let step = await idp.send(
      new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: username } }),
    );
    for (const answer of ['1', '2']) {
      step = await idp.send(
        new AdminRespondToAuthChallengeCommand({
          UserPoolId: poolId,
          ClientId: clientId,
          ChallengeName: 'CUSTOM_CHALLENGE',
          Session: step.Session,
          ChallengeResponses: { USERNAME: username, ANSWER: answer },
        }),
      );
      expect(step.ChallengeName).toBe('CUSTOM_CHALLENGE');
    }
    await expectError(respond(clientId, username, step.Session, '3'), { name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
  });

  it('Verify as a webhook: the exact event', async () => {
    const { poolId, clientId, username } = await setUp({ ...LAMBDAS, VerifyAuthChallengeResponse: VERIFY_HOOK });
    const first = await start(clientId, username);
    const done = await respond(clientId, username, first.Session, ' 42 ');
    expect(done.AuthenticationResult?.IdToken).toBeTruthy();
    expect(hook.calls).toHaveLength(1);
    expect(hook.calls[0]!.signatureValid).toBe(true);
    const { userAttributes, ...request } = hook.calls[0]!.event.request;
    expect(hook.calls[0]!.event).toMatchObject({ version: '1', triggerSource: 'VerifyAuthChallengeResponse_Authentication', userPoolId: poolId, userName: username, response: { answerCorrect: null } });
    expect(request).toEqual({ privateChallengeParameters: { answer: '42' }, challengeAnswer: ' 42 ' });
    expect(userAttributes.sub).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('unknown users get a challenge (userNotFound) where existence is hidden, and never tokens', async () => {
    const { clientId } = await setUp();
    const before = moduleEvents().length;
    const first = await start(clientId, 'nobody-here');
    expect(first.ChallengeName).toBe('CUSTOM_CHALLENGE');
    expect(moduleEvents()[before]!.event.request).toMatchObject({ userAttributes: {}, userNotFound: true });
    const second = await respond(clientId, 'nobody-here', first.Session, '42');
    expect(second.ChallengeName).toBe('CUSTOM_CHALLENGE');

    const legacy = await setUp(LAMBDAS, { PreventUserExistenceErrors: 'LEGACY' });
    await expectError(start(legacy.clientId, 'nobody-here'), { name: 'UserNotFoundException', message: 'User does not exist.' });
  });

  it('is refused without ALLOW_CUSTOM_AUTH or without a DefineAuthChallenge trigger', async () => {
    const noFlow = await setUp(LAMBDAS, { ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH'] });
    await expectError(start(noFlow.clientId, noFlow.username), { name: 'InvalidParameterException', message: 'CUSTOM_AUTH flow not enabled for this client' });
    const noTrigger = await setUp({});
    await expectError(start(noTrigger.clientId, noTrigger.username), {
      name: 'InvalidParameterException',
      message: 'Custom auth lambda trigger is not configured for the user pool.',
    });
  });
});

describe('CUSTOM_WITH_SRP with Amplify v6', () => {
  afterEach(async () => {
    await signOut();
  });

  it('password (SRP) first, then the custom challenge; a wrong password fails before any question', async () => {
    const { poolId, clientId, username } = await setUp();
    Amplify.configure({ Auth: { Cognito: { userPoolId: poolId, userPoolClientId: clientId, userPoolEndpoint: server.url } } });
    const before = moduleEvents().length;
    const started = await signIn({ username, password: PASSWORD, options: { authFlowType: 'CUSTOM_WITH_SRP' } });
    expect(started.isSignedIn).toBe(false);
    expect(started.nextStep).toMatchObject({
      signInStep: 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE',
      additionalInfo: { question: 'What is 6 x 7?', round: '1' },
    });
    const confirmed = await confirmSignIn({ challengeResponse: '42' });
    expect(confirmed).toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    const { tokens } = await fetchAuthSession();
    expect(tokens?.idToken?.payload['cognito:username']).toBe(username);

    const defines = moduleEvents()
      .slice(before)
      .map((e) => e.event)
      .filter((e) => e.triggerSource === 'DefineAuthChallenge_Authentication');
    expect(defines.map((e) => e.request.session.map((s: { challengeName: string }) => s.challengeName))).toEqual([
      ['SRP_A'],
      ['SRP_A', 'PASSWORD_VERIFIER'],
      ['SRP_A', 'PASSWORD_VERIFIER', 'CUSTOM_CHALLENGE'],
    ]);
    await signOut();

    await expect(signIn({ username, password: 'Wrong-passw0rd', options: { authFlowType: 'CUSTOM_WITH_SRP' } })).rejects.toMatchObject({
      name: 'NotAuthorizedException',
    });
  });
});
