import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  AdminUserGlobalSignOutCommand,
  GetUserCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from './support/test-server.js';
import { messagesTo } from './support/outbox.js';
import { adminUser, createClient, createPool, expectError, passwordSignIn, unique } from './support/cognito.js';

// The administrator's user operations: AdminGetUser, AdminConfirmSignUp, AdminSetUserPassword,
// AdminDeleteUser, AdminUserGlobalSignOut, and AdminCreateUser with generated temporary passwords,
// invitations and MessageAction SUPPRESS / RESEND.

let server: TestServer;
let idp: CognitoIdentityProviderClient;
let poolId: string;
let clientId: string;

const NOT_FOUND = { name: 'UserNotFoundException', message: 'User does not exist.' };
const REVOKED_ACCESS = { name: 'NotAuthorizedException', message: 'Access Token has been revoked' };
const POLICY = { MinimumLength: 14, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true };

beforeAll(async () => {
  server = await startTestServer();
  idp = server.client();
  poolId = await createPool(idp, {
    Policies: { PasswordPolicy: POLICY },
    AdminCreateUserConfig: {
      InviteMessageTemplate: { EmailSubject: 'Welcome', EmailMessage: 'Hello {username}, your password is {####} ', SMSMessage: 'User {username} pass {####}' },
    },
  });
  ({ clientId } = await createClient(idp, poolId, { PreventUserExistenceErrors: 'LEGACY' }));
});

afterAll(async () => {
  await server?.close();
});

const STRONG = 'Str0ng-enough-pw!';
const getAdmin = (username: string) => idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
const startSignIn = (username: string, password: string) =>
  idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password } }));

async function confirmedUser(): Promise<string> {
  const username = unique('adm');
  await adminUser(idp, poolId, username, { email: `${username}@example.com` }, STRONG);
  return username;
}

describe('AdminGetUser', () => {
  it("answers the user's status, attributes and dates", async () => {
    const username = await confirmedUser();
    const user = await getAdmin(username);
    expect(user).toMatchObject({ Username: username, Enabled: true, UserStatus: 'CONFIRMED' });
    expect(user.UserAttributes![0]!.Name).toBe('sub');
    expect(user.UserAttributes).toContainEqual({ Name: 'email', Value: `${username}@example.com` });
    expect(user.UserCreateDate).toBeInstanceOf(Date);
    expect(user.UserLastModifiedDate!.getTime()).toBeGreaterThanOrEqual(user.UserCreateDate!.getTime());
  });

  it('refuses an unknown user and an unknown pool', async () => {
    await expectError(getAdmin(unique('ghost')), NOT_FOUND);
    await expectError(idp.send(new AdminGetUserCommand({ UserPoolId: 'us-east-1_nosuchpool', Username: 'x' })), { name: 'ResourceNotFoundException' });
  });
});

describe('AdminConfirmSignUp', () => {
  it('confirms a signed-up user once', async () => {
    const username = unique('acs');
    await idp.send(new SignUpCommand({ ClientId: clientId, Username: username, Password: STRONG }));
    expect((await getAdmin(username)).UserStatus).toBe('UNCONFIRMED');
    await idp.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: username }));
    expect((await getAdmin(username)).UserStatus).toBe('CONFIRMED');
    await expect(passwordSignIn(idp, clientId, username, STRONG)).resolves.toHaveProperty('AccessToken');
    await expectError(idp.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: username })), {
      name: 'NotAuthorizedException',
      message: 'User cannot be confirmed. Current status is CONFIRMED',
    });
    await expectError(idp.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: unique('ghost') })), NOT_FOUND);
  });
});

describe('AdminSetUserPassword', () => {
  it('Permanent: the user signs in with it as is', async () => {
    const username = await confirmedUser();
    await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: 'An0ther-strong-pw', Permanent: true }));
    expect((await getAdmin(username)).UserStatus).toBe('CONFIRMED');
    await expectError(passwordSignIn(idp, clientId, username, STRONG), { name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    await expect(passwordSignIn(idp, clientId, username, 'An0ther-strong-pw')).resolves.toHaveProperty('AccessToken');
  });

  it('not Permanent: the password is temporary and must be replaced at sign-in', async () => {
    const username = await confirmedUser();
    await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: 'Temp0rary-strong-pw', Permanent: false }));
    expect((await getAdmin(username)).UserStatus).toBe('FORCE_CHANGE_PASSWORD');
    const started = await startSignIn(username, 'Temp0rary-strong-pw');
    expect(started.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
  });

  it('confirms an unconfirmed user when Permanent', async () => {
    const username = unique('unc');
    await idp.send(new SignUpCommand({ ClientId: clientId, Username: username, Password: STRONG }));
    await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: STRONG, Permanent: true }));
    expect((await getAdmin(username)).UserStatus).toBe('CONFIRMED');
  });

  it('enforces the policy, and refuses an unknown user', async () => {
    const username = await confirmedUser();
    await expectError(idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: 'Sh0rt-pw!', Permanent: true })), {
      name: 'InvalidPasswordException',
      message: 'Password did not conform with policy: Password not long enough',
    });
    await expectError(idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: unique('ghost'), Password: STRONG, Permanent: true })), NOT_FOUND);
  });
});

