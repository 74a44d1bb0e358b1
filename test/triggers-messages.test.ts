import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminResetUserPasswordCommand,
  AdminSetUserMFAPreferenceCommand,
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
  GetUserAttributeVerificationCodeCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  ResendConfirmationCodeCommand,
  SetUserPoolMfaConfigCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from './support/test-server.js';
import { adminUser, createClient, createPool, expectError, PASSWORD, passwordSignIn, unique } from './support/cognito.js';
import { latestCode, messagesTo } from './support/outbox.js';
import { arnOf, fixture, hasPython, putFunction, WebhookReceiver, type WebhookReply } from './support/triggers.js';

// CustomMessage for every message the flows send, and UserMigration on sign-in and on
// ForgotPassword, through the AWS SDK with a real webhook and the seed-style Python handler.

let server: TestServer;
let idp: CognitoIdentityProviderClient;
let hook: WebhookReceiver;
let answer: (event: any) => WebhookReply;
const HOOK = arnOf('messages-hook');
const MIGRATION_PY = arnOf('user-migration-py');

beforeAll(async () => {
  server = await startTestServer({ env: { FRONTDESK_TRIGGER_CODE_FROM_API: 'on' } });
  idp = server.client();
  hook = await WebhookReceiver.start((event) => answer(event));
  await hook.register(server, HOOK);
  await putFunction(server, { FunctionArn: MIGRATION_PY, Command: { Runtime: 'python', File: fixture('user_migration.py') } });
});
afterAll(async () => {
  await hook?.close();
  await server?.close();
});
beforeEach(() => {
  answer = customize;
  hook.calls.length = 0;
});

/** The webhook's CustomMessage answer: a branded message naming the trigger source. */
function customize(event: any): WebhookReply {
  event.response.emailSubject = `[Acme] ${event.triggerSource}`;
  event.response.emailMessage = `Hello ${event.request.userAttributes.name ?? 'there'}, your code is ${event.request.codeParameter}.` +
    (event.request.usernameParameter ? ` Your username is ${event.request.usernameParameter}.` : '');
  event.response.smsMessage = `Acme code ${event.request.codeParameter}`;
  return { body: event };
}

async function pool(lambdaConfig: object) {
  const poolId = await createPool(idp, { LambdaConfig: lambdaConfig, AutoVerifiedAttributes: ['email'] });
  const { clientId } = await createClient(idp, poolId);
  return { poolId, clientId };
}

