import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminGetUserCommand,
  SignUpCommand,
  UpdateUserPoolCommand,
  type AttributeType,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from './support/test-server.js';
import { messagesTo } from './support/outbox.js';
import { PASSWORD, createClient, createPool, expectError, secretHash, unique } from './support/cognito.js';

// SignUp's rules, each asserted as the SDK sees the failure: password policy, schema attributes
// (required, unknown, unauthorised for the client, formats, custom constraints),
// AllowAdminCreateUserOnly and SECRET_HASH.

let server: TestServer;
let idp: CognitoIdentityProviderClient;
let poolId: string;
let clientId: string;
let restrictedClientId: string;
let secretClient: { clientId: string; clientSecret: string };

const attrs = (values: Record<string, string>): AttributeType[] => Object.entries(values).map(([Name, Value]) => ({ Name, Value }));

beforeAll(async () => {
  server = await startTestServer();
  idp = server.client();
  poolId = await createPool(idp, {
    AutoVerifiedAttributes: ['email'],
    Policies: {
      PasswordPolicy: { MinimumLength: 10, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true },
    },
    Schema: [
      { Name: 'email', AttributeDataType: 'String', Required: true, Mutable: true },
      { Name: 'age', AttributeDataType: 'Number', Mutable: true, NumberAttributeConstraints: { MinValue: '18', MaxValue: '120' } },
      { Name: 'nick', AttributeDataType: 'String', Mutable: true, StringAttributeConstraints: { MinLength: '3', MaxLength: '8' } },
      { Name: 'vip', AttributeDataType: 'Boolean', Mutable: true },
    ],
  });
  clientId = (await createClient(idp, poolId)).clientId;
  restrictedClientId = (await createClient(idp, poolId, { WriteAttributes: ['email', 'name'] })).clientId;
  secretClient = (await createClient(idp, poolId, { GenerateSecret: true })) as { clientId: string; clientSecret: string };
});

afterAll(async () => {
  await server?.close();
});

const signUp = (username: string, password: string, attributes: Record<string, string> = { email: `${username}@example.com` }, client = clientId) =>
  idp.send(new SignUpCommand({ ClientId: client, Username: username, Password: password, UserAttributes: attrs(attributes) }));

describe('password policy', () => {
  const POLICY = 'Password did not conform with policy: ';
  it.each([
    ['Sh0rt!pw', 'Password not long enough'],
    ['lowercase-only-1', 'Password must have uppercase characters'],
    ['UPPERCASE-ONLY-1', 'Password must have lowercase characters'],
    ['No-Digits-Here', 'Password must have numeric characters'],
    ['NoSymbols1234', 'Password must have symbol characters'],
  ])('refuses %s: %s', async (password, reason) => {
    const username = unique('pw');
    await expectError(signUp(username, password), { name: 'InvalidPasswordException', message: POLICY + reason });
    // Nothing was created: the name is still free.
    await expectError(idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username })), {
      name: 'UserNotFoundException',
      message: 'User does not exist.',
    });
  });

  it("counts Cognito's symbols as symbols", async () => {
    for (const symbol of ['^', '$', '=', '+', '`', '~', '|', '"', "'"]) {
      await expect(signUp(unique('pw'), `Caret${symbol}caret1`)).resolves.toMatchObject({ UserConfirmed: false });
    }
  });

  it("refuses whitespace in a password at the wire, by the model's pattern", async () => {
    await expectError(signUp(unique('pw'), 'With Space12a'), {
      name: 'InvalidParameterException',
      message: "1 validation error detected: Value at 'password' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\S]+",
    });
  });

  it('applies the default policy (8 characters, all four classes) to a pool that names none', async () => {
    const defaultPool = await createPool(idp);
    const { clientId: c } = await createClient(idp, defaultPool);
    await expectError(
      idp.send(new SignUpCommand({ ClientId: c, Username: unique('d'), Password: 'Aa1!aaa' })),
      { name: 'InvalidPasswordException', message: 'Password did not conform with policy: Password not long enough' },
    );
    await expectError(
      idp.send(new SignUpCommand({ ClientId: c, Username: unique('d'), Password: 'Aa1aaaaa' })),
      { name: 'InvalidPasswordException', message: 'Password did not conform with policy: Password must have symbol characters' },
    );
  });
});

