import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminGetUserCommand,
  DeleteUserAttributesCommand,
  DeleteUserCommand,
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
  type AttributeType,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from './support/test-server.js';
import { latestCode, messagesTo } from './support/outbox.js';
import { DAY_MS, adminUser, createClient, createPool, expectError, passwordSignIn, unique, withClockAdvanced } from './support/cognito.js';

// What a signed-in user does with their access token: GetUser, UpdateUserAttributes (email changes,
// AttributesRequireVerificationBeforeUpdate), DeleteUserAttributes,
// GetUserAttributeVerificationCode / VerifyUserAttribute, GlobalSignOut, DeleteUser.

let server: TestServer;
let idp: CognitoIdentityProviderClient;
let poolId: string;
let clientId: string;
let limitedClientId: string;

const attrs = (values: Record<string, string>): AttributeType[] => Object.entries(values).map(([Name, Value]) => ({ Name, Value }));
const REVOKED_ACCESS = { name: 'NotAuthorizedException', message: 'Access Token has been revoked' };
const MISMATCH = { name: 'CodeMismatchException', message: 'Invalid verification code provided, please try again.' };

beforeAll(async () => {
  server = await startTestServer();
  idp = server.client();
  poolId = await createPool(idp, {
    AutoVerifiedAttributes: ['email'],
    Schema: [
      { Name: 'email', AttributeDataType: 'String', Required: true, Mutable: true },
      { Name: 'plan', AttributeDataType: 'String', Mutable: true },
      { Name: 'born', AttributeDataType: 'String', Mutable: false },
      { Name: 'secret', AttributeDataType: 'String', Mutable: true, DeveloperOnlyAttribute: true },
    ],
  });
  ({ clientId } = await createClient(idp, poolId, { PreventUserExistenceErrors: 'LEGACY' }));
  ({ clientId: limitedClientId } = await createClient(idp, poolId, {
    ReadAttributes: ['email', 'email_verified', 'name'],
    WriteAttributes: ['name'],
  }));
});

afterAll(async () => {
  await server?.close();
});

async function signedIn(client = clientId, extra: Record<string, string> = {}) {
  const username = unique('me');
  const email = `${username}@example.com`;
  await adminUser(idp, poolId, username, { email, email_verified: 'true', name: 'Me', 'custom:born': '1990', ...extra });
  const tokens = await passwordSignIn(idp, client, username);
  return { username, email, access: tokens.AccessToken, refresh: tokens.RefreshToken };
}

const getUser = (access: string) => idp.send(new GetUserCommand({ AccessToken: access }));
const attributesOf = async (access: string) => Object.fromEntries((await getUser(access)).UserAttributes!.map((a) => [a.Name, a.Value]));
const update = (access: string, values: Record<string, string>) => idp.send(new UpdateUserAttributesCommand({ AccessToken: access, UserAttributes: attrs(values) }));
const verify = (access: string, name: string, code: string) => idp.send(new VerifyUserAttributeCommand({ AccessToken: access, AttributeName: name, Code: code }));

describe('GetUser', () => {
  it('answers the username and every attribute but developer-only ones', async () => {
    const me = await signedIn(clientId, { 'dev:custom:secret': 'hidden' });
    const user = await getUser(me.access);
    expect(user.Username).toBe(me.username);
    expect(user.UserAttributes![0]!.Name).toBe('sub');
    expect(Object.fromEntries(user.UserAttributes!.map((a) => [a.Name, a.Value]))).toMatchObject({
      email: me.email,
      email_verified: 'true',
      name: 'Me',
      'custom:born': '1990',
    });
    expect(user.UserAttributes!.map((a) => a.Name)).not.toContain('dev:custom:secret');
  });

  it("shows only the client's ReadAttributes (and sub)", async () => {
    const me = await signedIn(limitedClientId);
    expect((await getUser(me.access)).UserAttributes!.map((a) => a.Name).sort()).toEqual(['email', 'email_verified', 'name', 'sub']);
  });

  it('refuses a token that is not one of ours', async () => {
    await expectError(getUser('eyJhbGciOiJSUzI1NiJ9.e30.c2ln'), { name: 'NotAuthorizedException', message: 'Invalid Access Token' });
  });
});

