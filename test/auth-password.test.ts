import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminInitiateAuthCommand,
  InitiateAuthCommand,
  SignUpCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from './support/test-server.js';
import {
  PASSWORD,
  adminAtServerTime,
  adminUser,
  createClient,
  createPool,
  expectError,
  passwordSignIn,
  secretHash,
  unique,
  withClockAdvanced,
} from './support/cognito.js';

// Password sign-in through InitiateAuth (USER_PASSWORD_AUTH) and AdminInitiateAuth
// (ADMIN_USER_PASSWORD_AUTH): wrong passwords, unknown users by PreventUserExistenceErrors,
// unconfirmed users, flows the client does not allow, SECRET_HASH, and the lockout.

let server: TestServer;
let idp: CognitoIdentityProviderClient;
let poolId: string;
let legacyClientId: string;
let hidingClientId: string;
let srpOnlyClientId: string;

beforeAll(async () => {
  server = await startTestServer();
  idp = server.client();
  poolId = await createPool(idp, { AliasAttributes: ['email'] });
  ({ clientId: legacyClientId } = await createClient(idp, poolId, { PreventUserExistenceErrors: 'LEGACY' }));
  ({ clientId: hidingClientId } = await createClient(idp, poolId, { PreventUserExistenceErrors: 'ENABLED' }));
  ({ clientId: srpOnlyClientId } = await createClient(idp, poolId, { ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }));
});

afterAll(async () => {
  await server?.close();
});

const INCORRECT = { name: 'NotAuthorizedException', message: 'Incorrect username or password.' };
const LOCKED = { name: 'NotAuthorizedException', message: 'Password attempts exceeded' };

async function newUser(): Promise<string> {
  const username = unique('u');
  await adminUser(idp, poolId, username);
  return username;
}

const adminSignIn = (username: string, password: string, clientId = legacyClientId, admin = idp) =>
  admin.send(
    new AdminInitiateAuthCommand({
      UserPoolId: poolId,
      ClientId: clientId,
      AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: username, PASSWORD: password },
    }),
  );

describe('InitiateAuth USER_PASSWORD_AUTH', () => {
  it('signs in with the right password', async () => {
    const username = await newUser();
    const tokens = await passwordSignIn(idp, legacyClientId, username);
    expect(tokens).toMatchObject({ TokenType: 'Bearer', ExpiresIn: 3600 });
  });

  it('refuses a wrong password', async () => {
    const username = await newUser();
    await expectError(passwordSignIn(idp, legacyClientId, username, 'Wrong-passw0rd'), INCORRECT);
    await expectError(passwordSignIn(idp, hidingClientId, username, 'Wrong-passw0rd'), INCORRECT);
    await expectError(passwordSignIn(idp, legacyClientId, username, ''), INCORRECT);
  });

  it('reports an unknown user as UserNotFoundException (LEGACY) or a wrong password (ENABLED)', async () => {
    await expectError(passwordSignIn(idp, legacyClientId, unique('ghost')), { name: 'UserNotFoundException', message: 'User does not exist.' });
    await expectError(passwordSignIn(idp, hidingClientId, unique('ghost')), INCORRECT);
  });

  it('refuses an unconfirmed user with UserNotConfirmedException once the password is right', async () => {
    const username = unique('unconfirmed');
    await idp.send(new SignUpCommand({ ClientId: legacyClientId, Username: username, Password: PASSWORD }));
    await expectError(passwordSignIn(idp, legacyClientId, username), { name: 'UserNotConfirmedException', message: 'User is not confirmed.' });
    await expectError(passwordSignIn(idp, hidingClientId, username), { name: 'UserNotConfirmedException', message: 'User is not confirmed.' });
    await expectError(passwordSignIn(idp, legacyClientId, username, 'Wrong-passw0rd'), INCORRECT);
  });

  it('refuses a flow the client does not allow', async () => {
    const username = await newUser();
    await expectError(passwordSignIn(idp, srpOnlyClientId, username), {
      name: 'InvalidParameterException',
      message: 'USER_PASSWORD_AUTH flow not enabled for this client',
    });
    await expectError(adminSignIn(username, PASSWORD, srpOnlyClientId), {
      name: 'InvalidParameterException',
      message: 'ADMIN_USER_PASSWORD_AUTH flow not enabled for this client',
    });
  });

  it('does not take admin flows on the public operation', async () => {
    const username = await newUser();
    await expectError(
      idp.send(new InitiateAuthCommand({ ClientId: legacyClientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD } })),
      { name: 'InvalidParameterException', message: 'Initiate Auth method not supported.' },
    );
  });

  it('asks for the parameters it needs', async () => {
    await expectError(idp.send(new InitiateAuthCommand({ ClientId: legacyClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { PASSWORD } })), {
      name: 'InvalidParameterException',
      message: 'Missing required parameter USERNAME',
    });
    await expectError(idp.send(new InitiateAuthCommand({ ClientId: legacyClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'x' } })), {
      name: 'InvalidParameterException',
      message: 'Missing required parameter PASSWORD',
    });
  });

  it('refuses an unknown client', async () => {
    await expectError(passwordSignIn(idp, 'nosuchclient0000000000000', 'x'), { name: 'ResourceNotFoundException' });
  });

  it('checks SECRET_HASH over the name the client sent', async () => {
    const { clientId, clientSecret } = await createClient(idp, poolId, { GenerateSecret: true });
    const username = await newUser();
    await expectError(passwordSignIn(idp, clientId, username), {
      name: 'NotAuthorizedException',
      message: `Client ${clientId} is configured for secret but secret was not received`,
    });
    await expectError(passwordSignIn(idp, clientId, username, PASSWORD, { SECRET_HASH: secretHash(clientSecret!, 'someone-else', clientId) }), {
      name: 'NotAuthorizedException',
      message: `Unable to verify secret hash for client ${clientId}`,
    });
    await expect(
      passwordSignIn(idp, clientId, username, PASSWORD, { SECRET_HASH: secretHash(clientSecret!, username, clientId) }),
    ).resolves.toHaveProperty('AccessToken');
  });
});

