import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import { startTestServer, type TestServer } from './support/test-server.js';
import { DAY_MS, PASSWORD, adminAtServerTime, createClient, createPool, expectError, passwordSignIn, secretHash, unique, withClockAdvanced } from './support/cognito.js';

// NEW_PASSWORD_REQUIRED for users an administrator created with a temporary password: the
// challenge's parameters, the answer through RespondToAuthChallenge and AdminRespondToAuthChallenge
// (policy, required attributes), single-use sessions that expire, and the temporary password's
// own expiry (TemporaryPasswordValidityDays).

let server: TestServer;
let idp: CognitoIdentityProviderClient;
let poolId: string;
let clientId: string;

const TEMPORARY = 'Temp-passw0rd';
const SESSION_USED = { name: 'NotAuthorizedException', message: 'Invalid session for the user, session can only be used once.' };
const SESSION_EXPIRED = { name: 'NotAuthorizedException', message: 'Invalid session for the user, session is expired.' };

beforeAll(async () => {
  server = await startTestServer();
  idp = server.client();
  poolId = await createPool(idp, {
    Policies: { PasswordPolicy: { MinimumLength: 10, RequireNumbers: true, RequireUppercase: true, RequireLowercase: true, TemporaryPasswordValidityDays: 3 } },
    Schema: [
      { Name: 'name', AttributeDataType: 'String', Required: true, Mutable: true },
      { Name: 'family_name', AttributeDataType: 'String', Required: true, Mutable: true },
      { Name: 'team', AttributeDataType: 'String', Mutable: true },
    ],
  });
  ({ clientId } = await createClient(idp, poolId));
});

afterAll(async () => {
  await server?.close();
});

async function invited(attributes: Record<string, string> = { email: 'x@example.com' }): Promise<string> {
  const username = unique('inv');
  await idp.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: username,
      TemporaryPassword: TEMPORARY,
      MessageAction: 'SUPPRESS',
      UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
    }),
  );
  return username;
}

async function challenge(username: string, client = clientId) {
  const result = await idp.send(
    new InitiateAuthCommand({ ClientId: client, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: TEMPORARY } }),
  );
  expect(result.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
  expect(result.AuthenticationResult).toBeUndefined();
  return { session: result.Session!, parameters: result.ChallengeParameters! };
}

const respond = (username: string, session: string, responses: Record<string, string>, client = clientId) =>
  idp.send(
    new RespondToAuthChallengeCommand({
      ClientId: client,
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: session,
      ChallengeResponses: { USERNAME: username, ...responses },
    }),
  );

const complete = { NEW_PASSWORD: PASSWORD, 'userAttributes.name': 'Ann', 'userAttributes.family_name': 'Lee' };

