import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminCreateUserCommand,
  AdminDeleteUserAttributesCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminResetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  AdminUserGlobalSignOutCommand,
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
  GetUserCommand,
  InitiateAuthCommand,
  SignUpCommand,
  VerifyUserAttributeCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from './support/test-server.js';
import { latestCode, messagesTo } from './support/outbox.js';
import { HOUR_MS, PASSWORD, adminAtServerTime, adminUser, createClient, createPool, expectError, passwordSignIn, unique, withClockAdvanced } from './support/cognito.js';

// The administrator's user management: AdminDisableUser / AdminEnableUser (sessions end and stay
// ended), AdminResetUserPassword (RESET_REQUIRED, a recovery code, ConfirmForgotPassword),
// AdminUpdateUserAttributes (developer-only attributes, verified flags, codes for changed
// addresses, AttributesRequireVerificationBeforeUpdate, alias conflicts), AdminDeleteUserAttributes,
// and what AdminGetUser reports of all that. Every error case through the AWS SDK v3.

let server: TestServer;
let idp: CognitoIdentityProviderClient;
let poolId: string;
let clientId: string;
let readerClientId: string;

const NOT_FOUND = { name: 'UserNotFoundException', message: 'User does not exist.' };
const NO_POOL = { name: 'ResourceNotFoundException' };
const REVOKED_ACCESS = { name: 'NotAuthorizedException', message: 'Access Token has been revoked' };
const REVOKED_REFRESH = { name: 'NotAuthorizedException', message: 'Refresh Token has been revoked' };
const DISABLED = { name: 'NotAuthorizedException', message: 'User is disabled.' };
const RESET_REQUIRED = { name: 'PasswordResetRequiredException', message: 'Password reset required for the user' };
const NEW_PASSWORD = 'N3w-password-here';
const GHOST_POOL = 'us-east-1_nosuchpool';

beforeAll(async () => {
  server = await startTestServer();
  idp = server.client();
  poolId = await createPool(idp, {
    AutoVerifiedAttributes: ['email'],
    Schema: [
      { Name: 'email', AttributeDataType: 'String', Required: true, Mutable: true },
      { Name: 'plan', AttributeDataType: 'String', Mutable: true },
      { Name: 'born', AttributeDataType: 'String', Mutable: false },
      { Name: 'age', AttributeDataType: 'Number', Mutable: true, NumberAttributeConstraints: { MinValue: '0', MaxValue: '150' } },
      { Name: 'secret', AttributeDataType: 'String', Mutable: true, DeveloperOnlyAttribute: true },
    ],
  });
  ({ clientId } = await createClient(idp, poolId, { PreventUserExistenceErrors: 'LEGACY' }));
  ({ clientId: readerClientId } = await createClient(idp, poolId, {
    PreventUserExistenceErrors: 'LEGACY',
    ReadAttributes: ['email', 'email_verified', 'name'],
  }));
});

afterAll(async () => {
  await server?.close();
});

const attrs = (values: Record<string, string>) => Object.entries(values).map(([Name, Value]) => ({ Name, Value }));
const getAdmin = (username: string, pool = poolId) => idp.send(new AdminGetUserCommand({ UserPoolId: pool, Username: username }));
const adminAttributes = async (username: string, pool = poolId) =>
  Object.fromEntries((await getAdmin(username, pool)).UserAttributes!.map((a) => [a.Name!, a.Value!]));
const disable = (username: string, pool = poolId) => idp.send(new AdminDisableUserCommand({ UserPoolId: pool, Username: username }));
const enable = (username: string, pool = poolId) => idp.send(new AdminEnableUserCommand({ UserPoolId: pool, Username: username }));
const reset = (username: string, pool = poolId) => idp.send(new AdminResetUserPasswordCommand({ UserPoolId: pool, Username: username }));
const updateAttributes = (username: string, values: Record<string, string>, pool = poolId) =>
  idp.send(new AdminUpdateUserAttributesCommand({ UserPoolId: pool, Username: username, UserAttributes: attrs(values) }));