describe('CustomMessage', () => {
  it('SignUp and ResendConfirmationCode: the exact event; the returned template carries the real code', async () => {
    const { poolId, clientId } = await pool({ CustomMessage: HOOK });
    const username = unique('cm');
    const email = `${username}@example.com`;
    const { UserSub } = await idp.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: username,
        Password: PASSWORD,
        UserAttributes: [{ Name: 'email', Value: email }, { Name: 'name', Value: 'Ada' }],
        ClientMetadata: { locale: 'en' },
      }),
    );
    expect(hook.calls[0]!.event).toEqual({
      version: '1',
      triggerSource: 'CustomMessage_SignUp',
      region: 'us-east-1',
      userPoolId: poolId,
      userName: username,
      callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId },
      request: {
        userAttributes: { sub: UserSub, email, name: 'Ada', 'cognito:user_status': 'UNCONFIRMED' },
        codeParameter: '{####}',
        linkParameter: '{##Click Here##}',
        usernameParameter: null,
        clientMetadata: { locale: 'en' },
      },
      response: { smsMessage: null, emailMessage: null, emailSubject: null },
    });
    const [message] = await messagesTo(server, email);
    expect(message!.Subject).toBe('[Acme] CustomMessage_SignUp');
    expect(message!.Body).toMatch(/^Hello Ada, your code is \d{6}\.$/);

    await idp.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: username }));
    expect(hook.calls[1]!.event.triggerSource).toBe('CustomMessage_ResendCode');
    expect((await messagesTo(server, email))[0]!.Subject).toBe('[Acme] CustomMessage_ResendCode');
  });

  it('ForgotPassword and AdminResetUserPassword use CustomMessage_ForgotPassword', async () => {
    const { poolId, clientId } = await pool({ CustomMessage: HOOK });
    const username = unique('fp');
    const email = `${username}@example.com`;
    await adminUser(idp, poolId, username, { email, email_verified: 'true' });
    await idp.send(new ForgotPasswordCommand({ ClientId: clientId, Username: username, ClientMetadata: { from: 'app' } }));
    await idp.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: username, ClientMetadata: { from: 'admin' } }));
    expect(hook.calls.map((c) => [c.event.triggerSource, c.event.callerContext.clientId, c.event.request.clientMetadata])).toEqual([
      ['CustomMessage_ForgotPassword', clientId, { from: 'app' }],
      ['CustomMessage_ForgotPassword', 'CLIENT_ID_NOT_APPLICABLE', { from: 'admin' }],
    ]);
    expect((await messagesTo(server, email))[0]!.Body).toMatch(/your code is \d{6}\./);
  });

  it('MFA codes sent at sign-in use CustomMessage_Authentication, and the customized message carries the real code', async () => {
    const { poolId, clientId } = await pool({ CustomMessage: HOOK });
    await idp.send(
      new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'OPTIONAL', EmailMfaConfiguration: { Subject: 'Code', Message: 'Use {####}.' } }),
    );
    const username = unique('otp');
    const email = `${username}@example.com`;
    await adminUser(idp, poolId, username, { email, email_verified: 'true' });
    await idp.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: username, EmailMfaSettings: { Enabled: true } }));
    const challenge = await idp.send(
      new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD }, ClientMetadata: { app: 'web' } }),
    );
    expect(challenge.ChallengeName).toBe('EMAIL_OTP');
    expect(hook.calls.map((c) => [c.event.triggerSource, c.event.callerContext.clientId, c.event.request.clientMetadata])).toEqual([
      ['CustomMessage_Authentication', clientId, { app: 'web' }],
    ]);
    const [message] = await messagesTo(server, email);
    expect(message!.Subject).toBe('[Acme] CustomMessage_Authentication');
    const code = /your code is (\d{6})\./.exec(message!.Body)![1]!;
    const done = await idp.send(
      new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'EMAIL_OTP', Session: challenge.Session, ChallengeResponses: { USERNAME: username, EMAIL_OTP_CODE: code } }),
    );
    expect(done.AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it('AdminCreateUser: usernameParameter is {username}; the invitation carries username and temporary password', async () => {
    const { poolId } = await pool({ CustomMessage: HOOK });
    const username = unique('invite');
    const email = `${username}@example.com`;
    await idp.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: username,
        TemporaryPassword: 'Temp-0rary-pass',
        UserAttributes: [{ Name: 'email', Value: email }],
        DesiredDeliveryMediums: ['EMAIL'],
      }),
    );
    expect(hook.calls[0]!.event.request).toMatchObject({ codeParameter: '{####}', usernameParameter: '{username}' });
    expect(hook.calls[0]!.event.triggerSource).toBe('CustomMessage_AdminCreateUser');
    const [message] = await messagesTo(server, email);
    expect(message!.Body).toBe(`Hello there, your code is Temp-0rary-pass. Your username is ${username}.`);
  });

  it('UpdateUserAttributes and GetUserAttributeVerificationCode', async () => {
    const { poolId, clientId } = await pool({ CustomMessage: HOOK });
    const username = unique('attr');
    await adminUser(idp, poolId, username, { email: `${username}@example.com`, email_verified: 'true' });
    const { AccessToken } = await passwordSignIn(idp, clientId, username);
    const newEmail = `${username}-new@example.com`;
    await idp.send(new UpdateUserAttributesCommand({ AccessToken, UserAttributes: [{ Name: 'email', Value: newEmail }], ClientMetadata: { step: '1' } }));
    await idp.send(new GetUserAttributeVerificationCodeCommand({ AccessToken, AttributeName: 'email', ClientMetadata: { step: '2' } }));
    expect(hook.calls.map((c) => [c.event.triggerSource, c.event.request.clientMetadata])).toEqual([
      ['CustomMessage_UpdateUserAttribute', { step: '1' }],
      ['CustomMessage_VerifyUserAttribute', { step: '2' }],
    ]);
    expect(hook.calls[0]!.event.request.userAttributes.email).toBe(newEmail);
    expect((await messagesTo(server, newEmail))[0]!.Subject).toBe('[Acme] CustomMessage_VerifyUserAttribute');
  });

  it('a message without the code placeholder is not used; a failing function fails the sign-up and undoes it', async () => {
    const { poolId, clientId } = await pool({ CustomMessage: HOOK });
    answer = (event) => ({ body: { ...event, response: { emailMessage: 'No code here', emailSubject: 'x', smsMessage: null } } });
    const username = unique('nocode');
    const email = `${username}@example.com`;
    await idp.send(new SignUpCommand({ ClientId: clientId, Username: username, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: email }] }));
    const [message] = await messagesTo(server, email);
    expect(message!.Body).toMatch(/^Your verification code is \d{6}\./);

    answer = () => ({ status: 400, body: { errorMessage: 'template service down' } });
    const failed = unique('failed');
    await expectError(
      idp.send(new SignUpCommand({ ClientId: clientId, Username: failed, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: `${failed}@example.com` }] })),
      { name: 'UserLambdaValidationException', message: 'CustomMessage failed with error template service down.' },
    );
    await expectError(idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: failed })), { name: 'UserNotFoundException' });
  });
});

