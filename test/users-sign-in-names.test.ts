import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  ConfirmSignUpCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import { startTestServer, type TestServer } from './support/test-server.js';
import { latestCode } from './support/outbox.js';
import { PASSWORD, createClient, createPool, expectError, passwordSignIn, signUpConfirmed, unique } from './support/cognito.js';

// How people name themselves: UsernameAttributes (an email or phone number instead of a username,
// the sub as the internal username), AliasAttributes (a username plus verified aliases), and
// case-insensitive versus case-sensitive usernames.

let server: TestServer;
let idp: CognitoIdentityProviderClient;

beforeAll(async () => {
  server = await startTestServer();
  idp = server.client();
});

afterAll(async () => {
  await server?.close();
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('UsernameAttributes: email', () => {
  let poolId: string;
  let clientId: string;
  beforeAll(async () => {
    poolId = await createPool(idp, { UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'] });
    ({ clientId } = await createClient(idp, poolId));
  });

  it('takes the email as the name and the sub as the internal username', async () => {
    const email = `${unique('u')}@example.com`;
    const { UserSub } = await idp.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD }));
    await idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: email, ConfirmationCode: await latestCode(server, email) }));
    const user = await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email }));
    expect(user.Username).toBe(UserSub);
    expect(user.Username).toMatch(UUID);
    expect(user.UserAttributes).toEqual(expect.arrayContaining([{ Name: 'email', Value: email }, { Name: 'email_verified', Value: 'true' }]));

    const tokens = await passwordSignIn(idp, clientId, email);
    expect(decodeJwt(tokens.IdToken)['cognito:username']).toBe(UserSub);
    expect(decodeJwt(tokens.AccessToken).username).toBe(UserSub);
    // The email matches whatever its case; the sub works as a name too.
    await expect(passwordSignIn(idp, clientId, email.toUpperCase())).resolves.toHaveProperty('AccessToken');
    await expect(passwordSignIn(idp, clientId, UserSub!)).resolves.toHaveProperty('AccessToken');
  });

  it('refuses a name that is not an email', async () => {
    await expectError(idp.send(new SignUpCommand({ ClientId: clientId, Username: unique('plain'), Password: PASSWORD })), {
      name: 'InvalidParameterException',
      message: 'Username should be an email.',
    });
  });

  it('refuses a second account with the same email, whatever its case', async () => {
    const email = `${unique('dup')}@example.com`;
    await idp.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD }));
    await expectError(idp.send(new SignUpCommand({ ClientId: clientId, Username: email.toUpperCase(), Password: PASSWORD })), {
      name: 'UsernameExistsException',
      message: 'An account with the given email already exists.',
    });
  });
});

describe('UsernameAttributes: phone number or email', () => {
  let poolId: string;
  let clientId: string;
  beforeAll(async () => {
    poolId = await createPool(idp, { UsernameAttributes: ['phone_number', 'email'] });
    ({ clientId } = await createClient(idp, poolId));
  });

  it('takes a phone number as the name', async () => {
    const phone = `+1555${String(Date.now()).slice(-7)}`;
    const { UserSub } = await idp.send(new SignUpCommand({ ClientId: clientId, Username: phone, Password: PASSWORD }));
    const user = await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: phone }));
    expect(user.Username).toBe(UserSub);
    expect(user.UserAttributes).toContainEqual({ Name: 'phone_number', Value: phone });
  });

  it('refuses anything else', async () => {
    await expectError(idp.send(new SignUpCommand({ ClientId: clientId, Username: 'plainname', Password: PASSWORD })), {
      name: 'InvalidParameterException',
      message: 'Username should be either an email or a phone number.',
    });
  });
});