const deleteAttributes = (username: string, names: string[], pool = poolId) =>
  idp.send(new AdminDeleteUserAttributesCommand({ UserPoolId: pool, Username: username, UserAttributeNames: names }));
const refresh = (token: string, client = clientId) =>
  idp.send(new InitiateAuthCommand({ ClientId: client, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: token } }));
const getUser = (access: string) => idp.send(new GetUserCommand({ AccessToken: access }));
const confirmForgot = (username: string, code: string, password = NEW_PASSWORD, client = clientId) =>
  idp.send(new ConfirmForgotPasswordCommand({ ClientId: client, Username: username, ConfirmationCode: code, Password: password }));
const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;

/** A CONFIRMED user with a verified email; their username and email. */
async function member(extra: Record<string, string> = {}, pool = poolId) {
  const username = unique('mgr');
  const email = `${username}@example.com`;
  await adminUser(idp, pool, username, { email, email_verified: 'true', ...extra });
  return { username, email };
}

describe('AdminDisableUser and AdminEnableUser', () => {
  it('a disabled user cannot sign in, and their sessions end at once', async () => {
    const { username } = await member();
    const tokens = await passwordSignIn(idp, clientId, username);
    const other = await member();
    const othersTokens = await passwordSignIn(idp, clientId, other.username);

    await expect(disable(username)).resolves.toBeDefined();
    expect(await getAdmin(username)).toMatchObject({ Username: username, Enabled: false, UserStatus: 'CONFIRMED' });

    await expectError(passwordSignIn(idp, clientId, username), DISABLED);
    await expectError(
      idp.send(
        new AdminInitiateAuthCommand({
          UserPoolId: poolId,
          ClientId: clientId,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: username, PASSWORD },
        }),
      ),
      DISABLED,
    );
    await expectError(getUser(tokens.AccessToken), REVOKED_ACCESS);
    await expectError(refresh(tokens.RefreshToken), REVOKED_REFRESH);
    await expectError(idp.send(new ForgotPasswordCommand({ ClientId: clientId, Username: username })), DISABLED);
    // Nobody else is touched.
    await expect(getUser(othersTokens.AccessToken)).resolves.toHaveProperty('Username', other.username);
    // Disabling again is not an error.
    await disable(username);
    expect((await getAdmin(username)).Enabled).toBe(false);
  });

  it('enabling lets the user sign in again, but does not revive old tokens', async () => {
    const { username } = await member();
    const old = await passwordSignIn(idp, clientId, username);
    await disable(username);
    await enable(username);
    expect(await getAdmin(username)).toMatchObject({ Enabled: true, UserStatus: 'CONFIRMED' });
    await expectError(getUser(old.AccessToken), REVOKED_ACCESS);
    await expectError(refresh(old.RefreshToken), REVOKED_REFRESH);
    const fresh = await passwordSignIn(idp, clientId, username);
    await expect(getUser(fresh.AccessToken)).resolves.toHaveProperty('Username', username);
    await expect(refresh(fresh.RefreshToken)).resolves.toHaveProperty('AuthenticationResult.AccessToken');
    // Enabling an enabled user is not an error.
    await enable(username);
    expect((await getAdmin(username)).Enabled).toBe(true);
  });

  it('updates UserLastModifiedDate', async () => {
    const { username } = await member();
    const before = await getAdmin(username);
    await withClockAdvanced(server, 5_000, async () => {
      await adminAtServerTime(server).send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: username }));
    });
    const after = await getAdmin(username);
    expect(after.UserLastModifiedDate!.getTime()).toBeGreaterThan(before.UserLastModifiedDate!.getTime());
    expect(after.UserCreateDate).toEqual(before.UserCreateDate);
  });

  it('refuses an unknown user and an unknown pool', async () => {
    await expectError(disable(unique('ghost')), NOT_FOUND);
    await expectError(enable(unique('ghost')), NOT_FOUND);
    await expectError(disable('x', GHOST_POOL), NO_POOL);
    await expectError(enable('x', GHOST_POOL), NO_POOL);
  });
});