describe.skipIf(!hasPython)('UserMigration (Python handler, run unmodified)', () => {
  it('a legacy user signs in with the old password: created, confirmed, signed in; later sign-ins do not ask again', async () => {
    const poolId = await createPool(idp, { UsernameAttributes: ['email'], LambdaConfig: { UserMigration: MIGRATION_PY } });
    const { clientId } = await createClient(idp, poolId);
    const signIn = (password: string) =>
      idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'legacy@example.com', PASSWORD: password } }));
    await expectError(signIn('wrong-Passw0rd'), { name: 'UserLambdaValidationException', message: 'UserMigration failed with error Bad password.' });
    await expectError(idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'legacy@example.com' })), { name: 'UserNotFoundException' });

    const tokens = (await signIn('Legacy-passw0rd')).AuthenticationResult!;
    expect(tokens.AccessToken).toBeTruthy();
    const user = await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'legacy@example.com' }));
    expect(user.UserStatus).toBe('CONFIRMED');
    expect(user.UserAttributes).toEqual(
      expect.arrayContaining([
        { Name: 'email', Value: 'legacy@example.com' },
        { Name: 'email_verified', Value: 'true' },
        { Name: 'name', Value: 'Lee Gacy' },
      ]),
    );
    // From now on the pool knows the user; the (Python) function is not asked again.
    await expectError(signIn('wrong-Passw0rd'), { name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    expect((await signIn('Legacy-passw0rd')).AuthenticationResult?.IdToken).toBeTruthy();

    // Unknown to the function as well: the usual answer for an unknown user.
    await expectError(
      idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'ghost@example.com', PASSWORD: PASSWORD } })),
      { name: 'NotAuthorizedException' },
    );
    // finalUserStatus RESET_REQUIRED: the user exists but must reset the password.
    await expectError(
      idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'reset@example.com', PASSWORD: 'Reset-passw0rd' } })),
      { name: 'PasswordResetRequiredException' },
    );
  });

  it('ForgotPassword migrates the user (RESET_REQUIRED) and sends the code; the new password then works', async () => {
    const poolId = await createPool(idp, { UsernameAttributes: ['email'], LambdaConfig: { UserMigration: MIGRATION_PY } });
    const { clientId } = await createClient(idp, poolId);
    const delivery = await idp.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'legacy@example.com' }));
    expect(delivery.CodeDeliveryDetails).toMatchObject({ DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    expect((await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'legacy@example.com' }))).UserStatus).toBe('RESET_REQUIRED');
    const code = await latestCode(server, 'legacy@example.com');
    await idp.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'legacy@example.com', ConfirmationCode: code, Password: PASSWORD }));
    expect((await passwordSignIn(idp, clientId, 'legacy@example.com')).AccessToken).toBeTruthy();
  });

});

describe('UserMigration (webhook)', () => {
  it('refusals by the function count towards the lockout of the name', async () => {
    const poolId = await createPool(idp, { LambdaConfig: { UserMigration: HOOK } });
    const { clientId } = await createClient(idp, poolId);
    answer = () => ({ status: 400, body: { errorMessage: 'Bad password' } });
    const attempt = () =>
      idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'guessed', PASSWORD: 'Guess-passw0rd' } }));
    for (let i = 0; i < 5; i++) await expectError(attempt(), { name: 'UserLambdaValidationException', message: 'UserMigration failed with error Bad password.' });
    await expectError(attempt(), { name: 'NotAuthorizedException', message: 'Password attempts exceeded' });
    expect(hook.calls).toHaveLength(5);
  });

  it('the events (webhook): password and validationData on sign-in, clientMetadata on ForgotPassword', async () => {
    const poolId = await createPool(idp, { LambdaConfig: { UserMigration: HOOK } });
    const { clientId } = await createClient(idp, poolId);
    answer = () => undefined; // unknown there too
    await expectError(
      idp.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: 'olduser', PASSWORD: 'old-Passw0rd' },
          ClientMetadata: { source: 'web' },
        }),
      ),
      { name: 'NotAuthorizedException' },
    );
    await idp.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'olduser', ClientMetadata: { source: 'app' } }));
    expect(hook.calls.map((c) => c.event)).toEqual([
      {
        version: '1',
        triggerSource: 'UserMigration_Authentication',
        region: 'us-east-1',
        userPoolId: poolId,
        userName: 'olduser',
        callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId },
        request: { password: 'old-Passw0rd', validationData: { source: 'web' } },
        response: { userAttributes: null, finalUserStatus: null, messageAction: null, desiredDeliveryMediums: null, forceAliasCreation: null, enableSMSMFA: null },
      },
      expect.objectContaining({ triggerSource: 'UserMigration_ForgotPassword', request: { clientMetadata: { source: 'app' } } }),
    ]);
  });
});