describe('AliasAttributes: email', () => {
  let poolId: string;
  let clientId: string;
  let hidingClientId: string;
  beforeAll(async () => {
    poolId = await createPool(idp, { AliasAttributes: ['email'], AutoVerifiedAttributes: ['email'] });
    ({ clientId } = await createClient(idp, poolId, { PreventUserExistenceErrors: 'LEGACY' }));
    ({ clientId: hidingClientId } = await createClient(idp, poolId, { PreventUserExistenceErrors: 'ENABLED' }));
  });

  it('refuses a username in email format', async () => {
    await expectError(idp.send(new SignUpCommand({ ClientId: clientId, Username: 'someone@example.com', Password: PASSWORD })), {
      name: 'InvalidParameterException',
      message: 'Username cannot be of email format, since user pool is configured for email alias.',
    });
  });

  it('signs in by the email only once it is verified', async () => {
    const username = unique('alias');
    const email = `${username}@example.com`;
    await idp.send(
      new SignUpCommand({ ClientId: clientId, Username: username, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: email }] }),
    );
    // Unverified (and unconfirmed): the email names nobody yet.
    await expectError(passwordSignIn(idp, clientId, email), { name: 'UserNotFoundException', message: 'User does not exist.' });
    await expectError(passwordSignIn(idp, hidingClientId, email), { name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    // The username itself finds the (unconfirmed) user.
    await expectError(passwordSignIn(idp, clientId, username), { name: 'UserNotConfirmedException', message: 'User is not confirmed.' });

    await idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: username, ConfirmationCode: await latestCode(server, email) }));
    const tokens = await passwordSignIn(idp, clientId, email);
    expect(decodeJwt(tokens.IdToken)['cognito:username']).toBe(username);
    expect(decodeJwt(tokens.IdToken).email_verified).toBe(true);
  });

  it('gives a verified email to one account only', async () => {
    const email = `${unique('shared')}@example.com`;
    const first = unique('first');
    await signUpConfirmed(server, idp, clientId, first, email);
    const second = unique('second');
    await idp.send(
      new SignUpCommand({ ClientId: clientId, Username: second, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: email }] }),
    );
    const code = await latestCode(server, email);
    await expectError(idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: second, ConfirmationCode: code })), {
      name: 'AliasExistsException',
      message: 'An account with the given email already exists.',
    });
    // ForceAliasCreation moves the alias to the new account.
    await idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: second, ConfirmationCode: code, ForceAliasCreation: true }));
    expect(decodeJwt((await passwordSignIn(idp, clientId, email)).IdToken)['cognito:username']).toBe(second);
    const firstUser = await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: first }));
    expect(firstUser.UserAttributes).toContainEqual({ Name: 'email_verified', Value: 'false' });
  });

  it('stops a changed email from naming the user until the new one is verified', async () => {
    const username = unique('mover');
    const oldEmail = `${username}@example.com`;
    await signUpConfirmed(server, idp, clientId, username, oldEmail);
    const { AccessToken } = await passwordSignIn(idp, clientId, oldEmail);
    const newEmail = `new-${oldEmail}`;
    await idp.send(new UpdateUserAttributesCommand({ AccessToken, UserAttributes: [{ Name: 'email', Value: newEmail }] }));
    await expectError(passwordSignIn(idp, clientId, newEmail), { name: 'UserNotFoundException', message: 'User does not exist.' });
    await expectError(passwordSignIn(idp, clientId, oldEmail), { name: 'UserNotFoundException', message: 'User does not exist.' });
    await idp.send(new VerifyUserAttributeCommand({ AccessToken, AttributeName: 'email', Code: await latestCode(server, newEmail) }));
    expect(decodeJwt((await passwordSignIn(idp, clientId, newEmail)).IdToken)['cognito:username']).toBe(username);
  });

  it('refuses to verify an email another account holds as its alias, and keeps the code for later', async () => {
    const email = `${unique('taken')}@example.com`;
    const holder = unique('holder');
    await signUpConfirmed(server, idp, clientId, holder, email);
    const other = unique('other');
    await signUpConfirmed(server, idp, clientId, other, `${other}@example.com`);
    const { AccessToken } = await passwordSignIn(idp, clientId, other);
    await idp.send(new UpdateUserAttributesCommand({ AccessToken, UserAttributes: [{ Name: 'email', Value: email }] }));
    const code = await latestCode(server, email);
    const verify = () => idp.send(new VerifyUserAttributeCommand({ AccessToken, AttributeName: 'email', Code: code }));
    await expectError(verify(), { name: 'AliasExistsException', message: 'An account with the given email already exists.' });
    // Once the holder lets the email go, the same code verifies it.
    await idp.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: holder }));
    await verify();
    expect(decodeJwt((await passwordSignIn(idp, clientId, email)).IdToken)['cognito:username']).toBe(other);
  });
});

describe('case sensitivity of usernames', () => {
  it('matches any case when the pool is case-insensitive', async () => {
    const poolId = await createPool(idp, { UsernameConfiguration: { CaseSensitive: false }, AutoVerifiedAttributes: ['email'] });
    const { clientId } = await createClient(idp, poolId);
    const base = unique('bob');
    const name = base.charAt(0).toUpperCase() + base.slice(1);
    await signUpConfirmed(server, idp, clientId, name, `${base}@example.com`);
    await expect(passwordSignIn(idp, clientId, base.toLowerCase())).resolves.toHaveProperty('AccessToken');
    await expect(passwordSignIn(idp, clientId, base.toUpperCase())).resolves.toHaveProperty('AccessToken');
    await expect(idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: base.toUpperCase() }))).resolves.toMatchObject({
      UserStatus: 'CONFIRMED',
    });
    await expectError(
      idp.send(new SignUpCommand({ ClientId: clientId, Username: base.toUpperCase(), Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: `x${base}@example.com` }] })),
      { name: 'UsernameExistsException', message: 'User already exists' },
    );
  });

  it('tells names apart by case when the pool is case-sensitive', async () => {
    const poolId = await createPool(idp, { UsernameConfiguration: { CaseSensitive: true }, AutoVerifiedAttributes: ['email'] });
    const { clientId } = await createClient(idp, poolId, { PreventUserExistenceErrors: 'LEGACY' });
    const base = unique('carol');
    const upper = base.toUpperCase();
    await signUpConfirmed(server, idp, clientId, base, `${base}@example.com`);
    await signUpConfirmed(server, idp, clientId, upper, `${base}2@example.com`, 'Other-Passw0rd');
    expect(decodeJwt((await passwordSignIn(idp, clientId, base)).IdToken)['cognito:username']).toBe(base);
    expect(decodeJwt((await passwordSignIn(idp, clientId, upper, 'Other-Passw0rd')).IdToken)['cognito:username']).toBe(upper);
    const mixed = base.charAt(0).toUpperCase() + base.slice(1);
    await expectError(passwordSignIn(idp, clientId, mixed), { name: 'UserNotFoundException', message: 'User does not exist.' });
  });
});