describe('AdminResetUserPassword', () => {
  it('requires a reset: a code goes to the verified email, sign-in is refused until ConfirmForgotPassword', async () => {
    const { username, email } = await member();
    await expect(reset(username)).resolves.toBeDefined();
    expect(await getAdmin(username)).toMatchObject({ UserStatus: 'RESET_REQUIRED', Enabled: true });
    const [message] = await messagesTo(server, email);
    expect(message).toMatchObject({ DeliveryMedium: 'EMAIL' });
    const code = await latestCode(server, email);

    // The old password is no longer enough: the user must reset it.
    await expectError(passwordSignIn(idp, clientId, username), RESET_REQUIRED);

    await expectError(confirmForgot(username, String((Number(code) + 1) % 1_000_000).padStart(6, '0')), {
      name: 'CodeMismatchException',
      message: 'Invalid verification code provided, please try again.',
    });
    await confirmForgot(username, code);
    expect((await getAdmin(username)).UserStatus).toBe('CONFIRMED');
    await expectError(passwordSignIn(idp, clientId, username), { name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    await expect(passwordSignIn(idp, clientId, username, NEW_PASSWORD)).resolves.toHaveProperty('AccessToken');
    // The code is single-use.
    await expectError(confirmForgot(username, code, 'An0ther-password'), { name: 'ExpiredCodeException' });
  });

  it('leaves existing sessions alone (AdminUserGlobalSignOut ends them)', async () => {
    const { username } = await member();
    const tokens = await passwordSignIn(idp, clientId, username);
    await reset(username);
    await expect(getUser(tokens.AccessToken)).resolves.toHaveProperty('Username', username);
    await idp.send(new AdminUserGlobalSignOutCommand({ UserPoolId: poolId, Username: username }));
    await expectError(getUser(tokens.AccessToken), REVOKED_ACCESS);
  });

  it('the code expires after an hour', async () => {
    const { username, email } = await member();
    await reset(username);
    const code = await latestCode(server, email);
    await withClockAdvanced(server, HOUR_MS + 60_000, async () => {
      await expectError(confirmForgot(username, code), { name: 'ExpiredCodeException', message: 'Invalid code provided, please request a code again.' });
    });
    // A new reset sends a new code that works.
    await reset(username);
    await confirmForgot(username, await latestCode(server, email));
    expect((await getAdmin(username)).UserStatus).toBe('CONFIRMED');
  });

  it('refuses, changing nothing, when the user has no verified email or phone number', async () => {
    const { username, email } = await member({ email_verified: 'false' });
    await expectError(reset(username), {
      name: 'InvalidParameterException',
      message: 'Cannot reset password for the user as there is no registered/verified email or phone_number',
    });
    expect((await getAdmin(username)).UserStatus).toBe('CONFIRMED');
    expect(await messagesTo(server, email)).toHaveLength(0);
    await expect(passwordSignIn(idp, clientId, username)).resolves.toHaveProperty('AccessToken');
  });

  it('refuses users who have no password of their own yet (FORCE_CHANGE_PASSWORD, UNCONFIRMED)', async () => {
    const invited = unique('inv');
    await idp.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: invited,
        MessageAction: 'SUPPRESS',
        UserAttributes: attrs({ email: `${invited}@example.com`, email_verified: 'true' }),
      }),
    );
    const cannot = { name: 'NotAuthorizedException', message: 'User password cannot be reset in the current state.' };
    await expectError(reset(invited), cannot);
    expect((await getAdmin(invited)).UserStatus).toBe('FORCE_CHANGE_PASSWORD');

    const signedUp = unique('unc');
    await idp.send(new SignUpCommand({ ClientId: clientId, Username: signedUp, Password: PASSWORD, UserAttributes: attrs({ email: `${signedUp}@example.com` }) }));
    await expectError(reset(signedUp), cannot);
    expect((await getAdmin(signedUp)).UserStatus).toBe('UNCONFIRMED');
  });

  it('sends the code by the channel AccountRecoverySetting puts first', async () => {
    const pool = await createPool(idp, {
      AccountRecoverySetting: {
        RecoveryMechanisms: [
          { Name: 'verified_phone_number', Priority: 1 },
          { Name: 'verified_email', Priority: 2 },
        ],
      },
    });
    const { clientId: client } = await createClient(idp, pool, { PreventUserExistenceErrors: 'LEGACY' });
    const phone = `+1555${String(Date.now()).slice(-7)}`;
    const { username, email } = await member({ phone_number: phone, phone_number_verified: 'true' }, pool);
    await reset(username, pool);
    expect(await messagesTo(server, email)).toHaveLength(0);
    const [sms] = await messagesTo(server, phone);
    expect(sms).toMatchObject({ DeliveryMedium: 'SMS' });
    await confirmForgot(username, await latestCode(server, phone), NEW_PASSWORD, client);
    await expect(passwordSignIn(idp, client, username, NEW_PASSWORD)).resolves.toHaveProperty('AccessToken');
  });

  it('refuses when only an administrator may recover accounts', async () => {
    const pool = await createPool(idp, { AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'admin_only', Priority: 1 }] } });
    const { username } = await member({}, pool);
    await expectError(reset(username, pool), { name: 'NotAuthorizedException', message: 'Contact administrator to reset password.' });
    expect((await getAdmin(username, pool)).UserStatus).toBe('CONFIRMED');
  });

  it('refuses an unknown user and an unknown pool', async () => {
    await expectError(reset(unique('ghost')), NOT_FOUND);
    await expectError(reset('x', GHOST_POOL), NO_POOL);
  });
});