describe('AdminInitiateAuth ADMIN_USER_PASSWORD_AUTH', () => {
  it('signs in, and refuses wrong passwords and unknown users as InitiateAuth does', async () => {
    const username = await newUser();
    const result = await adminSignIn(username, PASSWORD);
    expect(result.AuthenticationResult).toMatchObject({ TokenType: 'Bearer', AccessToken: expect.any(String), RefreshToken: expect.any(String) });
    await expectError(adminSignIn(username, 'Wrong-passw0rd'), INCORRECT);
    await expectError(adminSignIn(unique('ghost'), PASSWORD), { name: 'UserNotFoundException', message: 'User does not exist.' });
    await expectError(adminSignIn(unique('ghost'), PASSWORD, hidingClientId), INCORRECT);
  });

  it('accepts the legacy ADMIN_NO_SRP_AUTH name', async () => {
    const username = await newUser();
    const result = await idp.send(
      new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: legacyClientId, AuthFlow: 'ADMIN_NO_SRP_AUTH', AuthParameters: { USERNAME: username, PASSWORD } }),
    );
    expect(result.AuthenticationResult?.AccessToken).toEqual(expect.any(String));
  });

  it('refuses a client of another pool and an unknown pool', async () => {
    const otherPool = await createPool(idp);
    const { clientId: foreign } = await createClient(idp, otherPool);
    const username = await newUser();
    await expectError(adminSignIn(username, PASSWORD, foreign), { name: 'ResourceNotFoundException' });
    await expectError(
      idp.send(
        new AdminInitiateAuthCommand({ UserPoolId: 'us-east-1_nosuchpool', ClientId: legacyClientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD } }),
      ),
      { name: 'ResourceNotFoundException' },
    );
  });

  it('requires SigV4 credentials', async () => {
    const username = await newUser();
    const anonymous = server.client({ credentials: { accessKeyId: 'AKIDUNKNOWN', secretAccessKey: 'nope' } });
    const error = await adminSignIn(username, PASSWORD, legacyClientId, anonymous).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toMatch(/UnrecognizedClientException|InvalidSignatureException|NotAuthorized/);
  });
});

describe('lockout', () => {
  it('locks after five failures, refuses even the right password while locked, and unlocks with time', async () => {
    const username = await newUser();
    for (let i = 0; i < 5; i++) await expectError(passwordSignIn(idp, legacyClientId, username, 'Wrong-passw0rd'), INCORRECT);
    // The fifth failure locks for a second; holding the clock still keeps the lock in force.
    server.clock.advance(-500);
    try {
      await expectError(passwordSignIn(idp, legacyClientId, username), LOCKED);
      await expectError(passwordSignIn(idp, hidingClientId, username), LOCKED);
      await expectError(adminSignIn(username, PASSWORD), LOCKED);
    } finally {
      server.clock.advance(500);
    }
    // After the lock, a right password signs in and resets the count.
    await withClockAdvanced(server, 2_000, async () => {
      await expect(passwordSignIn(idp, legacyClientId, username)).resolves.toHaveProperty('AccessToken');
      for (let i = 0; i < 4; i++) await expectError(passwordSignIn(idp, legacyClientId, username, 'Wrong-passw0rd'), INCORRECT);
      await expect(passwordSignIn(idp, legacyClientId, username)).resolves.toHaveProperty('AccessToken');
    });
  });

  it('doubles the lock with each failure after it ends', async () => {
    const username = await newUser();
    for (let i = 0; i < 5; i++) await expectError(passwordSignIn(idp, legacyClientId, username, 'Wrong-passw0rd'), INCORRECT);
    let moved = 0;
    const move = (ms: number) => {
      server.clock.advance(ms);
      moved += ms;
    };
    try {
      move(1_100); // the 1 s lock is over; this failure locks for 2 s
      await expectError(passwordSignIn(idp, legacyClientId, username, 'Wrong-passw0rd'), INCORRECT);
      move(1_100);
      await expectError(passwordSignIn(idp, legacyClientId, username), LOCKED);
      move(1_100); // 2.2 s after: over; this failure locks for 4 s
      await expectError(passwordSignIn(idp, legacyClientId, username, 'Wrong-passw0rd'), INCORRECT);
      move(3_000);
      await expectError(passwordSignIn(idp, legacyClientId, username), LOCKED);
      move(1_500);
      await expect(passwordSignIn(idp, legacyClientId, username)).resolves.toHaveProperty('AccessToken');
    } finally {
      server.clock.advance(-moved);
    }
  });

  it('locks names nobody has the same way, so a lock reveals nothing', async () => {
    const ghost = unique('ghost');
    for (let i = 0; i < 5; i++) await expectError(passwordSignIn(idp, hidingClientId, ghost), INCORRECT);
    server.clock.advance(-500);
    try {
      await expectError(passwordSignIn(idp, hidingClientId, ghost), LOCKED);
    } finally {
      server.clock.advance(500);
    }
  });

  it('keeps AdminInitiateAuth under the same lock after the clock moves', async () => {
    const username = await newUser();
    for (let i = 0; i < 5; i++) await expectError(adminSignIn(username, 'Wrong-passw0rd'), INCORRECT);
    await withClockAdvanced(server, 15 * 60_000, async () => {
      const admin = adminAtServerTime(server);
      await expect(adminSignIn(username, PASSWORD, legacyClientId, admin)).resolves.toHaveProperty('AuthenticationResult');
    });
  });
});
