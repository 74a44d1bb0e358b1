import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminResetUserPasswordCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  SignUpCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from './support/test-server.js';
import { adminUser, createClient, createPool, expectError, PASSWORD, passwordSignIn, unique } from './support/cognito.js';
import { latestCode, messagesTo } from './support/outbox.js';
import { arnOf, fixture, moduleEvents, putFunction, WebhookReceiver, type WebhookReply } from './support/triggers.js';

// PreSignUp (SignUp, AdminCreateUser) and PostConfirmation (ConfirmSignUp, AdminConfirmSignUp,
// ConfirmForgotPassword, auto-confirmed sign-ups) through the AWS SDK, with a real webhook and a
// real in-process module as the functions. A failing function never leaves a half-made user.

let server: TestServer;
let idp: CognitoIdentityProviderClient;
let hook: WebhookReceiver;
/** What the webhook answers; by default the event unchanged. */
let answer: (event: any) => WebhookReply;
const PRE = arnOf('sign-up-pre');
const POST = arnOf('sign-up-post');
const MODULE = arnOf('sign-up-module');

beforeAll(async () => {
  server = await startTestServer({ env: { FRONTDESK_TRIGGER_CODE_FROM_API: 'on' } });
  idp = server.client();
  hook = await WebhookReceiver.start((event) => answer(event));
  await hook.register(server, PRE);
  await putFunction(server, { FunctionArn: POST, Webhook: { Url: hook.url } }); // same receiver, another ARN
  await putFunction(server, { FunctionArn: MODULE, Module: { Path: fixture('recording-module.mjs') } });
});
afterAll(async () => {
  await hook?.close();
  await server?.close();
});
beforeEach(() => {
  answer = () => undefined;
  hook.calls.length = 0;
});

async function pool(lambdaConfig: Record<string, string>, extra: object = {}) {
  const poolId = await createPool(idp, { LambdaConfig: lambdaConfig, AutoVerifiedAttributes: ['email'], ...extra });
  const { clientId } = await createClient(idp, poolId);
  return { poolId, clientId };
}

const getUser = (poolId: string, username: string) => idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
const refuse = (message: string): WebhookReply => ({ status: 400, body: { errorMessage: message, errorType: 'Error' } });
const signUp = (clientId: string, username: string, email: string, extra: object = {}) =>
  idp.send(new SignUpCommand({ ClientId: clientId, Username: username, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: email }], ...extra }));

describe('PreSignUp', () => {
  it('autoConfirmUser and autoVerifyPhone: the user signs in at once, with a verified phone and no code sent', async () => {
    answer = (event) => ({ body: { ...event, response: { autoConfirmUser: true, autoVerifyEmail: false, autoVerifyPhone: true } } });
    const { poolId, clientId } = await pool({ PreSignUp: PRE });
    const username = unique('auto');
    const email = `${username}@example.com`;
    const result = await signUp(clientId, username, email, {
      UserAttributes: [
        { Name: 'email', Value: email },
        { Name: 'phone_number', Value: '+15555550100' },
      ],
    });
    expect(result).toMatchObject({ UserConfirmed: true });
    expect(result.CodeDeliveryDetails).toBeUndefined();
    expect(await messagesTo(server, email)).toHaveLength(0);
    const user = await getUser(poolId, username);
    expect(user.UserStatus).toBe('CONFIRMED');
    expect(user.UserAttributes).toContainEqual({ Name: 'phone_number_verified', Value: 'true' });
    expect(user.UserAttributes).not.toContainEqual({ Name: 'email_verified', Value: 'true' });
    expect((await passwordSignIn(idp, clientId, username)).AccessToken).toBeTruthy();
  });

  it('without autoConfirmUser the code goes out as usual', async () => {
    const { poolId, clientId } = await pool({ PreSignUp: PRE });
    const username = unique('plain');
    const result = await signUp(clientId, username, `${username}@example.com`);
    expect(result.UserConfirmed).toBe(false);
    expect(result.CodeDeliveryDetails?.DeliveryMedium).toBe('EMAIL');
    expect((await getUser(poolId, username)).UserStatus).toBe('UNCONFIRMED');
  });

  it('AdminCreateUser: PreSignUp_AdminCreateUser with ValidationData and ClientMetadata; a refusal creates nobody and sends nothing', async () => {
    const { poolId } = await pool({ PreSignUp: PRE });
    const username = unique('invited');
    const email = `${username}@example.com`;
    answer = (event) => ({ body: { ...event, response: { autoConfirmUser: true, autoVerifyEmail: true, autoVerifyPhone: false } } });
    await idp.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: username,
        UserAttributes: [{ Name: 'email', Value: email }],
        ValidationData: [{ Name: 'ticket', Value: 'T-1' }],
        ClientMetadata: { invitedBy: 'admin' },
      }),
    );
    expect(hook.calls.map((c) => c.event)).toEqual([
      {
        version: '1',
        triggerSource: 'PreSignUp_AdminCreateUser',
        region: 'us-east-1',
        userPoolId: poolId,
        userName: username,
        callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'CLIENT_ID_NOT_APPLICABLE' },
        request: { userAttributes: { email }, validationData: { ticket: 'T-1' }, clientMetadata: { invitedBy: 'admin' } },
        response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
      },
    ]);
    // Cognito ignores the response flags for AdminCreateUser.
    const user = await getUser(poolId, username);
    expect(user.UserStatus).toBe('FORCE_CHANGE_PASSWORD');
    expect(user.UserAttributes).not.toContainEqual({ Name: 'email_verified', Value: 'true' });

    answer = () => refuse('Only company addresses');
    const refused = unique('refused');
    await expectError(
      idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: refused, UserAttributes: [{ Name: 'email', Value: `${refused}@example.com` }] })),
      { name: 'UserLambdaValidationException', message: 'PreSignUp failed with error Only company addresses.' },
    );
    await expectError(getUser(poolId, refused), { name: 'UserNotFoundException' });
    expect(await messagesTo(server, `${refused}@example.com`)).toHaveLength(0);
  });
});