describe('AdminUpdateUserAttributes', () => {
  it('sets ordinary, custom and developer-only attributes; users never see developer-only ones', async () => {
    const { username } = await member();
    await expect(updateAttributes(username, { name: 'Ada', 'custom:plan': 'pro', 'custom:age': '36', 'dev:custom:secret': 's3' })).resolves.toBeDefined();
    expect(await adminAttributes(username)).toMatchObject({ name: 'Ada', 'custom:plan': 'pro', 'custom:age': '36', 'dev:custom:secret': 's3', email_verified: 'true' });
    const { AccessToken } = await passwordSignIn(idp, clientId, username);
    const seen = (await getUser(AccessToken)).UserAttributes!.map((a) => a.Name);
    expect(seen).toContain('custom:plan');
    expect(seen).not.toContain('dev:custom:secret');
  });

  it('a changed email becomes unverified and gets a code, which the user verifies', async () => {
    const { username, email } = await member();
    const next = `new-${email}`;
    await updateAttributes(username, { email: next });
    expect(await adminAttributes(username)).toMatchObject({ email: next, email_verified: 'false' });
    const [message] = await messagesTo(server, next);
    expect(message).toMatchObject({ DeliveryMedium: 'EMAIL' });
    expect(await messagesTo(server, email)).toHaveLength(0);
    const { AccessToken } = await passwordSignIn(idp, clientId, username);
    await idp.send(new VerifyUserAttributeCommand({ AccessToken, AttributeName: 'email', Code: await latestCode(server, next) }));
    expect(await adminAttributes(username)).toMatchObject({ email: next, email_verified: 'true' });
  });

  it('an email sent with email_verified=true takes effect verified, and no message goes out', async () => {
    const { username, email } = await member();
    const next = `verified-${email}`;
    await updateAttributes(username, { email: next, email_verified: 'true' });
    expect(await adminAttributes(username)).toMatchObject({ email: next, email_verified: 'true' });
    expect(await messagesTo(server, next)).toHaveLength(0);
  });

  it('the same email again changes nothing and sends nothing', async () => {
    const { username, email } = await member();
    await updateAttributes(username, { email });
    expect(await adminAttributes(username)).toMatchObject({ email, email_verified: 'true' });
    expect(await messagesTo(server, email)).toHaveLength(0);
  });

  it('sets and clears the verified flags directly', async () => {
    const { username } = await member();
    await updateAttributes(username, { email_verified: 'false' });
    expect((await adminAttributes(username)).email_verified).toBe('false');
    await updateAttributes(username, { email_verified: 'true' });
    expect((await adminAttributes(username)).email_verified).toBe('true');
  });

  it('a phone number the pool does not auto-verify becomes unverified, with no message', async () => {
    const { username } = await member({ phone_number: '+15550000001', phone_number_verified: 'true' });
    const phone = `+1556${String(Date.now()).slice(-7)}`;
    await updateAttributes(username, { phone_number: phone });
    expect(await adminAttributes(username)).toMatchObject({ phone_number: phone, phone_number_verified: 'false' });
    expect(await messagesTo(server, phone)).toHaveLength(0);
  });

  it('a blank value deletes the attribute; a required one cannot be blanked', async () => {
    const { username, email } = await member({ name: 'Ada' });
    await updateAttributes(username, { name: '' });
    expect(await adminAttributes(username)).not.toHaveProperty('name');
    await expectError(updateAttributes(username, { email: '' }), {
      name: 'InvalidParameterException',
      message: 'Attributes did not conform to the schema: email: The attribute is required',
    });
    expect((await adminAttributes(username)).email).toBe(email);
  });

  it('refuses immutable, unknown and ill-typed attributes and sub, changing nothing', async () => {
    const { username } = await member({ 'custom:born': '1990', name: 'Before' });
    await expectError(updateAttributes(username, { name: 'After', 'custom:born': '1991' }), {
      name: 'InvalidParameterException',
      message: 'Attributes did not conform to the schema: custom:born: Attribute cannot be updated. (changing an immutable attribute)',
    });
    await expectError(updateAttributes(username, { name: 'After', 'custom:nope': 'x' }), {
      name: 'InvalidParameterException',
      message: 'Attributes did not conform to the schema: custom:nope: Attribute does not exist in the schema.',
    });
    await expectError(updateAttributes(username, { sub: '00000000-0000-0000-0000-000000000000' }), {
      name: 'InvalidParameterException',
      message: 'Attributes did not conform to the schema: sub: Attribute cannot be updated.',
    });
    await expectError(updateAttributes(username, { 'custom:age': 'old' }), {
      name: 'InvalidParameterException',
      message: 'Attributes did not conform to the schema: custom:age: Number must be a valid number.',
    });
    await expectError(updateAttributes(username, { email_verified: 'yes' }), {
      name: 'InvalidParameterException',
      message: 'Attributes did not conform to the schema: email_verified: Value must be either true or false.',
    });
    await expectError(updateAttributes(username, { email: 'not-an-email' }), { name: 'InvalidParameterException', message: 'Invalid email address format.' });
    expect(await adminAttributes(username)).toMatchObject({ name: 'Before', 'custom:born': '1990', email_verified: 'true' });
  });

  it('refuses an unknown user and an unknown pool', async () => {
    await expectError(updateAttributes(unique('ghost'), { name: 'x' }), NOT_FOUND);
    await expectError(updateAttributes('x', { name: 'x' }, GHOST_POOL), NO_POOL);
  });

  it("new tokens carry the change, limited to the client's ReadAttributes", async () => {
    const { username } = await member({ name: 'Old' });
    const reader = await passwordSignIn(idp, readerClientId, username);
    await updateAttributes(username, { name: 'New', 'custom:plan': 'gold' });
    const refreshed = await refresh(reader.RefreshToken, readerClientId);
    const id = claimsOf(refreshed.AuthenticationResult!.IdToken!);
    expect(id).toMatchObject({ name: 'New', email_verified: true });
    expect(id).not.toHaveProperty('custom:plan');
    const seen = (await getUser(reader.AccessToken)).UserAttributes!.map((a) => a.Name).sort();
    expect(seen).toEqual(['email', 'email_verified', 'name', 'sub']);
    // The administrator sees everything.
    expect(await adminAttributes(username)).toMatchObject({ name: 'New', 'custom:plan': 'gold' });
    // A client without ReadAttributes gets every attribute but developer-only ones.
    const full = claimsOf((await passwordSignIn(idp, clientId, username)).IdToken);
    expect(full).toMatchObject({ name: 'New', 'custom:plan': 'gold' });
  });

  describe('with AttributesRequireVerificationBeforeUpdate', () => {
    let pool: string;
    let client: string;
    beforeAll(async () => {
      pool = await createPool(idp, {
        AutoVerifiedAttributes: ['email'],
        UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
      });
      ({ clientId: client } = await createClient(idp, pool, { PreventUserExistenceErrors: 'LEGACY' }));
    });

    it('keeps the verified email until the new one is verified', async () => {
      const { username, email } = await member({}, pool);
      const next = `held-${email}`;
      await updateAttributes(username, { email: next }, pool);
      expect(await adminAttributes(username, pool)).toMatchObject({ email, email_verified: 'true' });
      expect(await messagesTo(server, next)).toHaveLength(1);
      const { AccessToken } = await passwordSignIn(idp, client, username);
      await idp.send(new VerifyUserAttributeCommand({ AccessToken, AttributeName: 'email', Code: await latestCode(server, next) }));
      expect(await adminAttributes(username, pool)).toMatchObject({ email: next, email_verified: 'true' });
    });

    it('email_verified=true confirms the pending email', async () => {
      const { username, email } = await member({}, pool);
      const next = `pending-${email}`;
      await updateAttributes(username, { email: next }, pool);
      await updateAttributes(username, { email_verified: 'true' }, pool);
      expect(await adminAttributes(username, pool)).toMatchObject({ email: next, email_verified: 'true' });
    });

    it('an email sent with email_verified=true replaces the old one at once', async () => {
      const { username, email } = await member({}, pool);
      const next = `direct-${email}`;
      await updateAttributes(username, { email: next, email_verified: 'true' }, pool);
      expect(await adminAttributes(username, pool)).toMatchObject({ email: next, email_verified: 'true' });
      expect(await messagesTo(server, next)).toHaveLength(0);
    });
  });

  describe('aliases', () => {
    let aliasPool: string;
    let aliasClient: string;
    let emailPool: string;
    beforeAll(async () => {
      aliasPool = await createPool(idp, { AliasAttributes: ['email', 'preferred_username'], AutoVerifiedAttributes: ['email'] });
      ({ clientId: aliasClient } = await createClient(idp, aliasPool, { PreventUserExistenceErrors: 'LEGACY' }));
      emailPool = await createPool(idp, { UsernameAttributes: ['email'] });
    });

    it('marking an email verified moves the alias from the user who held it', async () => {
      const shared = `${unique('shared')}@example.com`;
      const first = unique('first');
      await adminUser(idp, aliasPool, first, { email: shared, email_verified: 'true' });
      const second = unique('second');
      await adminUser(idp, aliasPool, second, {});
      await updateAttributes(second, { email: shared, email_verified: 'true' }, aliasPool);
      expect(await adminAttributes(second, aliasPool)).toMatchObject({ email: shared, email_verified: 'true' });
      expect(await adminAttributes(first, aliasPool)).toMatchObject({ email: shared, email_verified: 'false' });
      const tokens = await passwordSignIn(idp, aliasClient, shared);
      expect(claimsOf(tokens.IdToken)['cognito:username']).toBe(second);
    });

    it('an unverified duplicate email is allowed and takes nothing from anyone', async () => {
      const shared = `${unique('dup')}@example.com`;
      const first = unique('first');
      await adminUser(idp, aliasPool, first, { email: shared, email_verified: 'true' });
      const second = unique('second');
      await adminUser(idp, aliasPool, second, {});
      await updateAttributes(second, { email: shared }, aliasPool);
      expect(await adminAttributes(second, aliasPool)).toMatchObject({ email: shared, email_verified: 'false' });
      expect(await adminAttributes(first, aliasPool)).toMatchObject({ email_verified: 'true' });
    });

    it("another user's preferred_username is AliasExistsException", async () => {
      const taken = unique('nick');
      const first = unique('first');
      await adminUser(idp, aliasPool, first, { preferred_username: taken });
      const second = unique('second');
      await adminUser(idp, aliasPool, second, { preferred_username: unique('own') });
      await expectError(updateAttributes(second, { preferred_username: taken }, aliasPool), {
        name: 'AliasExistsException',
        message: 'An account with the given preferred_username already exists.',
      });
    });

    it("where the email is the username, another user's email is AliasExistsException", async () => {
      const firstEmail = `${unique('one')}@example.com`;
      const secondEmail = `${unique('two')}@example.com`;
      await adminUser(idp, emailPool, firstEmail, {});
      await adminUser(idp, emailPool, secondEmail, {});
      await expectError(updateAttributes(secondEmail, { email: firstEmail.toUpperCase() }, emailPool), {
        name: 'AliasExistsException',
        message: 'An account with the given email already exists.',
      });
      expect((await adminAttributes(secondEmail, emailPool)).email).toBe(secondEmail);
    });
  });
});