describe('AdminDeleteUser and AdminUserGlobalSignOut', () => {
  it('AdminDeleteUser removes the user and ends their sessions', async () => {
    const username = await confirmedUser();
    const tokens = await passwordSignIn(idp, clientId, username, STRONG);
    await idp.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: username }));
    await expectError(getAdmin(username), NOT_FOUND);
    await expectError(idp.send(new GetUserCommand({ AccessToken: tokens.AccessToken })), REVOKED_ACCESS);
    await expectError(
      idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken } })),
      { name: 'NotAuthorizedException' },
    );
    await expectError(idp.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: username })), NOT_FOUND);
    // The name is free again.
    await adminUser(idp, poolId, username, {}, STRONG);
  });

  it("AdminUserGlobalSignOut revokes every session of the user's", async () => {
    const username = await confirmedUser();
    const first = await passwordSignIn(idp, clientId, username, STRONG);
    const second = await passwordSignIn(idp, clientId, username, STRONG);
    await idp.send(new AdminUserGlobalSignOutCommand({ UserPoolId: poolId, Username: username }));
    for (const tokens of [first, second]) {
      await expectError(idp.send(new GetUserCommand({ AccessToken: tokens.AccessToken })), REVOKED_ACCESS);
      await expectError(
        idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken } })),
        { name: 'NotAuthorizedException', message: 'Refresh Token has been revoked' },
      );
    }
    await expect(passwordSignIn(idp, clientId, username, STRONG)).resolves.toHaveProperty('AccessToken');
    await expectError(idp.send(new AdminUserGlobalSignOutCommand({ UserPoolId: poolId, Username: unique('ghost') })), NOT_FOUND);
  });
});