describe('attributes', () => {
  it('requires the schema\'s required attributes', async () => {
    await expectError(signUp(unique('req'), PASSWORD, {}), {
      name: 'InvalidParameterException',
      message: 'Attributes did not conform to the schema: email: The attribute is required',
    });
  });

  it('refuses an attribute the schema does not have', async () => {
    const username = unique('unk');
    await expectError(signUp(username, PASSWORD, { email: `${username}@example.com`, 'custom:nope': 'x' }), {
      name: 'InvalidParameterException',
      message: 'Attributes did not conform to the schema: custom:nope: Attribute does not exist in the schema.',
    });
  });

  it("refuses an attribute outside the client's WriteAttributes with NotAuthorizedException", async () => {
    const username = unique('wa');
    await expectError(signUp(username, PASSWORD, { email: `${username}@example.com`, 'custom:nick': 'abc' }, restrictedClientId), {
      name: 'NotAuthorizedException',
      message: 'A client attempted to write unauthorized attribute',
    });
    await expect(signUp(username, PASSWORD, { email: `${username}@example.com`, name: 'Ann' }, restrictedClientId)).resolves.toHaveProperty('UserSub');
  });

  it('refuses to let a user set their own verified flags', async () => {
    const username = unique('vf');
    await expectError(signUp(username, PASSWORD, { email: `${username}@example.com`, email_verified: 'true' }, restrictedClientId), {
      name: 'NotAuthorizedException',
      message: 'A client attempted to write unauthorized attribute',
    });
  });

  it.each([
    ['not-an-email', 'Invalid email address format.'],
    ['two@@example.com', 'Invalid email address format.'],
    ['spaces in@example.com', 'Invalid email address format.'],
  ])('refuses the email %s', async (email, message) => {
    await expectError(signUp(unique('em'), PASSWORD, { email }), { name: 'InvalidParameterException', message });
  });

  it.each(['5555550100', '+1 555 555 0100', '+1555abc0100', '+1234567890123456'])('refuses the phone number %s', async (phone) => {
    const username = unique('ph');
    await expectError(signUp(username, PASSWORD, { email: `${username}@example.com`, phone_number: phone }), {
      name: 'InvalidParameterException',
      message: 'Invalid phone number format.',
    });
  });

  it('accepts an E.164 phone number', async () => {
    const username = unique('ph');
    await expect(signUp(username, PASSWORD, { email: `${username}@example.com`, phone_number: '+15555550100' })).resolves.toHaveProperty('UserSub');
  });

  it.each([
    ['custom:age', '17', 'custom:age: Number must be greater than or equal to 18.'],
    ['custom:age', '121', 'custom:age: Number must be less than or equal to 120.'],
    ['custom:age', 'old', 'custom:age: Number must be a valid number.'],
    ['custom:nick', 'ab', 'custom:nick: String must be no shorter than 3 characters'],
    ['custom:nick', 'abcdefghi', 'custom:nick: String must be no longer than 8 characters'],
    ['custom:vip', 'yes', 'custom:vip: Value must be either true or false.'],
  ])('checks %s=%s against its constraints', async (name, value, reason) => {
    const username = unique('ca');
    await expectError(signUp(username, PASSWORD, { email: `${username}@example.com`, [name]: value }), {
      name: 'InvalidParameterException',
      message: `Attributes did not conform to the schema: ${reason}`,
    });
  });

  it('stores custom attributes that fit their constraints', async () => {
    const username = unique('ok');
    await signUp(username, PASSWORD, { email: `${username}@example.com`, 'custom:age': '18', 'custom:nick': 'abcdefgh', 'custom:vip': 'true' });
    const user = await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
    expect(user.UserStatus).toBe('UNCONFIRMED');
    expect(user.UserAttributes).toEqual(
      expect.arrayContaining([
        { Name: 'custom:age', Value: '18' },
        { Name: 'custom:nick', Value: 'abcdefgh' },
        { Name: 'custom:vip', Value: 'true' },
        { Name: 'email', Value: `${username}@example.com` },
      ]),
    );
    expect(user.UserAttributes!.find((a) => a.Name === 'email_verified')?.Value ?? 'false').toBe('false');
  });
});

