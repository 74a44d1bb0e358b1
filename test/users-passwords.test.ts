import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ChangePasswordCommand,
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
  RevokeTokenCommand,
  SignUpCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from './support/test-server.js';
import { latestCode, messagesTo } from './support/outbox.js';
import { HOUR_MS, PASSWORD, adminUser, createClient, createPool, expectError, passwordSignIn, secretHash, unique, withClockAdvanced } from './support/cognito.js';

// Passwords after sign-up: ChangePassword, and recovery through ForgotPassword /
// ConfirmForgotPassword (the channel AccountRecoverySetting picks, single-use codes, a weak
// password that leaves the code usable, unknown users by PreventUserExistenceErrors).

let server: TestServer;
let idp: CognitoIdentityProviderClient;
let poolId: string;
let clientId: string;
let hidingClientId: string;

const NEW_PASSWORD = 'Brand-new-passw0rd';
const INCORRECT = { name: 'NotAuthorizedException', message: 'Incorrect username or password.' };
const MISMATCH = { name: 'CodeMismatchException', message: 'Invalid verification code provided, please try again.' };
const EXPIRED = { name: 'ExpiredCodeException', message: 'Invalid code provided, please request a code again.' };

beforeAll(async () => {
  server = await startTestServer();
  idp = server.client();
  poolId = await createPool(idp, {
    AutoVerifiedAttributes: ['email'],
    AccountRecoverySetting: {
      RecoveryMechanisms: [
        { Name: 'verified_email', Priority: 1 },
        { Name: 'verified_phone_number', Priority: 2 },
      ],
    },
  });
  ({ clientId } = await createClient(idp, poolId, { PreventUserExistenceErrors: 'LEGACY' }));
  ({ clientId: hidingClientId } = await createClient(idp, poolId, { PreventUserExistenceErrors: 'ENABLED' }));
});

afterAll(async () => {
  await server?.close();
});