describe('AdminCreateUser', () => {
  const passwordIn = (body: string) => /your password is (\S+)/.exec(body)?.[1];

  it('generates a temporary password that satisfies the policy and emails it with the username', async () => {
    const username = unique('new');
    const email = `${username}@example.com`;
    const created = await idp.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: username,
        DesiredDeliveryMediums: ['EMAIL'],
        UserAttributes: [{ Name: 'email', Value: email }],
      }),
    );
    expect(created.User).toMatchObject({ Username: username, UserStatus: 'FORCE_CHANGE_PASSWORD', Enabled: true });
    const [message] = await messagesTo(server, email);
    expect(message).toMatchObject({ DeliveryMedium: 'EMAIL', Subject: 'Welcome' });
    expect(message!.Body).toContain(`Hello ${username}, your password is `);
    const temporary = passwordIn(message!.Body)!;
    expect(temporary.length).toBeGreaterThanOrEqual(POLICY.MinimumLength);
    expect(temporary).toMatch(/[a-z]/);
    expect(temporary).toMatch(/[A-Z]/);
    expect(temporary).toMatch(/[0-9]/);
    expect(temporary).toMatch(/[^A-Za-z0-9]/);
    const started = await startSignIn(username, temporary);
    expect(started.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
  });

  it("uses Cognito's default invitation when the pool has no template", async () => {
    const plainPool = await createPool(idp);
    const username = unique('dflt');
    const email = `${username}@example.com`;
    await idp.send(
      new AdminCreateUserCommand({ UserPoolId: plainPool, Username: username, DesiredDeliveryMediums: ['EMAIL'], UserAttributes: [{ Name: 'email', Value: email }] }),
    );
    const [message] = await messagesTo(server, email);
    expect(message!.Subject).toBe('Your temporary password');
    const match = /^Your username is (\S+) and temporary password is (\S+)\. ?$/.exec(message!.Body);
    expect(match?.[1]).toBe(username);
    const { clientId: c } = await createClient(idp, plainPool);
    const started = await idp.send(
      new InitiateAuthCommand({ ClientId: c, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: match![2]! } }),
    );
    expect(started.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
  });

  it('generates a different password every time', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const username = unique('many');
      const email = `${username}@example.com`;
      await idp.send(
        new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, DesiredDeliveryMediums: ['EMAIL'], UserAttributes: [{ Name: 'email', Value: email }] }),
      );
      seen.add(passwordIn((await messagesTo(server, email))[0]!.Body)!);
    }
    expect(seen.size).toBe(3);
  });

  it('sends an SMS invitation to the phone number', async () => {
    const username = unique('sms');
    const phone = `+1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
    await idp.send(
      new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, DesiredDeliveryMediums: ['SMS'], UserAttributes: [{ Name: 'phone_number', Value: phone }] }),
    );
    const [message] = await messagesTo(server, phone);
    expect(message!.DeliveryMedium).toBe('SMS');
    expect(message!.Body).toMatch(new RegExp(`^User ${username} pass \\S+$`));
  });

  it('takes a given temporary password, checked against the policy', async () => {
    const username = unique('given');
    await expectError(
      idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, TemporaryPassword: 'Short1!', MessageAction: 'SUPPRESS' })),
      { name: 'InvalidPasswordException', message: 'Password did not conform with policy: Password not long enough' },
    );
    await expectError(getAdmin(username), NOT_FOUND);
    await idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, TemporaryPassword: STRONG, MessageAction: 'SUPPRESS' }));
    expect((await startSignIn(username, STRONG)).ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
  });

  it('sends nothing with MessageAction SUPPRESS', async () => {
    const username = unique('quiet');
    const email = `${username}@example.com`;
    await idp.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: username,
        MessageAction: 'SUPPRESS',
        DesiredDeliveryMediums: ['EMAIL'],
        UserAttributes: [{ Name: 'email', Value: email }],
      }),
    );
    expect(await messagesTo(server, email)).toEqual([]);
  });

  it('RESEND issues a fresh temporary password and retires the old one', async () => {
    const username = unique('again');
    const email = `${username}@example.com`;
    const create = (action?: 'RESEND') =>
      idp.send(
        new AdminCreateUserCommand({
          UserPoolId: poolId,
          Username: username,
          DesiredDeliveryMediums: ['EMAIL'],
          ...(action ? { MessageAction: action } : { UserAttributes: [{ Name: 'email', Value: email }] }),
        }),
      );
    await create();
    const first = passwordIn((await messagesTo(server, email))[0]!.Body)!;
    const resent = await create('RESEND');
    expect(resent.User).toMatchObject({ Username: username, UserStatus: 'FORCE_CHANGE_PASSWORD' });
    const messages = await messagesTo(server, email);
    expect(messages).toHaveLength(2);
    const second = passwordIn(messages[0]!.Body)!;
    expect(second).not.toBe(first);
    await expectError(startSignIn(username, first), { name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    expect((await startSignIn(username, second)).ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
  });

  it('RESEND refuses a user who is not waiting for a new password, and a user who does not exist', async () => {
    const username = await confirmedUser();
    await expectError(idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, MessageAction: 'RESEND' })), {
      name: 'UnsupportedUserStateException',
    });
    await expectError(idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: unique('ghost'), MessageAction: 'RESEND' })), NOT_FOUND);
  });

  it('refuses a username that is taken', async () => {
    const username = await confirmedUser();
    await expectError(idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS' })), {
      name: 'UsernameExistsException',
      message: 'User account already exists',
    });
  });

  it('refuses bad attributes, and an invitation to a medium the user has no address for', async () => {
    await expectError(
      idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: unique('bad'), MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: 'nope' }] })),
      { name: 'InvalidParameterException', message: 'Invalid email address format.' },
    );
    await expectError(
      idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: unique('bad'), MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'custom:nope', Value: 'x' }] })),
      { name: 'InvalidParameterException', message: 'Attributes did not conform to the schema: custom:nope: Attribute does not exist in the schema.' },
    );
    const username = unique('nomail');
    await expectError(idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, DesiredDeliveryMediums: ['EMAIL'] })), {
      name: 'InvalidParameterException',
    });
    await expectError(getAdmin(username), NOT_FOUND);
  });

  it('lets the invited user finish with NEW_PASSWORD_REQUIRED and sign in', async () => {
    const username = unique('finish');
    await idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, TemporaryPassword: STRONG, MessageAction: 'SUPPRESS' }));
    const started = await startSignIn(username, STRONG);
    const done = await idp.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: started.Session,
        ChallengeResponses: { USERNAME: username, NEW_PASSWORD: 'Final-strong-passw0rd' },
      }),
    );
    expect(done.AuthenticationResult?.AccessToken).toEqual(expect.any(String));
    expect((await getAdmin(username)).UserStatus).toBe('CONFIRMED');
    await expect(passwordSignIn(idp, clientId, username, 'Final-strong-passw0rd')).resolves.toHaveProperty('AccessToken');
  });
});

