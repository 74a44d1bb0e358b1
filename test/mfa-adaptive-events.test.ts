import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminListUserAuthEventsCommand,
  ChangePasswordCommand,
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  RespondToAuthChallengeCommand,
  SetRiskConfigurationCommand,
  SignUpCommand,
  UpdateUserPoolCommand,
  type AuthEventType,
  type CognitoIdentityProviderClient,
  type SetRiskConfigurationRequest,
} from '@aws-sdk/client-cognito-identity-provider';
import { AuthenticationDetails, CognitoUser, CognitoUserPool } from 'amazon-cognito-identity-js';
import { startTestServer, type TestServer } from './support/test-server.js';
import { PASSWORD, adminUser, createClient, createPool, expectError, unique } from './support/cognito.js';
import { latestCode } from './support/outbox.js';

// Threat protection beyond the sign-in decision: the compromised-credentials check at sign-up
// (SIGN_UP) and password change (PASSWORD_CHANGE: ChangePassword, ConfirmForgotPassword) with
// EventFilter, BLOCK / NO_ACTION and AUDIT / ENFORCED; the SignUp, PasswordChange, ForgotPassword
// and ResendCode events; failed sign-ins as events; a blocked breached sign-in leaving the user
// RESET_REQUIRED.

let server: TestServer;
let idp: CognitoIdentityProviderClient;

const BREACHED = 'P@ssw0rd!';
const NEW_PASSWORD = 'Unusual-Pass-42';
const COMPROMISED = { name: 'InvalidPasswordException', message: /data breach or is too common/ };

beforeAll(async () => {
  server = await startTestServer();
  idp = server.client();
});
afterAll(async () => {
  await server?.close();
});

/** A pool with threat protection in `mode`, emails auto-verified (codes for sign-up and recovery), and a public client. */
async function protectedPool(mode: 'AUDIT' | 'ENFORCED' | 'OFF', risk?: Partial<SetRiskConfigurationRequest>) {
  const pool = await createPool(idp, { UserPoolAddOns: { AdvancedSecurityMode: mode }, AutoVerifiedAttributes: ['email'] });
  const { clientId } = await createClient(idp, pool);
  if (risk) await idp.send(new SetRiskConfigurationCommand({ UserPoolId: pool, ...risk }));
  return { pool, clientId };
}

const blockFor = (...filter: ('SIGN_IN' | 'SIGN_UP' | 'PASSWORD_CHANGE')[]): Partial<SetRiskConfigurationRequest> => ({
  CompromisedCredentialsRiskConfiguration: { Actions: { EventAction: 'BLOCK' }, ...(filter.length ? { EventFilter: filter } : {}) },
});

/**
 * A user's events, newest first. The clock then moves a second, so the next event is strictly
 * newer (events of the same millisecond are ordered by id, which is random).
 */
async function events(pool: string, username: string): Promise<AuthEventType[]> {
  server.clock.advance(1000);
  return (await idp.send(new AdminListUserAuthEventsCommand({ UserPoolId: pool, Username: username, MaxResults: 60 }))).AuthEvents!;
}

const signUp = (clientId: string, username: string, password: string) =>
  idp.send(new SignUpCommand({ ClientId: clientId, Username: username, Password: password, UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }] }));

async function accessToken(clientId: string, username: string, password = PASSWORD): Promise<string> {
  const result = await idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password } }));
  return result.AuthenticationResult!.AccessToken!;
}