describe('UpdateUserAttributes', () => {
  it('changes ordinary attributes and answers no deliveries', async () => {
    const me = await signedIn();
    const result = await update(me.access, { name: 'New Name', 'custom:plan': 'pro' });
    expect(result.CodeDeliveryDetailsList ?? []).toEqual([]);
    expect(await attributesOf(me.access)).toMatchObject({ name: 'New Name', 'custom:plan': 'pro' });
  });

  it('marks a new email unverified and sends a code to it, which verifies it', async () => {
    const me = await signedIn();
    const newEmail = `new-${me.email}`;
    const result = await update(me.access, { email: newEmail });
    expect(result.CodeDeliveryDetailsList).toEqual([{ Destination: 'n***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' }]);
    expect(await attributesOf(me.access)).toMatchObject({ email: newEmail, email_verified: 'false' });
    const code = await latestCode(server, newEmail);
    await expectError(verify(me.access, 'email', String((Number(code) + 1) % 1_000_000).padStart(6, '0')), MISMATCH);
    await verify(me.access, 'email', code);
    expect(await attributesOf(me.access)).toMatchObject({ email: newEmail, email_verified: 'true' });
    // The code is used up.
    await expectError(verify(me.access, 'email', code), { name: 'ExpiredCodeException', message: 'Invalid code provided, please request a code again.' });
  });

  it('leaves a verified email alone when given the same value', async () => {
    const me = await signedIn();
    const result = await update(me.access, { email: me.email });
    expect(result.CodeDeliveryDetailsList ?? []).toEqual([]);
    expect(await attributesOf(me.access)).toMatchObject({ email: me.email, email_verified: 'true' });
  });

  it('refuses attributes the client may not write, verified flags, immutable and unknown attributes, bad formats', async () => {
    const limited = await signedIn(limitedClientId);
    await expectError(update(limited.access, { 'custom:plan': 'pro' }), { name: 'NotAuthorizedException', message: 'A client attempted to write unauthorized attribute' });
    await expect(update(limited.access, { name: 'Allowed' })).resolves.toBeDefined();
    const me = await signedIn();
    await expectError(update(me.access, { email_verified: 'true' }), { name: 'NotAuthorizedException', message: 'A client attempted to write unauthorized attribute' });
    await expectError(update(me.access, { 'dev:custom:secret': 'x' }), { name: 'NotAuthorizedException', message: 'A client attempted to write unauthorized attribute' });
    await expectError(update(me.access, { 'custom:born': '2000' }), {
      name: 'InvalidParameterException',
      message: 'Attributes did not conform to the schema: custom:born: Attribute cannot be updated. (changing an immutable attribute)',
    });
    await expectError(update(me.access, { 'custom:nope': 'x' }), {
      name: 'InvalidParameterException',
      message: 'Attributes did not conform to the schema: custom:nope: Attribute does not exist in the schema.',
    });
    await expectError(update(me.access, { email: 'not-an-email' }), { name: 'InvalidParameterException', message: 'Invalid email address format.' });
    await expectError(update(me.access, { sub: 'x' }), { name: 'InvalidParameterException' });
    expect(await attributesOf(me.access)).toMatchObject({ email: me.email, email_verified: 'true', 'custom:born': '1990' });
  });
});

describe('AttributesRequireVerificationBeforeUpdate', () => {
  let pool: string;
  let client: string;
  beforeAll(async () => {
    pool = await createPool(idp, {
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
    });
    ({ clientId: client } = await createClient(idp, pool, { PreventUserExistenceErrors: 'LEGACY' }));
  });

  it('keeps the old, verified email in force until the new one is verified', async () => {
    const oldEmail = `${unique('keep')}@example.com`;
    await adminUser(idp, pool, oldEmail, { email: oldEmail, email_verified: 'true' });
    const { AccessToken: access } = await passwordSignIn(idp, client, oldEmail);
    const newEmail = `${unique('next')}@example.com`;
    const result = await update(access, { email: newEmail });
    expect(result.CodeDeliveryDetailsList).toEqual([{ Destination: expect.stringMatching(/^n\*\*\*@e\*\*\*$/), DeliveryMedium: 'EMAIL', AttributeName: 'email' }]);
    // Nothing changed yet: the old email is still the user's, verified, and signs in.
    expect(await attributesOf(access)).toMatchObject({ email: oldEmail, email_verified: 'true' });
    await expect(passwordSignIn(idp, client, oldEmail)).resolves.toHaveProperty('AccessToken');
    await expectError(passwordSignIn(idp, client, newEmail), { name: 'UserNotFoundException', message: 'User does not exist.' });
    expect(await messagesTo(server, newEmail)).toHaveLength(1);
    expect(await messagesTo(server, oldEmail)).toHaveLength(0);

    await verify(access, 'email', await latestCode(server, newEmail));
    expect(await attributesOf(access)).toMatchObject({ email: newEmail, email_verified: 'true' });
    await expect(passwordSignIn(idp, client, newEmail)).resolves.toHaveProperty('AccessToken');
    await expectError(passwordSignIn(idp, client, oldEmail), { name: 'UserNotFoundException', message: 'User does not exist.' });
  });

  it('re-sends the code for the pending email on request', async () => {
    const oldEmail = `${unique('keep')}@example.com`;
    await adminUser(idp, pool, oldEmail, { email: oldEmail, email_verified: 'true' });
    const { AccessToken: access } = await passwordSignIn(idp, client, oldEmail);
    const newEmail = `${unique('next')}@example.com`;
    await update(access, { email: newEmail });
    const first = await latestCode(server, newEmail);
    await idp.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: access, AttributeName: 'email' }));
    expect(await messagesTo(server, newEmail)).toHaveLength(2);
    const second = await latestCode(server, newEmail);
    if (first !== second) await expectError(verify(access, 'email', first), MISMATCH);
    await verify(access, 'email', second);
    expect(await attributesOf(access)).toMatchObject({ email: newEmail, email_verified: 'true' });
  });
});