describe('PostConfirmation', () => {
  it('ConfirmSignUp: the confirmed user in the event; a failure leaves the user unconfirmed and the code valid', async () => {
    const { poolId, clientId } = await pool({ PostConfirmation: POST });
    const username = unique('confirm');
    const email = `${username}@example.com`;
    const { UserSub } = await signUp(clientId, username, email);
    const code = await latestCode(server, email);

    answer = () => refuse('Profile store unavailable');
    const confirm = () => idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: username, ConfirmationCode: code, ClientMetadata: { plan: 'pro' } }));
    await expectError(confirm(), { name: 'UserLambdaValidationException', message: 'PostConfirmation failed with error Profile store unavailable.' });
    expect((await getUser(poolId, username)).UserStatus).toBe('UNCONFIRMED');

    answer = () => undefined;
    hook.calls.length = 0;
    await confirm();
    expect((await getUser(poolId, username)).UserStatus).toBe('CONFIRMED');
    expect(hook.calls.map((c) => c.event)).toEqual([
      {
        version: '1',
        triggerSource: 'PostConfirmation_ConfirmSignUp',
        region: 'us-east-1',
        userPoolId: poolId,
        userName: username,
        callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId },
        request: {
          userAttributes: { sub: UserSub, email, email_verified: 'true', 'cognito:user_status': 'CONFIRMED' },
          clientMetadata: { plan: 'pro' },
        },
        response: {},
      },
    ]);
  });

  it('runs for sign-ups PreSignUp auto-confirms (in-process module); if it fails the sign-up is undone', async () => {
    const { poolId, clientId } = await pool({ PreSignUp: MODULE, PostConfirmation: POST });
    const username = unique('autopost');
    const before = moduleEvents().length;
    expect((await signUp(clientId, username, `${username}@auto.test`)).UserConfirmed).toBe(true);
    expect(moduleEvents().slice(before).map((e) => e.event.triggerSource)).toEqual(['PreSignUp_SignUp']);
    expect(hook.calls.map((c) => c.event.triggerSource)).toEqual(['PostConfirmation_ConfirmSignUp']);
    expect(hook.calls[0]!.event.request.userAttributes).toMatchObject({ email_verified: 'true', 'cognito:user_status': 'CONFIRMED' });

    answer = () => refuse('nope');
    const undone = unique('undone');
    await expectError(signUp(clientId, undone, `${undone}@auto.test`), { name: 'UserLambdaValidationException', message: 'PostConfirmation failed with error nope.' });
    await expectError(getUser(poolId, undone), { name: 'UserNotFoundException' });
  });

  it('AdminConfirmSignUp: PostConfirmation_ConfirmSignUp without a client; a failure leaves the user unconfirmed', async () => {
    const { poolId, clientId } = await pool({ PostConfirmation: POST });
    const username = unique('adminconfirm');
    await signUp(clientId, username, `${username}@example.com`);
    answer = () => refuse('later');
    const confirm = () => idp.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: username, ClientMetadata: { by: 'support' } }));
    await expectError(confirm(), { name: 'UserLambdaValidationException' });
    expect((await getUser(poolId, username)).UserStatus).toBe('UNCONFIRMED');
    answer = () => undefined;
    hook.calls.length = 0;
    await confirm();
    expect((await getUser(poolId, username)).UserStatus).toBe('CONFIRMED');
    expect(hook.calls[0]!.event).toMatchObject({
      triggerSource: 'PostConfirmation_ConfirmSignUp',
      callerContext: { clientId: 'CLIENT_ID_NOT_APPLICABLE' },
      request: { clientMetadata: { by: 'support' } },
    });
  });

  it('ConfirmForgotPassword: PostConfirmation_ConfirmForgotPassword; a failure keeps the old password and the code', async () => {
    const { poolId, clientId } = await pool({ PostConfirmation: POST });
    const username = unique('forgot');
    const email = `${username}@example.com`;
    await adminUser(idp, poolId, username, { email, email_verified: 'true' });
    await idp.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: username }));
    expect((await getUser(poolId, username)).UserStatus).toBe('RESET_REQUIRED');
    await idp.send(new ForgotPasswordCommand({ ClientId: clientId, Username: username }));
    const code = await latestCode(server, email);
    const NEW_PASSWORD = 'N3w-password-2026';
    const reset = () => idp.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: username, ConfirmationCode: code, Password: NEW_PASSWORD }));

    answer = () => refuse('audit log down');
    await expectError(reset(), { name: 'UserLambdaValidationException', message: 'PostConfirmation failed with error audit log down.' });
    expect((await getUser(poolId, username)).UserStatus).toBe('RESET_REQUIRED');

    answer = () => undefined;
    hook.calls.length = 0;
    await reset();
    expect((await passwordSignIn(idp, clientId, username, NEW_PASSWORD)).AccessToken).toBeTruthy();
    expect(hook.calls[0]!.event).toMatchObject({
      triggerSource: 'PostConfirmation_ConfirmForgotPassword',
      userName: username,
      callerContext: { clientId },
      request: { userAttributes: { email, email_verified: 'true', 'cognito:user_status': 'CONFIRMED' } },
    });
  });
});