describe('the challenge', () => {
  it('lists the required attributes the user lacks and the attributes they have', async () => {
    const username = await invited({ email: 'ann@example.com', family_name: 'Lee' });
    const { session, parameters } = await challenge(username);
    expect(session.length).toBeGreaterThanOrEqual(40);
    expect(parameters.USER_ID_FOR_SRP).toBe(username);
    expect(JSON.parse(parameters.requiredAttributes!)).toEqual(['userAttributes.name']);
    expect(JSON.parse(parameters.userAttributes!)).toMatchObject({ email: 'ann@example.com', family_name: 'Lee' });
  });

  it('is answered with a new password and the missing attributes, and the user is CONFIRMED', async () => {
    const username = await invited();
    const { session } = await challenge(username);
    const result = await respond(username, session, { ...complete, 'userAttributes.custom:team': 'blue' });
    expect(result.ChallengeName).toBeUndefined();
    const id = decodeJwt(result.AuthenticationResult!.IdToken!);
    expect(id).toMatchObject({ 'cognito:username': username, name: 'Ann', family_name: 'Lee', 'custom:team': 'blue' });
    const user = await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
    expect(user.UserStatus).toBe('CONFIRMED');
    expect(user.UserAttributes).toEqual(expect.arrayContaining([{ Name: 'name', Value: 'Ann' }, { Name: 'family_name', Value: 'Lee' }]));
    // The temporary password is gone; the new one works.
    await expectError(passwordSignIn(idp, clientId, username, TEMPORARY), { name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    await expect(passwordSignIn(idp, clientId, username, PASSWORD)).resolves.toHaveProperty('AccessToken');
  });

  it('refuses a new password that breaks the policy', async () => {
    const username = await invited();
    const { session } = await challenge(username);
    await expectError(respond(username, session, { ...complete, NEW_PASSWORD: 'short1A' }), {
      name: 'InvalidPasswordException',
      message: 'Password did not conform with policy: Password not long enough',
    });
    const { session: again } = await challenge(username);
    await expectError(respond(username, again, { ...complete, NEW_PASSWORD: 'nouppercase123' }), {
      name: 'InvalidPasswordException',
      message: 'Password did not conform with policy: Password must have uppercase characters',
    });
  });

  it('refuses an answer without the required attributes, in Cognito\'s words', async () => {
    const username = await invited();
    const { session } = await challenge(username);
    await expectError(respond(username, session, { NEW_PASSWORD: PASSWORD, 'userAttributes.name': 'Ann' }), {
      name: 'InvalidParameterException',
      message: 'Invalid attributes given, family_name is missing',
    });
    const { session: again } = await challenge(username);
    await expectError(respond(username, again, { NEW_PASSWORD: PASSWORD }), {
      name: 'InvalidParameterException',
      message: 'Invalid attributes given, name and family_name is missing',
    });
    expect((await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }))).UserStatus).toBe('FORCE_CHANGE_PASSWORD');
  });

  it('asks for NEW_PASSWORD', async () => {
    const username = await invited();
    const { session } = await challenge(username);
    await expectError(respond(username, session, { 'userAttributes.name': 'Ann' }), {
      name: 'InvalidParameterException',
      message: 'Missing required parameter NEW_PASSWORD',
    });
  });

  it('refuses attributes the schema does not have', async () => {
    const username = await invited();
    const { session } = await challenge(username);
    await expectError(respond(username, session, { ...complete, 'userAttributes.custom:nope': 'x' }), {
      name: 'InvalidParameterException',
      message: 'Attributes did not conform to the schema: custom:nope: Attribute does not exist in the schema.',
    });
  });

  it('checks SECRET_HASH on the answer for a client with a secret', async () => {
    const { clientId: secretClientId, clientSecret } = await createClient(idp, poolId, { GenerateSecret: true });
    const username = await invited();
    const hash = secretHash(clientSecret!, username, secretClientId);
    const start = async () =>
      (
        await idp.send(
          new InitiateAuthCommand({
            ClientId: secretClientId,
            AuthFlow: 'USER_PASSWORD_AUTH',
            AuthParameters: { USERNAME: username, PASSWORD: TEMPORARY, SECRET_HASH: hash },
          }),
        )
      ).Session!;
    await expectError(respond(username, await start(), complete, secretClientId), {
      name: 'NotAuthorizedException',
      message: `Client ${secretClientId} is configured for secret but secret was not received`,
    });
    const result = await respond(username, await start(), { ...complete, SECRET_HASH: hash }, secretClientId);
    expect(result.AuthenticationResult?.AccessToken).toEqual(expect.any(String));
  });

  it('refuses the wrong challenge name for the session', async () => {
    const username = await invited();
    const { session } = await challenge(username);
    await expectError(
      idp.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'SMS_MFA', Session: session, ChallengeResponses: { USERNAME: username, SMS_MFA_CODE: '123456' } })),
      { name: 'InvalidParameterException' },
    );
  });
});