describe('AdminDeleteUserAttributes', () => {
  it('deletes optional, custom and developer-only attributes', async () => {
    const { username } = await member({ name: 'Ada', 'custom:plan': 'pro', 'dev:custom:secret': 's' });
    await expect(deleteAttributes(username, ['name', 'custom:plan', 'dev:custom:secret'])).resolves.toBeDefined();
    const after = await adminAttributes(username);
    for (const name of ['name', 'custom:plan', 'dev:custom:secret']) expect(after).not.toHaveProperty(name);
    expect(after).toHaveProperty('email');
  });

  it('deleting a phone number deletes its verified flag', async () => {
    const { username } = await member({ phone_number: '+15550000002', phone_number_verified: 'true' });
    await deleteAttributes(username, ['phone_number']);
    const after = await adminAttributes(username);
    expect(after).not.toHaveProperty('phone_number');
    expect(after).not.toHaveProperty('phone_number_verified');
  });

  it('refuses required, immutable and unknown attributes and sub, deleting nothing', async () => {
    const { username, email } = await member({ name: 'Ada', 'custom:born': '1990' });
    await expectError(deleteAttributes(username, ['name', 'email']), {
      name: 'InvalidParameterException',
      message: 'Attributes did not conform to the schema: email: The attribute is required',
    });
    await expectError(deleteAttributes(username, ['name', 'custom:born']), {
      name: 'InvalidParameterException',
      message: 'Attributes did not conform to the schema: custom:born: Attribute cannot be updated. (changing an immutable attribute)',
    });
    await expectError(deleteAttributes(username, ['name', 'custom:nope']), {
      name: 'InvalidParameterException',
      message: 'Attributes did not conform to the schema: custom:nope: Attribute does not exist in the schema.',
    });
    await expectError(deleteAttributes(username, ['sub']), {
      name: 'InvalidParameterException',
      message: 'Attributes did not conform to the schema: sub: Attribute cannot be updated.',
    });
    expect(await adminAttributes(username)).toMatchObject({ name: 'Ada', email, 'custom:born': '1990' });
  });

  it('refuses an unknown user and an unknown pool', async () => {
    await expectError(deleteAttributes(unique('ghost'), ['name']), NOT_FOUND);
    await expectError(deleteAttributes('x', ['name'], GHOST_POOL), NO_POOL);
  });
});

describe('AdminGetUser', () => {
  it('reports no MFA settings for a user who has none', async () => {
    const { username } = await member();
    const user = await getAdmin(username);
    expect(user).not.toHaveProperty('MFAOptions');
    expect(user).not.toHaveProperty('UserMFASettingList');
    expect(user).not.toHaveProperty('PreferredMfaSetting');
  });

  it('finds the user by a verified alias, and disables them through it', async () => {
    const pool = await createPool(idp, { AliasAttributes: ['email'] });
    const { username, email } = await member({}, pool);
    await disable(email, pool);
    expect(await getAdmin(username, pool)).toMatchObject({ Username: username, Enabled: false });
  });
});
