import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminGetUserCommand,
  ConfirmSignUpCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from './support/test-server.js';
import { latestCode, messagesTo } from './support/outbox.js';
import { DAY_MS, PASSWORD, createClient, createPool, expectError, passwordSignIn, secretHash, unique, withClockAdvanced } from './support/cognito.js';

// ConfirmSignUp and ResendConfirmationCode: wrong, expired, reused and superseded codes, the
// attempt limit, concurrent confirmations, already-confirmed users, unknown users.

let server: TestServer;
let idp: CognitoIdentityProviderClient;
let poolId: string;
let clientId: string;
let hidingClientId: string;

beforeAll(async () => {
  server = await startTestServer();
  idp = server.client();
  poolId = await createPool(idp, { AutoVerifiedAttributes: ['email'] });
  ({ clientId } = await createClient(idp, poolId, { PreventUserExistenceErrors: 'LEGACY' }));
  ({ clientId: hidingClientId } = await createClient(idp, poolId, { PreventUserExistenceErrors: 'ENABLED' }));
});

afterAll(async () => {
  await server?.close();
});

const MISMATCH = { name: 'CodeMismatchException', message: 'Invalid verification code provided, please try again.' };
const EXPIRED = { name: 'ExpiredCodeException', message: 'Invalid code provided, please request a code again.' };

async function signedUp(): Promise<{ username: string; email: string; code: string }> {
  const username = unique('c');
  const email = `${username}@example.com`;
  await idp.send(new SignUpCommand({ ClientId: clientId, Username: username, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: email }] }));
  return { username, email, code: await latestCode(server, email) };
}

const confirm = (username: string, code: string, client = clientId) =>
  idp.send(new ConfirmSignUpCommand({ ClientId: client, Username: username, ConfirmationCode: code }));
const resend = (username: string, client = clientId) => idp.send(new ResendConfirmationCodeCommand({ ClientId: client, Username: username }));
const statusOf = async (username: string) => (await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }))).UserStatus;
const otherCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

describe('ConfirmSignUp', () => {
  it('confirms with the right code and verifies the email it went to', async () => {
    const { username, code } = await signedUp();
    await expectError(passwordSignIn(idp, clientId, username), { name: 'UserNotConfirmedException', message: 'User is not confirmed.' });
    await confirm(username, code);
    const user = await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
    expect(user.UserStatus).toBe('CONFIRMED');
    expect(user.UserAttributes).toContainEqual({ Name: 'email_verified', Value: 'true' });
    await expect(passwordSignIn(idp, clientId, username)).resolves.toHaveProperty('AccessToken');
  });

  it('refuses a wrong code with CodeMismatchException, and the right one still works', async () => {
    const { username, code } = await signedUp();
    await expectError(confirm(username, otherCode(code)), MISMATCH);
    expect(await statusOf(username)).toBe('UNCONFIRMED');
    await confirm(username, code);
    expect(await statusOf(username)).toBe('CONFIRMED');
  });

  it('refuses a code after 24 hours with ExpiredCodeException', async () => {
    const { username, code } = await signedUp();
    await withClockAdvanced(server, DAY_MS + 60_000, async () => {
      await expectError(confirm(username, code), EXPIRED);
    });
    // A new code works.
    await resend(username);
    await confirm(username, await latestCode(server, `${username}@example.com`));
  });

  it('accepts a code until its 24 hours are up', async () => {
    const { username, code } = await signedUp();
    await withClockAdvanced(server, DAY_MS - 60_000, () => confirm(username, code));
    expect(await statusOf(username)).toBe('CONFIRMED');
  });

  it('does not take a used code twice: the user is confirmed already', async () => {
    const { username, code } = await signedUp();
    await confirm(username, code);
    await expectError(confirm(username, code), { name: 'NotAuthorizedException', message: 'User cannot be confirmed. Current status is CONFIRMED' });
  });

  it('lets exactly one of several concurrent confirmations with the right code succeed', async () => {
    const { username, code } = await signedUp();
    const results = await Promise.allSettled([confirm(username, code), confirm(username, code), confirm(username, code)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')) {
      expect([
        `ExpiredCodeException: ${EXPIRED.message}`,
        'NotAuthorizedException: User cannot be confirmed. Current status is CONFIRMED',
      ]).toContain(`${r.reason.name}: ${r.reason.message}`);
    }
    expect(await statusOf(username)).toBe('CONFIRMED');
  });

  it('stops accepting guesses after five wrong codes, even the right one, until a new code', async () => {
    const { username, email, code } = await signedUp();
    for (let i = 0; i < 5; i++) await expectError(confirm(username, otherCode(code)), MISMATCH);
    await expectError(confirm(username, code), { name: 'LimitExceededException', message: 'Attempt limit exceeded, please try after some time.' });
    await resend(username);
    await confirm(username, await latestCode(server, email));
    expect(await statusOf(username)).toBe('CONFIRMED');
  });

  it('takes only the newest code after a resend', async () => {
    const { username, email, code: first } = await signedUp();
    const delivery = await resend(username);
    expect(delivery.CodeDeliveryDetails).toEqual({ Destination: `${username[0]}***@e***`, DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    const second = await latestCode(server, email);
    expect(await messagesTo(server, email)).toHaveLength(2);
    if (second !== first) await expectError(confirm(username, first), MISMATCH);
    await confirm(username, second);
    expect(await statusOf(username)).toBe('CONFIRMED');
  });

  it('reports an unknown user as UserNotFoundException (LEGACY) or a wrong code (ENABLED)', async () => {
    await expectError(confirm(unique('ghost'), '123456'), { name: 'UserNotFoundException', message: 'Username/client id combination not found.' });
    await expectError(confirm(unique('ghost'), '123456', hidingClientId), MISMATCH);
  });

  it('checks SECRET_HASH for a client with a secret', async () => {
    const { clientId: secretClientId, clientSecret } = await createClient(idp, poolId, { GenerateSecret: true });
    const username = unique('s');
    const email = `${username}@example.com`;
    const hash = secretHash(clientSecret!, username, secretClientId);
    await idp.send(
      new SignUpCommand({ ClientId: secretClientId, Username: username, Password: PASSWORD, SecretHash: hash, UserAttributes: [{ Name: 'email', Value: email }] }),
    );
    const code = await latestCode(server, email);
    await expectError(confirm(username, code, secretClientId), {
      name: 'NotAuthorizedException',
      message: `Client ${secretClientId} is configured for secret but secret was not received`,
    });
    await idp.send(new ConfirmSignUpCommand({ ClientId: secretClientId, Username: username, ConfirmationCode: code, SecretHash: hash }));
    expect(await statusOf(username)).toBe('CONFIRMED');
  });
});

describe('ResendConfirmationCode', () => {
  it('refuses a user who is confirmed already', async () => {
    const { username, code } = await signedUp();
    await confirm(username, code);
    await expectError(resend(username), { name: 'InvalidParameterException', message: 'User is already confirmed.' });
  });

  it('reports an unknown user as UserNotFoundException (LEGACY) and pretends to send (ENABLED)', async () => {
    const ghost = unique('ghost');
    await expectError(resend(ghost), { name: 'UserNotFoundException', message: 'Username/client id combination not found.' });
    const pretended = await resend(ghost, hidingClientId);
    expect(pretended.CodeDeliveryDetails).toMatchObject({ DeliveryMedium: 'EMAIL', AttributeName: 'email' });
  });
});
