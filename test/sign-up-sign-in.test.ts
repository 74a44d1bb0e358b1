import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  GetUserCommand,
  InitiateAuthCommand,
  SignUpCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from './support/test-server.js';
import { latestCode } from './support/outbox.js';

describe('sign-up and password sign-in with the AWS SDK', () => {
  let server: TestServer;
  let client: CognitoIdentityProviderClient;
  let poolId: string;
  let clientId: string;
  beforeAll(async () => {
    server = await startTestServer();
    client = server.client();
    const pool = await client.send(
      new CreateUserPoolCommand({ PoolName: 'journey', UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'] }),
    );
    poolId = pool.UserPool!.Id!;
    const app = await client.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'web',
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    clientId = app.UserPoolClient!.ClientId!;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('signs up, confirms with the emailed code, signs in and reads the user', async () => {
    const signedUp = await client.send(
      new SignUpCommand({ ClientId: clientId, Username: 'jane@example.com', Password: 'Passw0rd!', UserAttributes: [{ Name: 'name', Value: 'Jane' }] }),
    );
    expect(signedUp.UserConfirmed).toBe(false);
    expect(signedUp.UserSub).toMatch(/^[0-9a-f-]{36}$/);
    expect(signedUp.CodeDeliveryDetails).toEqual({ Destination: 'j***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    const code = await latestCode(server, 'jane@example.com');
    await client.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'jane@example.com', ConfirmationCode: code }));
    const signedIn = await client.send(
      new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'jane@example.com', PASSWORD: 'Passw0rd!' } }),
    );
    const result = signedIn.AuthenticationResult!;
    expect(result.TokenType).toBe('Bearer');
    expect(result.RefreshToken).toBeTruthy();
    const described = await client.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
    expect(described.UserPool!.EstimatedNumberOfUsers).toBe(1);
    const me = await client.send(new GetUserCommand({ AccessToken: result.AccessToken }));
    expect(me.Username).toBe(signedUp.UserSub);
    expect(me.UserAttributes).toEqual(
      expect.arrayContaining([
        { Name: 'sub', Value: signedUp.UserSub },
        { Name: 'email', Value: 'jane@example.com' },
        { Name: 'email_verified', Value: 'true' },
        { Name: 'name', Value: 'Jane' },
      ]),
    );
  });
});
