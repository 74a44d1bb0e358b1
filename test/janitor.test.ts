import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from './support/test-server.js';
import { Janitor } from '../src/domain/maintenance/janitor.js';
import { newClientKey } from '../bench/srp-client.js';

const DAY = 24 * 60 * 60 * 1000;

describe('the janitor', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('keeps live rows and deletes sessions, codes, token families and lockout counters once expired', async () => {
    const admin = server.client();
    const { UserPool } = await admin.send(new CreateUserPoolCommand({ PoolName: 'sweep', AutoVerifiedAttributes: ['email'] }));
    const { UserPoolClient } = await admin.send(
      new CreateUserPoolClientCommand({
        UserPoolId: UserPool!.Id,
        ClientName: 'c',
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        RefreshTokenValidity: 1,
        TokenValidityUnits: { RefreshToken: 'days' },
      }),
    );
    const ClientId = UserPoolClient!.ClientId!;
    // An unconfirmed user (a sign-up code), a failed sign-in (a lockout counter) and an SRP challenge (a session).
    await admin.send(new SignUpCommand({ ClientId, Username: 'sam', Password: 'Passw0rd!', UserAttributes: [{ Name: 'email', Value: 'sam@example.com' }] }));
    await admin.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'nobody', PASSWORD: 'x' } })).catch(() => undefined);
    // A signed-in user (a token family) who also starts an SRP sign-in (a session).
    await admin.send(new AdminCreateUserCommand({ UserPoolId: UserPool!.Id, Username: 'kim', MessageAction: 'SUPPRESS' }));
    await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: UserPool!.Id, Username: 'kim', Password: 'Passw0rd!', Permanent: true }));
    await admin.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'kim', PASSWORD: 'Passw0rd!' } }));
    const srp = await admin.send(
      new InitiateAuthCommand({ ClientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: 'kim', SRP_A: newClientKey().srpA } }),
    );
    expect(srp.ChallengeName).toBe('PASSWORD_VERIFIER');

    const janitor = new Janitor({ store: server.store, clock: server.clock });
    const fresh = await janitor.sweep();
    expect(fresh).toEqual({ challenges: 0, codes: 0, tokenFamilies: 0, signInFailures: 0, authorizationCodes: 0, hostedSessions: 0 });

    server.clock.advance(2 * DAY);
    try {
      const swept = await janitor.sweep();
      expect(swept).toEqual({ challenges: 1, codes: 1, tokenFamilies: 1, signInFailures: 1, authorizationCodes: 0, hostedSessions: 0 });
      expect(await janitor.sweep()).toEqual({ challenges: 0, codes: 0, tokenFamilies: 0, signInFailures: 0, authorizationCodes: 0, hostedSessions: 0 });
    } finally {
      server.clock.advance(-2 * DAY);
    }
  });
});
