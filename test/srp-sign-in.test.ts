import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { AuthenticationDetails, CognitoUser, CognitoUserPool, type CognitoUserSession } from 'amazon-cognito-identity-js';
import { startTestServer, type TestServer } from './support/test-server.js';

/** amazon-cognito-identity-js signs in with USER_SRP_AUTH by default. */
function srpSignIn(pool: CognitoUserPool, username: string, password: string): Promise<CognitoUserSession> {
  const user = new CognitoUser({ Username: username, Pool: pool });
  return new Promise((resolve, reject) =>
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), {
      onSuccess: resolve,
      onFailure: reject,
      newPasswordRequired: () => reject(new Error('unexpected NEW_PASSWORD_REQUIRED')),
    }),
  );
}

describe('SRP sign-in with amazon-cognito-identity-js', () => {
  let server: TestServer;
  let userPool: CognitoUserPool;
  beforeAll(async () => {
    server = await startTestServer();
    const admin = server.client();
    const { UserPool } = await admin.send(new CreateUserPoolCommand({ PoolName: 'srp' }));
    const { UserPoolClient } = await admin.send(new CreateUserPoolClientCommand({ UserPoolId: UserPool!.Id, ClientName: 'js' }));
    await admin.send(new AdminCreateUserCommand({ UserPoolId: UserPool!.Id, Username: 'alice', MessageAction: 'SUPPRESS' }));
    await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: UserPool!.Id, Username: 'alice', Password: 'Corr3ct-horse', Permanent: true }));
    userPool = new CognitoUserPool({ UserPoolId: UserPool!.Id!, ClientId: UserPoolClient!.ClientId!, endpoint: server.url });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('signs in and gets a valid session', async () => {
    const session = await srpSignIn(userPool, 'alice', 'Corr3ct-horse');
    expect(session.isValid()).toBe(true);
    expect(session.getIdToken().decodePayload()['cognito:username']).toBe('alice');
  });

  it('refuses a wrong password', async () => {
    await expect(srpSignIn(userPool, 'alice', 'wrong-Passw0rd')).rejects.toMatchObject({ code: 'NotAuthorizedException', message: 'Incorrect username or password.' });
  });
});

describe('NEW_PASSWORD_REQUIRED', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('refuses changing a required attribute that already has a value, accepts the same value', async () => {
    const admin = server.client();
    const { UserPool } = await admin.send(
      new CreateUserPoolCommand({ PoolName: 'required-email', Schema: [{ Name: 'email', AttributeDataType: 'String', Required: true }] }),
    );
    const { UserPoolClient } = await admin.send(
      new CreateUserPoolClientCommand({ UserPoolId: UserPool!.Id, ClientName: 'c', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] }),
    );
    const ClientId = UserPoolClient!.ClientId!;
    await admin.send(
      new AdminCreateUserCommand({
        UserPoolId: UserPool!.Id,
        Username: 'bob',
        TemporaryPassword: 'Temp-Passw0rd!',
        MessageAction: 'SUPPRESS',
        UserAttributes: [{ Name: 'email', Value: 'bob@example.com' }],
      }),
    );
    const challenge = () =>
      admin.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'bob', PASSWORD: 'Temp-Passw0rd!' } }));
    const first = await challenge();
    expect(first.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    expect(JSON.parse(first.ChallengeParameters!.requiredAttributes!)).toEqual([]);
    await expect(
      admin.send(
        new RespondToAuthChallengeCommand({
          ClientId,
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: first.Session,
          ChallengeResponses: { USERNAME: 'bob', NEW_PASSWORD: 'New-Passw0rd!', 'userAttributes.email': 'mallory@example.com' },
        }),
      ),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Cannot modify an already provided email' });
    const second = await challenge();
    const done = await admin.send(
      new RespondToAuthChallengeCommand({
        ClientId,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: second.Session,
        ChallengeResponses: { USERNAME: 'bob', NEW_PASSWORD: 'New-Passw0rd!', 'userAttributes.email': 'bob@example.com' },
      }),
    );
    expect(done.AuthenticationResult?.AccessToken).toBeTruthy();
  });
});
