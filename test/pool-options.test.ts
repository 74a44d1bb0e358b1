import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from './support/test-server.js';
import { rawCall } from './support/signed-fetch.js';

describe('FrontdeskAdmin pool options: SRP turned off', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  const options = (operation: string, body: object) =>
    rawCall(server.url, `FrontdeskAdmin.${operation}`, JSON.stringify(body), { credentials: server.admin });

  it('stores Argon2id hashes, keeps password sign-in working and refuses USER_SRP_AUTH', async () => {
    const admin = server.client();
    const { UserPool } = await admin.send(new CreateUserPoolCommand({ PoolName: 'no-srp' }));
    const UserPoolId = UserPool!.Id!;
    const { UserPoolClient } = await admin.send(
      new CreateUserPoolClientCommand({ UserPoolId, ClientName: 'c', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH'] }),
    );
    const ClientId = UserPoolClient!.ClientId!;

    expect((await options('GetUserPoolOptions', { UserPoolId })).body).toEqual({ UserPoolId, SrpDisabled: false });
    const set = await options('SetUserPoolOptions', { UserPoolId, SrpDisabled: true });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ UserPoolId, SrpDisabled: true });

    await admin.send(new AdminCreateUserCommand({ UserPoolId, Username: 'ann', MessageAction: 'SUPPRESS' }));
    await admin.send(new AdminSetUserPasswordCommand({ UserPoolId, Username: 'ann', Password: 'Argon-Passw0rd!', Permanent: true }));
    const row = await server.store.users.findBy(UserPoolId, 'username_key', 'ann');
    expect(row?.password?.kind).toBe('argon2id');

    const signedIn = await admin.send(
      new InitiateAuthCommand({ ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'ann', PASSWORD: 'Argon-Passw0rd!' } }),
    );
    expect(signedIn.AuthenticationResult?.AccessToken).toBeTruthy();
    await expect(
      admin.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'ann', PASSWORD: 'wrong-Passw0rd!' } })),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    await expect(
      admin.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: 'ann', SRP_A: 'abc123' } })),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });

    // The option is not a Cognito member, so DescribeUserPool does not show it.
    const described = await rawCall(server.url, 'AWSCognitoIdentityProviderService.DescribeUserPool', JSON.stringify({ UserPoolId }), {
      credentials: server.admin,
    });
    expect(JSON.stringify(described.body)).not.toContain('SrpDisabled');
  });

  it('answers ResourceNotFoundException for an unknown pool and refuses unsigned calls', async () => {
    const missing = await options('GetUserPoolOptions', { UserPoolId: 'us-east-1_nothere00' });
    expect(missing.body.__type).toBe('ResourceNotFoundException');
    const unsigned = await rawCall(server.url, 'FrontdeskAdmin.SetUserPoolOptions', JSON.stringify({ UserPoolId: 'us-east-1_x', SrpDisabled: true }));
    expect(unsigned.body.__type).toBe('MissingAuthenticationTokenException');
  });
});

describe('FrontdeskAdmin.RotateSigningKey', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('publishes a new key and keeps the old one in the JWKS', async () => {
    const admin = server.client();
    const { UserPool } = await admin.send(new CreateUserPoolCommand({ PoolName: 'rotate' }));
    const UserPoolId = UserPool!.Id!;
    const jwks = async () => ((await (await fetch(`${server.url}/${UserPoolId}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] }).keys;
    const before = await jwks();
    expect(before).toHaveLength(1);
    const rotated = await rawCall(server.url, 'FrontdeskAdmin.RotateSigningKey', JSON.stringify({ UserPoolId }), { credentials: server.admin });
    expect(rotated.status).toBe(200);
    expect(rotated.body.UserPoolId).toBe(UserPoolId);
    const after = await jwks();
    expect(after.map((k) => k.kid).sort()).toEqual([before[0]!.kid, rotated.body.Kid].sort());
    const missing = await rawCall(server.url, 'FrontdeskAdmin.RotateSigningKey', JSON.stringify({ UserPoolId: 'us-east-1_nothere00' }), {
      credentials: server.admin,
    });
    expect(missing.body.__type).toBe('ResourceNotFoundException');
  });
});