describe('compromised credentials at sign-up', () => {
  it('refuses a breached password with BLOCK in ENFORCED mode, and creates no user', async () => {
    const { pool, clientId } = await protectedPool('ENFORCED', blockFor());
    const username = unique('signup');
    await expectError(signUp(clientId, username, BREACHED), { ...COMPROMISED, status: 400 });
    await expectError(idp.send(new AdminGetUserCommand({ UserPoolId: pool, Username: username })), { name: 'UserNotFoundException' });
    // Another password is taken, and the sign-up is logged.
    await signUp(clientId, username, NEW_PASSWORD);
    const [event] = await events(pool, username);
    expect(event).toMatchObject({
      EventType: 'SignUp',
      EventResponse: 'Pass',
      EventRisk: { RiskDecision: 'NoRisk', CompromisedCredentialsDetected: false },
      ChallengeResponses: [],
    });
    expect(event!.EventContextData!.IpAddress).toMatch(/127\.0\.0\.1/);
  });

  it('flags a breached password without blocking: NO_ACTION, AUDIT mode, or no configuration', async () => {
    for (const [mode, risk] of [
      ['ENFORCED', { CompromisedCredentialsRiskConfiguration: { Actions: { EventAction: 'NO_ACTION' } } }],
      ['AUDIT', blockFor()],
      ['ENFORCED', undefined],
    ] as const) {
      const { pool, clientId } = await protectedPool(mode, risk);
      const username = unique('flag');
      expect((await signUp(clientId, username, BREACHED)).UserSub).toBeDefined();
      const [event] = await events(pool, username);
      expect(event).toMatchObject({ EventType: 'SignUp', EventResponse: 'Pass', EventRisk: { CompromisedCredentialsDetected: true } });
    }
  });

  it('checks only the events EventFilter names', async () => {
    const { pool, clientId } = await protectedPool('ENFORCED', blockFor('SIGN_IN', 'PASSWORD_CHANGE'));
    const username = unique('filtered');
    await signUp(clientId, username, BREACHED);
    const [event] = await events(pool, username);
    expect(event!.EventRisk!.CompromisedCredentialsDetected).toBe(false);
  });

  it('does nothing, and logs nothing, with threat protection off', async () => {
    const { pool, clientId } = await protectedPool('OFF');
    const username = unique('off');
    await signUp(clientId, username, BREACHED);
    await expectError(idp.send(new AdminListUserAuthEventsCommand({ UserPoolId: pool, Username: username })), { name: 'UserPoolAddOnNotEnabledException' });
    // Turned on afterwards, the log shows nothing from the time it was off.
    await idp.send(new UpdateUserPoolCommand({ UserPoolId: pool, UserPoolAddOns: { AdvancedSecurityMode: 'AUDIT' }, AutoVerifiedAttributes: ['email'] }));
    expect(await events(pool, username)).toEqual([]);
  });

  it('logs a ResendCode event', async () => {
    const { pool, clientId } = await protectedPool('ENFORCED');
    const username = unique('resend');
    await signUp(clientId, username, NEW_PASSWORD);
    server.clock.advance(1000);
    await idp.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: username }));
    const [resend, signUpEvent] = await events(pool, username);
    expect(resend).toMatchObject({ EventType: 'ResendCode', EventResponse: 'Pass' });
    expect(signUpEvent).toMatchObject({ EventType: 'SignUp' });
  });
});