async function user(attributes: Record<string, string> = {}, pool = poolId): Promise<{ username: string; email: string; phone: string }> {
  const username = unique('pw');
  const email = `${username}@example.com`;
  const phone = `+1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
  await adminUser(idp, pool, username, { email, email_verified: 'true', ...attributes });
  return { username, email, phone };
}

const forgot = (username: string, client = clientId) => idp.send(new ForgotPasswordCommand({ ClientId: client, Username: username }));
const confirmForgot = (username: string, code: string, password = NEW_PASSWORD, client = clientId) =>
  idp.send(new ConfirmForgotPasswordCommand({ ClientId: client, Username: username, ConfirmationCode: code, Password: password }));
const otherCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

describe('ChangePassword', () => {
  it('changes the password given the previous one', async () => {
    const { username } = await user();
    const { AccessToken } = await passwordSignIn(idp, clientId, username);
    await idp.send(new ChangePasswordCommand({ AccessToken, PreviousPassword: PASSWORD, ProposedPassword: NEW_PASSWORD }));
    await expectError(passwordSignIn(idp, clientId, username), INCORRECT);
    await expect(passwordSignIn(idp, clientId, username, NEW_PASSWORD)).resolves.toHaveProperty('AccessToken');
  });

  it('refuses a wrong previous password', async () => {
    const { username } = await user();
    const { AccessToken } = await passwordSignIn(idp, clientId, username);
    await expectError(idp.send(new ChangePasswordCommand({ AccessToken, PreviousPassword: 'Wrong-passw0rd', ProposedPassword: NEW_PASSWORD })), INCORRECT);
    await expect(passwordSignIn(idp, clientId, username)).resolves.toHaveProperty('AccessToken');
  });

  it('refuses a weak new password and keeps the old one', async () => {
    const { username } = await user();
    const { AccessToken } = await passwordSignIn(idp, clientId, username);
    await expectError(idp.send(new ChangePasswordCommand({ AccessToken, PreviousPassword: PASSWORD, ProposedPassword: 'weakpassword' })), {
      name: 'InvalidPasswordException',
      message: 'Password did not conform with policy: Password must have uppercase characters',
    });
    await expect(passwordSignIn(idp, clientId, username)).resolves.toHaveProperty('AccessToken');
  });

  it('throttles wrong previous passwords with LimitExceededException, as Cognito does', async () => {
    const { username } = await user();
    const { AccessToken } = await passwordSignIn(idp, clientId, username);
    const change = (previous: string) => idp.send(new ChangePasswordCommand({ AccessToken, PreviousPassword: previous, ProposedPassword: NEW_PASSWORD }));
    for (let i = 0; i < 5; i++) await expectError(change('Wrong-passw0rd'), INCORRECT);
    await withClockAdvanced(server, -5_000, async () => {
      await expectError(change(PASSWORD), { name: 'LimitExceededException', message: 'Attempt limit exceeded, please try after some time.' });
    });
    // Once the back-off is over, the right password works again.
    await withClockAdvanced(server, 60_000, () => change(PASSWORD));
    await expect(passwordSignIn(idp, clientId, username, NEW_PASSWORD)).resolves.toHaveProperty('AccessToken');
  });

  it('refuses a revoked access token', async () => {
    const { username } = await user();
    const { AccessToken, RefreshToken } = await passwordSignIn(idp, clientId, username);
    await idp.send(new RevokeTokenCommand({ ClientId: clientId, Token: RefreshToken }));
    await expectError(idp.send(new ChangePasswordCommand({ AccessToken, PreviousPassword: PASSWORD, ProposedPassword: NEW_PASSWORD })), {
      name: 'NotAuthorizedException',
      message: 'Access Token has been revoked',
    });
  });
});

describe('ForgotPassword', () => {
  it('sends a code to the verified email when email comes first', async () => {
    const { username, email } = await user();
    const result = await forgot(username);
    expect(result.CodeDeliveryDetails).toEqual({ Destination: `${username[0]}***@e***`, DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    const [message] = await messagesTo(server, email);
    expect(message!.Body).toMatch(/^Your password reset code is \d{6}$/);
  });

  it('prefers the verified phone when the pool puts it first, and falls back to the email', async () => {
    const phoneFirst = await createPool(idp, {
      AccountRecoverySetting: {
        RecoveryMechanisms: [
          { Name: 'verified_phone_number', Priority: 1 },
          { Name: 'verified_email', Priority: 2 },
        ],
      },
    });
    const { clientId: c } = await createClient(idp, phoneFirst);
    const withPhone = await user({}, phoneFirst);
    await adminUser(idp, phoneFirst, `${withPhone.username}p`, { phone_number: withPhone.phone, phone_number_verified: 'true', email: withPhone.email, email_verified: 'true' });
    const bySms = await forgot(`${withPhone.username}p`, c);
    expect(bySms.CodeDeliveryDetails).toEqual({ Destination: `+*******${withPhone.phone.slice(-4)}`, DeliveryMedium: 'SMS', AttributeName: 'phone_number' });
    expect((await messagesTo(server, withPhone.phone))[0]!.Body).toMatch(/^Your password reset code is \d{6}$/);
    // An unverified phone is skipped.
    await adminUser(idp, phoneFirst, `${withPhone.username}u`, { phone_number: withPhone.phone, phone_number_verified: 'false', email: `u${withPhone.email}`, email_verified: 'true' });
    expect((await forgot(`${withPhone.username}u`, c)).CodeDeliveryDetails).toMatchObject({ DeliveryMedium: 'EMAIL' });
  });

  it('without AccountRecoverySetting, prefers a verified phone to a verified email (the legacy rule)', async () => {
    const legacyPool = await createPool(idp);
    const { clientId: c } = await createClient(idp, legacyPool);
    const { username, phone } = await user({}, legacyPool);
    await expect(forgot(username, c)).resolves.toMatchObject({ CodeDeliveryDetails: { DeliveryMedium: 'EMAIL' } });
    const both = `${username}b`;
    await adminUser(idp, legacyPool, both, { email: `${both}@example.com`, email_verified: 'true', phone_number: phone, phone_number_verified: 'true' });
    await expect(forgot(both, c)).resolves.toMatchObject({ CodeDeliveryDetails: { DeliveryMedium: 'SMS', AttributeName: 'phone_number' } });
  });

  it('refuses a user with no verified channel', async () => {
    const username = unique('nochan');
    await adminUser(idp, poolId, username, { email: `${username}@example.com`, email_verified: 'false' });
    await expectError(forgot(username), {
      name: 'InvalidParameterException',
      message: 'Cannot reset password for the user as there is no registered/verified email or phone_number',
    });
  });

  it('refuses self-service recovery when only administrators may reset passwords', async () => {
    const adminOnly = await createPool(idp, { AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'admin_only', Priority: 1 }] } });
    const { clientId: c } = await createClient(idp, adminOnly);
    const { username } = await user({}, adminOnly);
    await expectError(forgot(username, c), { name: 'NotAuthorizedException', message: 'Contact administrator to reset password.' });
  });

  it('reports an unknown user as UserNotFoundException (LEGACY) and pretends to send (ENABLED)', async () => {
    const ghost = unique('ghost');
    await expectError(forgot(ghost), { name: 'UserNotFoundException', message: 'Username/client id combination not found.' });
    const pretended = await forgot(ghost, hidingClientId);
    expect(pretended.CodeDeliveryDetails).toMatchObject({ DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    await expectError(confirmForgot(ghost, '123456', NEW_PASSWORD, hidingClientId), MISMATCH);
    await expectError(confirmForgot(ghost, '123456'), { name: 'UserNotFoundException', message: 'Username/client id combination not found.' });
  });

  it('checks SECRET_HASH for a client with a secret', async () => {
    const { clientId: c, clientSecret } = await createClient(idp, poolId, { GenerateSecret: true });
    const { username, email } = await user();
    await expectError(forgot(username, c), { name: 'NotAuthorizedException', message: `Client ${c} is configured for secret but secret was not received` });
    const hash = secretHash(clientSecret!, username, c);
    await idp.send(new ForgotPasswordCommand({ ClientId: c, Username: username, SecretHash: hash }));
    const code = await latestCode(server, email);
    await expectError(confirmForgot(username, code, NEW_PASSWORD, c), {
      name: 'NotAuthorizedException',
      message: `Client ${c} is configured for secret but secret was not received`,
    });
    await idp.send(new ConfirmForgotPasswordCommand({ ClientId: c, Username: username, ConfirmationCode: code, Password: NEW_PASSWORD, SecretHash: hash }));
    await expect(passwordSignIn(idp, clientId, username, NEW_PASSWORD)).resolves.toHaveProperty('AccessToken');
  });
});

describe('ConfirmForgotPassword', () => {
  it('sets the new password with the code, once', async () => {
    const { username, email } = await user();
    await forgot(username);
    const code = await latestCode(server, email);
    await confirmForgot(username, code);
    await expectError(passwordSignIn(idp, clientId, username), INCORRECT);
    await expect(passwordSignIn(idp, clientId, username, NEW_PASSWORD)).resolves.toHaveProperty('AccessToken');
    await expectError(confirmForgot(username, code, 'Another-passw0rd'), EXPIRED);
  });

  it('refuses a wrong code, and the right one still works', async () => {
    const { username, email } = await user();
    await forgot(username);
    const code = await latestCode(server, email);
    await expectError(confirmForgot(username, otherCode(code)), MISMATCH);
    await confirmForgot(username, code);
  });

  it('does not burn the code on a password that breaks the policy', async () => {
    const { username, email } = await user();
    await forgot(username);
    const code = await latestCode(server, email);
    await expectError(confirmForgot(username, code, 'alllowercase1!'), {
      name: 'InvalidPasswordException',
      message: 'Password did not conform with policy: Password must have uppercase characters',
    });
    await confirmForgot(username, code);
    await expect(passwordSignIn(idp, clientId, username, NEW_PASSWORD)).resolves.toHaveProperty('AccessToken');
  });

  it('refuses a code after an hour', async () => {
    const { username, email } = await user();
    await forgot(username);
    const code = await latestCode(server, email);
    await withClockAdvanced(server, HOUR_MS + 1_000, async () => {
      await expectError(confirmForgot(username, code), EXPIRED);
    });
    await expect(passwordSignIn(idp, clientId, username)).resolves.toHaveProperty('AccessToken');
  });

  it('takes only the newest code', async () => {
    const { username, email } = await user();
    await forgot(username);
    const first = await latestCode(server, email);
    await forgot(username);
    const second = await latestCode(server, email);
    if (first !== second) await expectError(confirmForgot(username, first), MISMATCH);
    await confirmForgot(username, second);
  });

  it('lets exactly one of two concurrent confirmations with the right code through', async () => {
    const { username, email } = await user();
    await forgot(username);
    const code = await latestCode(server, email);
    const results = await Promise.allSettled([confirmForgot(username, code, NEW_PASSWORD), confirmForgot(username, code, 'Other-new-passw0rd')]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const [lost] = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect([lost!.reason.name, lost!.reason.message]).toEqual([EXPIRED.name, EXPIRED.message]);
  });

  it('stops taking guesses after five wrong codes', async () => {
    const { username, email } = await user();
    await forgot(username);
    const code = await latestCode(server, email);
    for (let i = 0; i < 5; i++) await expectError(confirmForgot(username, otherCode(code)), MISMATCH);
    await expectError(confirmForgot(username, code), { name: 'LimitExceededException', message: 'Attempt limit exceeded, please try after some time.' });
  });

  it('asks for a code that was never requested to be requested', async () => {
    const { username } = await user();
    await expectError(confirmForgot(username, '123456'), EXPIRED);
  });

  it('unlocks a user locked out by failed sign-ins', async () => {
    const { username, email } = await user();
    for (let i = 0; i < 5; i++) await expectError(passwordSignIn(idp, clientId, username, 'Wrong-passw0rd'), INCORRECT);
    await forgot(username);
    await confirmForgot(username, await latestCode(server, email));
    await expect(passwordSignIn(idp, clientId, username, NEW_PASSWORD)).resolves.toHaveProperty('AccessToken');
  });

  it('has nowhere to send a code for a user whose email is not verified yet', async () => {
    const username = unique('unc');
    const email = `${username}@example.com`;
    await idp.send(new SignUpCommand({ ClientId: clientId, Username: username, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: email }] }));
    // The email is not verified yet, so there is nowhere to send a recovery code.
    await expectError(forgot(username), {
      name: 'InvalidParameterException',
      message: 'Cannot reset password for the user as there is no registered/verified email or phone_number',
    });
  });
});
