import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
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