describe('compromised credentials at password change', () => {
  it('ChangePassword: refuses a breached password (a Fail event), keeps the old one, logs the change', async () => {
    const { pool, clientId } = await protectedPool('ENFORCED', blockFor('PASSWORD_CHANGE'));
    const username = unique('change');
    await adminUser(idp, pool, username);
    const token = await accessToken(clientId, username);
    await expectError(idp.send(new ChangePasswordCommand({ AccessToken: token, PreviousPassword: PASSWORD, ProposedPassword: BREACHED })), COMPROMISED);
    const [refused] = await events(pool, username);
    expect(refused).toMatchObject({
      EventType: 'PasswordChange',
      EventResponse: 'Fail',
      EventRisk: { RiskDecision: 'Block', CompromisedCredentialsDetected: true },
    });
    expect(await accessToken(clientId, username)).toBeDefined();

    await expectError(idp.send(new ChangePasswordCommand({ AccessToken: token, PreviousPassword: 'Wrong-passw0rd', ProposedPassword: NEW_PASSWORD })), {
      name: 'NotAuthorizedException',
    });
    expect((await events(pool, username))[0]).toMatchObject({ EventType: 'PasswordChange', EventResponse: 'Fail', EventRisk: { CompromisedCredentialsDetected: false } });

    await idp.send(new ChangePasswordCommand({ AccessToken: token, PreviousPassword: PASSWORD, ProposedPassword: NEW_PASSWORD }));
    expect((await events(pool, username))[0]).toMatchObject({ EventType: 'PasswordChange', EventResponse: 'Pass', EventRisk: { RiskDecision: 'NoRisk' } });
    expect(await accessToken(clientId, username, NEW_PASSWORD)).toBeDefined();
  });

  it('ChangePassword: not checked when EventFilter leaves PASSWORD_CHANGE out', async () => {
    const { pool, clientId } = await protectedPool('ENFORCED', blockFor('SIGN_UP'));
    const username = unique('nochange');
    await adminUser(idp, pool, username);
    await idp.send(new ChangePasswordCommand({ AccessToken: await accessToken(clientId, username), PreviousPassword: PASSWORD, ProposedPassword: BREACHED }));
    expect((await events(pool, username))[0]).toMatchObject({ EventType: 'PasswordChange', EventResponse: 'Pass', EventRisk: { CompromisedCredentialsDetected: false } });
  });

  it('ForgotPassword / ConfirmForgotPassword: the code is checked first; a breached password is refused and the code still works', async () => {
    const { pool, clientId } = await protectedPool('ENFORCED', blockFor());
    const username = unique('forgot');
    const email = `${username}@example.com`;
    await adminUser(idp, pool, username, { email, email_verified: 'true' });
    await idp.send(new ForgotPasswordCommand({ ClientId: clientId, Username: username }));
    expect((await events(pool, username))[0]).toMatchObject({ EventType: 'ForgotPassword', EventResponse: 'Pass' });
    const code = await latestCode(server, email);
    const wrong = code === '000000' ? '111111' : '000000';

    // A wrong code with a breached password: the code is what fails, and nothing is logged.
    await expectError(idp.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: username, ConfirmationCode: wrong, Password: BREACHED })), {
      name: 'CodeMismatchException',
    });
    expect(await events(pool, username)).toHaveLength(1);
    await expectError(idp.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: username, ConfirmationCode: code, Password: BREACHED })), COMPROMISED);
    expect((await events(pool, username))[0]).toMatchObject({ EventType: 'PasswordChange', EventResponse: 'Fail', EventRisk: { RiskDecision: 'Block', CompromisedCredentialsDetected: true } });

    await idp.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: username, ConfirmationCode: code, Password: NEW_PASSWORD }));
    expect((await events(pool, username))[0]).toMatchObject({ EventType: 'PasswordChange', EventResponse: 'Pass' });
    expect(await accessToken(clientId, username, NEW_PASSWORD)).toBeDefined();
  });
});

describe('compromised credentials in NEW_PASSWORD_REQUIRED', () => {
  const TEMPORARY = 'Temp-Pass-1234';

  async function temporaryUser(pool: string, clientId: string) {
    const username = unique('temp');
    await idp.send(new AdminCreateUserCommand({ UserPoolId: pool, Username: username, TemporaryPassword: TEMPORARY, MessageAction: 'SUPPRESS' }));
    const challenge = await idp.send(
      new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: TEMPORARY } }),
    );
    expect(challenge.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    const answer = (password: string) =>
      idp.send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: challenge.Session,
          ChallengeResponses: { USERNAME: username, NEW_PASSWORD: password },
        }),
      );
    return { username, answer };
  }

  it('refuses a breached new password with BLOCK (PASSWORD_CHANGE), and takes another', async () => {
    const { pool, clientId } = await protectedPool('ENFORCED', blockFor('PASSWORD_CHANGE'));
    const first = await temporaryUser(pool, clientId);
    await expectError(first.answer(BREACHED), COMPROMISED);
    expect((await events(pool, first.username))[0]).toMatchObject({ EventType: 'PasswordChange', EventResponse: 'Fail', EventRisk: { CompromisedCredentialsDetected: true } });
    expect((await idp.send(new AdminGetUserCommand({ UserPoolId: pool, Username: first.username }))).UserStatus).toBe('FORCE_CHANGE_PASSWORD');

    const second = await temporaryUser(pool, clientId);
    expect((await second.answer(NEW_PASSWORD)).AuthenticationResult).toBeDefined();
    // Both come from the one request (possibly in the same millisecond): looked up by type.
    const logged = await events(pool, second.username);
    expect(logged).toHaveLength(2);
    expect(logged.find((e) => e.EventType === 'SignIn')).toMatchObject({ EventResponse: 'Pass' });
    expect(logged.find((e) => e.EventType === 'PasswordChange')).toMatchObject({ EventResponse: 'Pass', EventRisk: { CompromisedCredentialsDetected: false } });
  });

  it('in AUDIT mode lets it through and flags both the change and the sign-in', async () => {
    const { pool, clientId } = await protectedPool('AUDIT', blockFor());
    const user = await temporaryUser(pool, clientId);
    expect((await user.answer(BREACHED)).AuthenticationResult).toBeDefined();
    const logged = await events(pool, user.username);
    expect(logged.map((e) => [e.EventType, e.EventRisk!.CompromisedCredentialsDetected]).sort()).toEqual([
      ['PasswordChange', true],
      ['SignIn', true],
    ]);
  });
});