describe('registration itself', () => {
  it('answers UserConfirmed false, the sub, and where the code went', async () => {
    const username = unique('reg');
    const result = await signUp(username, PASSWORD);
    expect(result.UserConfirmed).toBe(false);
    expect(result.UserSub).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(result.CodeDeliveryDetails).toEqual({ Destination: `${username[0]}***@e***`, DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    const [message] = await messagesTo(server, `${username}@example.com`);
    expect(message!.Body).toMatch(/^Your verification code is \d{6}\. ?$/);
  });

  it('refuses a taken username with UsernameExistsException', async () => {
    const username = unique('dup');
    await signUp(username, PASSWORD);
    await expectError(signUp(username, PASSWORD), { name: 'UsernameExistsException', message: 'User already exists' });
  });

  it('lets exactly one of two concurrent sign-ups of the same name win', async () => {
    const username = unique('race');
    const results = await Promise.allSettled([signUp(username, PASSWORD), signUp(username, PASSWORD), signUp(username, PASSWORD)]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost.map((r) => [r.reason.name, r.reason.message, r.reason.$metadata.httpStatusCode])).toEqual([
      ['UsernameExistsException', 'User already exists', 400],
      ['UsernameExistsException', 'User already exists', 400],
    ]);
    const user = await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
    expect(user.UserAttributes).toContainEqual({ Name: 'sub', Value: (won[0] as PromiseFulfilledResult<{ UserSub: string }>).value.UserSub });
  });

  it('refuses every sign-up when only administrators may create users', async () => {
    const adminOnly = await createPool(idp, { AdminCreateUserConfig: { AllowAdminCreateUserOnly: true } });
    const { clientId: c } = await createClient(idp, adminOnly);
    await expectError(idp.send(new SignUpCommand({ ClientId: c, Username: unique('ao'), Password: PASSWORD })), {
      name: 'NotAuthorizedException',
      message: 'SignUp is not permitted for this user pool',
    });
    // …and lets them again once the pool allows it.
    await idp.send(new UpdateUserPoolCommand({ UserPoolId: adminOnly, AdminCreateUserConfig: { AllowAdminCreateUserOnly: false } }));
    await expect(idp.send(new SignUpCommand({ ClientId: c, Username: unique('ao'), Password: PASSWORD }))).resolves.toHaveProperty('UserSub');
  });

  it('refuses an unknown client with ResourceNotFoundException', async () => {
    await expectError(idp.send(new SignUpCommand({ ClientId: '1234567890abcdefghijklmnop', Username: 'x', Password: PASSWORD })), {
      name: 'ResourceNotFoundException',
    });
  });
});

describe('SECRET_HASH for a client with a secret', () => {
  it('is required', async () => {
    const username = unique('sh');
    await expectError(signUp(username, PASSWORD, { email: `${username}@example.com` }, secretClient.clientId), {
      name: 'NotAuthorizedException',
      message: `Client ${secretClient.clientId} is configured for secret but secret was not received`,
    });
  });

  it('must be the HMAC of this username and client id', async () => {
    const username = unique('sh');
    const send = (hash: string) =>
      idp.send(
        new SignUpCommand({
          ClientId: secretClient.clientId,
          Username: username,
          Password: PASSWORD,
          SecretHash: hash,
          UserAttributes: attrs({ email: `${username}@example.com` }),
        }),
      );
    for (const wrong of [
      secretHash(secretClient.clientSecret, `${username}x`, secretClient.clientId),
      secretHash('not-the-secret', username, secretClient.clientId),
      secretHash(secretClient.clientSecret, username, clientId),
      'garbage',
    ]) {
      await expectError(send(wrong), { name: 'NotAuthorizedException', message: `Unable to verify secret hash for client ${secretClient.clientId}` });
    }
    await expect(send(secretHash(secretClient.clientSecret, username, secretClient.clientId))).resolves.toHaveProperty('UserSub');
  });
});