describe('sessions', () => {
  it('are single-use: a session answered once cannot be answered again', async () => {
    const username = await invited();
    const { session } = await challenge(username);
    await respond(username, session, complete);
    await expectError(respond(username, session, complete), SESSION_USED);
  });

  it('are single-use after a failed answer too', async () => {
    const username = await invited();
    const { session } = await challenge(username);
    await expectError(respond(username, session, { ...complete, NEW_PASSWORD: 'weak' }), { name: 'InvalidPasswordException' });
    await expectError(respond(username, session, complete), SESSION_USED);
  });

  it('lets exactly one of two concurrent answers through', async () => {
    const username = await invited();
    const { session } = await challenge(username);
    const results = await Promise.allSettled([respond(username, session, complete), respond(username, session, complete)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const [lost] = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(lost!.reason.name).toBe('NotAuthorizedException');
    expect(lost!.reason.message).toMatch(/^Invalid session for the user/);
  });

  it('refuse a made-up session', async () => {
    const username = await invited();
    await expectError(respond(username, 'bm90IGEgc2Vzc2lvbg==', complete), { name: 'NotAuthorizedException', message: 'Invalid session for the user.' });
  });

  it('belong to the client that started them', async () => {
    const username = await invited();
    const { clientId: other } = await createClient(idp, poolId);
    const { session } = await challenge(username);
    await expectError(respond(username, session, complete, other), { name: 'NotAuthorizedException', message: 'Invalid session for the user.' });
  });

  it('expire after three minutes by default', async () => {
    const username = await invited();
    const { session } = await challenge(username);
    await withClockAdvanced(server, 3 * 60_000 + 1_000, async () => {
      await expectError(respond(username, session, complete), SESSION_EXPIRED);
    });
    const { session: fresh } = await challenge(username);
    await withClockAdvanced(server, 2 * 60_000, () => respond(username, fresh, complete));
  });

  it("last as long as the client's AuthSessionValidity", async () => {
    const { clientId: patient } = await createClient(idp, poolId, { AuthSessionValidity: 10 });
    const username = await invited();
    const { session } = await challenge(username, patient);
    await withClockAdvanced(server, 9 * 60_000, () => respond(username, session, complete, patient));
    const other = await invited();
    const { session: late } = await challenge(other, patient);
    await withClockAdvanced(server, 10 * 60_000 + 1_000, async () => {
      await expectError(respond(other, late, complete, patient), SESSION_EXPIRED);
    });
  });
});

describe('AdminInitiateAuth and AdminRespondToAuthChallenge', () => {
  it('run the same challenge for the admin flow', async () => {
    const username = await invited();
    const started = await idp.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: username, PASSWORD: TEMPORARY },
      }),
    );
    expect(started.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    expect(JSON.parse(started.ChallengeParameters!.requiredAttributes!)).toEqual(['userAttributes.name', 'userAttributes.family_name']);
    const answer = (responses: Record<string, string>) =>
      idp.send(
        new AdminRespondToAuthChallengeCommand({
          UserPoolId: poolId,
          ClientId: clientId,
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: started.Session,
          ChallengeResponses: { USERNAME: username, ...responses },
        }),
      );
    const result = await answer(complete);
    expect(result.AuthenticationResult).toMatchObject({ TokenType: 'Bearer', AccessToken: expect.any(String), RefreshToken: expect.any(String) });
    await expectError(answer(complete), SESSION_USED);
  });

  it('does not mix public and admin sessions across clients', async () => {
    const username = await invited();
    const { session } = await challenge(username);
    const { clientId: other } = await createClient(idp, poolId);
    await expectError(
      idp.send(
        new AdminRespondToAuthChallengeCommand({
          UserPoolId: poolId,
          ClientId: other,
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: session,
          ChallengeResponses: { USERNAME: username, ...complete },
        }),
      ),
      { name: 'NotAuthorizedException', message: 'Invalid session for the user.' },
    );
  });
});

describe('the temporary password', () => {
  it('works until TemporaryPasswordValidityDays have passed', async () => {
    const username = await invited();
    await withClockAdvanced(server, 3 * DAY_MS - 60_000, async () => {
      await challenge(username);
    });
  });

  it('stops working after TemporaryPasswordValidityDays, for every flow', async () => {
    const username = await invited();
    await withClockAdvanced(server, 3 * DAY_MS + 60_000, async () => {
      const expired = { name: 'NotAuthorizedException', message: 'Temporary password has expired and must be reset by an administrator.' };
      await expectError(
        idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: TEMPORARY } })),
        expired,
      );
      await expectError(
        adminAtServerTime(server).send(
          new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: TEMPORARY } }),
        ),
        expired,
      );
      // A wrong password is still just wrong.
      await expectError(
        idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: 'Wrong-passw0rd' } })),
        { name: 'NotAuthorizedException', message: 'Incorrect username or password.' },
      );
      // An administrator's RESEND issues a fresh temporary password that works.
      const admin = adminAtServerTime(server);
      await admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, MessageAction: 'RESEND', TemporaryPassword: TEMPORARY }));
      await challenge(username);
    });
  });
});