describe('sign-in events', () => {
  it('logs wrong passwords as failed SignIn events (plain and SRP), and they do not count as sign-ins for velocity', async () => {
    const { pool, clientId } = await protectedPool('ENFORCED');
    const username = unique('fail');
    await adminUser(idp, pool, username);
    await expectError(
      idp.send(
        new AdminInitiateAuthCommand({
          UserPoolId: pool,
          ClientId: clientId,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: username, PASSWORD: 'Wrong-passw0rd' },
          ContextData: { IpAddress: '198.51.100.7', ServerName: 'app.example.com', ServerPath: '/login', HttpHeaders: [] },
        }),
      ),
      { name: 'NotAuthorizedException', message: 'Incorrect username or password.' },
    );
    const [failed] = await events(pool, username);
    expect(failed).toMatchObject({
      EventType: 'SignIn',
      EventResponse: 'Fail',
      EventRisk: { RiskDecision: 'NoRisk', CompromisedCredentialsDetected: false },
      ChallengeResponses: [{ ChallengeName: 'Password', ChallengeResponse: 'Failure' }],
      EventContextData: { IpAddress: '198.51.100.7' },
    });

    const jsPool = new CognitoUserPool({ UserPoolId: pool, ClientId: clientId, endpoint: server.url });
    const srpError = await new Promise<Error>((resolve, reject) =>
      new CognitoUser({ Username: username, Pool: jsPool }).authenticateUser(new AuthenticationDetails({ Username: username, Password: 'Wrong-passw0rd' }), {
        onSuccess: () => reject(new Error('signed in with a wrong password')),
        onFailure: resolve,
      }),
    );
    expect(srpError.name).toBe('NotAuthorizedException');
    const all = await events(pool, username);
    expect(all.map((e) => `${e.EventType}:${e.EventResponse}`)).toEqual(['SignIn:Fail', 'SignIn:Fail']);

    // Two failures are below the failures signal; the sign-in after them is not a velocity case.
    expect((await accessToken(clientId, username)).length).toBeGreaterThan(0);
    expect((await events(pool, username))[0]).toMatchObject({ EventType: 'SignIn', EventResponse: 'Pass', EventRisk: { RiskDecision: 'NoRisk' } });
  });

  it('a breached password blocked at sign-in leaves the user RESET_REQUIRED until a new password is chosen', async () => {
    const { pool, clientId } = await protectedPool('ENFORCED', blockFor('SIGN_IN'));
    const username = unique('reset');
    const email = `${username}@example.com`;
    await adminUser(idp, pool, username, { email, email_verified: 'true' }, BREACHED);
    await expectError(accessToken(clientId, username, BREACHED), { name: 'NotAuthorizedException', message: 'Unable to login because of security reasons.' });
    expect((await idp.send(new AdminGetUserCommand({ UserPoolId: pool, Username: username }))).UserStatus).toBe('RESET_REQUIRED');
    const [blocked] = await events(pool, username);
    expect(blocked).toMatchObject({ EventType: 'SignIn', EventResponse: 'Fail', EventRisk: { RiskDecision: 'Block', CompromisedCredentialsDetected: true } });

    await idp.send(new ForgotPasswordCommand({ ClientId: clientId, Username: username }));
    await idp.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: username, ConfirmationCode: await latestCode(server, email), Password: NEW_PASSWORD }));
    expect((await idp.send(new AdminGetUserCommand({ UserPoolId: pool, Username: username }))).UserStatus).toBe('CONFIRMED');
    expect(await accessToken(clientId, username, NEW_PASSWORD)).toBeDefined();
  });
});