describe('DeleteUserAttributes', () => {
  it('deletes optional attributes and refuses required ones', async () => {
    const me = await signedIn(clientId, { 'custom:plan': 'pro' });
    await idp.send(new DeleteUserAttributesCommand({ AccessToken: me.access, UserAttributeNames: ['name', 'custom:plan'] }));
    const after = await attributesOf(me.access);
    expect(after).not.toHaveProperty('name');
    expect(after).not.toHaveProperty('custom:plan');
    await expectError(idp.send(new DeleteUserAttributesCommand({ AccessToken: me.access, UserAttributeNames: ['email'] })), {
      name: 'InvalidParameterException',
      message: 'Attributes did not conform to the schema: email: The attribute is required',
    });
    expect(await attributesOf(me.access)).toMatchObject({ email: me.email });
  });

  it('refuses attributes the client may not write', async () => {
    const me = await signedIn(limitedClientId);
    await expectError(idp.send(new DeleteUserAttributesCommand({ AccessToken: me.access, UserAttributeNames: ['custom:born'] })), {
      name: 'NotAuthorizedException',
      message: 'A client attempted to write unauthorized attribute',
    });
  });
});

describe('GetUserAttributeVerificationCode and VerifyUserAttribute', () => {
  it('verifies an unverified email with the code sent to it', async () => {
    const me = await signedIn(clientId, { email_verified: 'false' });
    const sent = await idp.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: me.access, AttributeName: 'email' }));
    expect(sent.CodeDeliveryDetails).toEqual({ Destination: `${me.username[0]}***@e***`, DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    await verify(me.access, 'email', await latestCode(server, me.email));
    expect(await attributesOf(me.access)).toMatchObject({ email_verified: 'true' });
  });

  it('takes the newest code only', async () => {
    const me = await signedIn(clientId, { email_verified: 'false' });
    await idp.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: me.access, AttributeName: 'email' }));
    const first = await latestCode(server, me.email);
    await idp.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: me.access, AttributeName: 'email' }));
    const second = await latestCode(server, me.email);
    if (first !== second) await expectError(verify(me.access, 'email', first), MISMATCH);
    await verify(me.access, 'email', second);
  });

  it('refuses a code after 24 hours', async () => {
    const me = await signedIn(clientId, { email_verified: 'false' });
    await idp.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: me.access, AttributeName: 'email' }));
    const code = await latestCode(server, me.email);
    await withClockAdvanced(server, DAY_MS + 60_000, async () => {
      const { AccessToken: access } = await passwordSignIn(idp, clientId, me.username);
      await expectError(verify(access, 'email', code), { name: 'ExpiredCodeException', message: 'Invalid code provided, please request a code again.' });
    });
  });

  it('refuses attributes that cannot be verified, and attributes the user lacks', async () => {
    const me = await signedIn();
    await expectError(idp.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: me.access, AttributeName: 'name' })), { name: 'InvalidParameterException' });
    await expectError(idp.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: me.access, AttributeName: 'phone_number' })), { name: 'InvalidParameterException' });
    await expectError(verify(me.access, 'name', '123456'), { name: 'InvalidParameterException' });
  });
});

describe('GlobalSignOut', () => {
  it("revokes every one of the user's sessions, and no one else's", async () => {
    const me = await signedIn();
    const second = await passwordSignIn(idp, clientId, me.username);
    const someoneElse = await signedIn();
    await idp.send(new GlobalSignOutCommand({ AccessToken: me.access }));
    await expectError(getUser(me.access), REVOKED_ACCESS);
    await expectError(getUser(second.AccessToken), REVOKED_ACCESS);
    for (const refresh of [me.refresh, second.RefreshToken]) {
      await expectError(
        idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: refresh } })),
        { name: 'NotAuthorizedException', message: 'Refresh Token has been revoked' },
      );
    }
    await expectError(idp.send(new GlobalSignOutCommand({ AccessToken: me.access })), REVOKED_ACCESS);
    await expect(getUser(someoneElse.access)).resolves.toHaveProperty('Username', someoneElse.username);
    // Signing in again starts a fresh session.
    const again = await passwordSignIn(idp, clientId, me.username);
    await expect(getUser(again.AccessToken)).resolves.toHaveProperty('Username', me.username);
  });
});

describe('DeleteUser', () => {
  it('deletes the user and ends their sessions', async () => {
    const me = await signedIn();
    await idp.send(new DeleteUserCommand({ AccessToken: me.access }));
    await expectError(idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: me.username })), {
      name: 'UserNotFoundException',
      message: 'User does not exist.',
    });
    await expectError(getUser(me.access), REVOKED_ACCESS);
    await expectError(
      idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: me.refresh } })),
      { name: 'NotAuthorizedException' },
    );
    await expectError(passwordSignIn(idp, clientId, me.username), { name: 'UserNotFoundException', message: 'User does not exist.' });
  });
});
