import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  AdminSetUserMFAPreferenceCommand,
  AssociateSoftwareTokenCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserPoolMfaConfigCommand,
  VerifySoftwareTokenCommand,
  type CognitoIdentityProviderClient,
  type InitiateAuthResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import { AuthenticationDetails, CognitoUser, CognitoUserPool, type CognitoUserSession } from 'amazon-cognito-identity-js';
import { startTestServer, type TestServer } from './support/test-server.js';
import { PASSWORD, adminUser, createClient, createPool, expectError, passwordSignIn, secretHash, unique } from './support/cognito.js';
import { latestCode, messagesTo } from './support/outbox.js';
import { authenticatorCode, otherCode } from './support/totp.js';

// MFA in the sign-in state machine: SOFTWARE_TOKEN_MFA, SMS_MFA, EMAIL_OTP, SELECT_MFA_TYPE and
// MFA_SETUP, through InitiateAuth and AdminInitiateAuth, password and SRP; wrong, reused and
// expired codes; lockout through MFA failures.

const SMS = { SnsCallerArn: 'arn:aws:iam::123456789012:role/sms', ExternalId: 'ext-1', SnsRegion: 'us-east-1' };
const STEP_MS = 30_000;

let server: TestServer;
let idp: CognitoIdentityProviderClient;
let poolId: string;
let clientId: string;

beforeAll(async () => {
  server = await startTestServer();
  idp = server.client();
  poolId = await createPool(idp, { PoolName: 'mfa-optional' });
  await idp.send(
    new SetUserPoolMfaConfigCommand({
      UserPoolId: poolId,
      MfaConfiguration: 'OPTIONAL',
      SoftwareTokenMfaConfiguration: { Enabled: true },
      SmsMfaConfiguration: { SmsAuthenticationMessage: 'Your sign-in code is {####}', SmsConfiguration: SMS },
      EmailMfaConfiguration: { Subject: 'Sign-in code', Message: 'Use {####} to sign in.' },
    }),
  );
  ({ clientId } = await createClient(idp, poolId));
});

afterAll(async () => {
  await server?.close();
});

// Time moves forward within a test (TOTP steps, session expiry) and back after it, so admin
// calls stay within SigV4's five minutes of clock skew.
let advanced = 0;
function advance(ms: number): void {
  server.clock.advance(ms);
  advanced += ms;
}
afterEach(() => {
  server.clock.advance(-advanced);
  advanced = 0;
});

/** A user with a verified authenticator turned on (and preferred); returns the secret. */
async function userWithTotp(pool = poolId, client = clientId, attributes: Record<string, string> = {}) {
  const username = unique('m');
  await adminUser(idp, pool, username, attributes);
  const { AccessToken } = await passwordSignIn(idp, client, username);
  const { SecretCode } = await idp.send(new AssociateSoftwareTokenCommand({ AccessToken }));
  await idp.send(new VerifySoftwareTokenCommand({ AccessToken, UserCode: authenticatorCode(SecretCode!, server.clock.now()) }));
  await idp.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: pool, Username: username, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }));
  // The code used to verify has claimed this step; sign-ins below start in a fresh one.
  advance(STEP_MS);
  return { username, secret: SecretCode! };
}

const initiate = (username: string, client = clientId) =>
  idp.send(new InitiateAuthCommand({ ClientId: client, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD } }));

const respond = (challenge: InitiateAuthResponse, answers: Record<string, string>, client = clientId) =>
  idp.send(new RespondToAuthChallengeCommand({ ClientId: client, ChallengeName: challenge.ChallengeName, Session: challenge.Session, ChallengeResponses: answers }));

describe('SOFTWARE_TOKEN_MFA', () => {
  it('asks for the authenticator after the password; a wrong code may be retried on the same Session', async () => {
    const { username, secret } = await userWithTotp();
    const challenge = await initiate(username);
    expect(challenge.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
    expect(challenge.Session).toBeTruthy();
    expect(challenge.AuthenticationResult).toBeUndefined();

    const code = authenticatorCode(secret, server.clock.now());
    await expectError(respond(challenge, { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: otherCode(code) }), {
      name: 'CodeMismatchException',
      message: 'Invalid code or auth state for the user.',
    });
    const done = await respond(challenge, { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: code });
    expect(done.AuthenticationResult?.AccessToken).toBeTruthy();
    // The Session is spent.
    await expectError(respond(challenge, { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: code }), {
      name: 'NotAuthorizedException',
      message: 'Invalid session for the user, session can only be used once.',
    });
  });

  it('never accepts the same code twice; the next time step brings a new one', async () => {
    const { username, secret } = await userWithTotp();
    const code = authenticatorCode(secret, server.clock.now());
    const first = await initiate(username);
    expect((await respond(first, { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: code })).AuthenticationResult).toBeDefined();
    const second = await initiate(username);
    await expectError(respond(second, { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: code }), { name: 'CodeMismatchException' });
    advance(STEP_MS);
    const next = authenticatorCode(secret, server.clock.now());
    expect((await respond(second, { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: next })).AuthenticationResult).toBeDefined();
  });

  it('works for AdminInitiateAuth, and a client secret needs SECRET_HASH on the answer too', async () => {
    const { clientId: confidential, clientSecret } = await createClient(idp, poolId, { GenerateSecret: true });
    const { username, secret } = await userWithTotp();
    const hash = secretHash(clientSecret!, username, confidential);
    const challenge = await idp.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: confidential,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: username, PASSWORD, SECRET_HASH: hash },
      }),
    );
    expect(challenge.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
    const answer = (answers: Record<string, string>) =>
      idp.send(
        new AdminRespondToAuthChallengeCommand({
          UserPoolId: poolId,
          ClientId: confidential,
          ChallengeName: 'SOFTWARE_TOKEN_MFA',
          Session: challenge.Session,
          ChallengeResponses: answers,
        }),
      );
    const code = authenticatorCode(secret, server.clock.now());
    await expectError(answer({ USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: code }), {
      name: 'NotAuthorizedException',
      message: `Client ${confidential} is configured for secret but secret was not received`,
    });
    const done = await answer({ USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: code, SECRET_HASH: hash });
    expect(done.AuthenticationResult?.IdToken).toBeTruthy();
  });

  it('SRP sign-in with amazon-cognito-identity-js answers totpRequired with a computed code', async () => {
    const { username, secret } = await userWithTotp();
    const userPool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: server.url });
    const user = new CognitoUser({ Username: username, Pool: userPool });
    const session = await new Promise<CognitoUserSession>((resolve, reject) => {
      const callbacks = {
        onSuccess: resolve,
        onFailure: reject,
        totpRequired(challengeName: string) {
          expect(challengeName).toBe('SOFTWARE_TOKEN_MFA');
          user.sendMFACode(authenticatorCode(secret, server.clock.now()), callbacks, 'SOFTWARE_TOKEN_MFA');
        },
        mfaRequired: () => reject(new Error('unexpected SMS challenge')),
      };
      user.authenticateUser(new AuthenticationDetails({ Username: username, Password: PASSWORD }), callbacks);
    });
    expect(session.isValid()).toBe(true);
    expect(session.getAccessToken().decodePayload().username).toBe(username);
  });

  it('a pool with MFA off signs the same user in without a second factor', async () => {
    const offPool = await createPool(idp, { PoolName: 'mfa-off' });
    await idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: offPool, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } }));
    const { clientId: offClient } = await createClient(idp, offPool);
    const { username } = await userWithTotp(offPool, offClient);
    await idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: offPool, MfaConfiguration: 'OFF', SoftwareTokenMfaConfiguration: { Enabled: true } }));
    expect((await initiate(username, offClient)).AuthenticationResult).toBeDefined();
  });
});

describe('SMS_MFA and EMAIL_OTP', () => {
  it('sends an SMS code with the pool template and masked delivery details', async () => {
    const phone = `+1555${String(Date.now()).slice(-7)}`;
    const username = unique('sms');
    await adminUser(idp, poolId, username, { phone_number: phone });
    await idp.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: username, SMSMfaSettings: { Enabled: true } }));
    const challenge = await idp.send(
      new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD } }),
    );
    expect(challenge.ChallengeName).toBe('SMS_MFA');
    expect(challenge.ChallengeParameters).toMatchObject({
      CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS',
      CODE_DELIVERY_DESTINATION: `+${'*'.repeat(phone.length - 5)}${phone.slice(-4)}`,
    });
    const [message] = await messagesTo(server, phone);
    expect(message!.Body).toMatch(/^Your sign-in code is \d{6}$/);
    const code = await latestCode(server, phone);
    const done = await idp.send(
      new AdminRespondToAuthChallengeCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        ChallengeName: 'SMS_MFA',
        Session: challenge.Session,
        ChallengeResponses: { USERNAME: username, SMS_MFA_CODE: code },
      }),
    );
    expect(done.AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it('sends an EMAIL_OTP code with EmailMfaConfiguration; the code expires with the three-minute session', async () => {
    const email = `${unique('otp')}@example.com`;
    const username = unique('email');
    await adminUser(idp, poolId, username, { email, email_verified: 'true' });
    await idp.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: username, EmailMfaSettings: { Enabled: true } }));
    const challenge = await initiate(username);
    expect(challenge.ChallengeName).toBe('EMAIL_OTP');
    expect(challenge.ChallengeParameters).toMatchObject({ CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL', CODE_DELIVERY_DESTINATION: `${email[0]}***@e***` });
    const [message] = await messagesTo(server, email);
    expect(message).toMatchObject({ Subject: 'Sign-in code' });
    expect(message!.Body).toMatch(/^Use \d{6} to sign in\.$/);
    const code = await latestCode(server, email);

    advance(3 * 60_000 + 1000);
    await expectError(respond(challenge, { USERNAME: username, EMAIL_OTP_CODE: code }), {
      name: 'NotAuthorizedException',
      message: 'Invalid session for the user, session is expired.',
    });
    const again = await initiate(username);
    const fresh = await latestCode(server, email);
    expect((await respond(again, { USERNAME: username, EMAIL_OTP_CODE: fresh })).AuthenticationResult).toBeDefined();
  });

  it('wrong codes count toward the lockout', async () => {
    const email = `${unique('lock')}@example.com`;
    const username = unique('lock');
    await adminUser(idp, poolId, username, { email });
    await idp.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: username, EmailMfaSettings: { Enabled: true } }));
    let challenge = await initiate(username);
    for (let failure = 1; failure <= 5; failure++) {
      if (failure === 4) challenge = await initiate(username); // a session survives three wrong codes
      const code = await latestCode(server, email);
      await expectError(respond(challenge, { USERNAME: username, EMAIL_OTP_CODE: otherCode(code) }), { name: 'CodeMismatchException' });
    }
    // The third wrong code ended that session.
    await expectError(initiate(username), { name: 'NotAuthorizedException', message: 'Password attempts exceeded' });
  });
});

describe('SELECT_MFA_TYPE and MFA_SETUP', () => {
  it('lets a user with several factors and no preference choose', async () => {
    const phone = `+1556${String(Date.now()).slice(-7)}`;
    const { username } = await userWithTotp(poolId, clientId, { phone_number: phone });
    await idp.send(
      new AdminSetUserMFAPreferenceCommand({
        UserPoolId: poolId,
        Username: username,
        SMSMfaSettings: { Enabled: true },
        SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: false },
      }),
    );
    const select = await initiate(username);
    expect(select.ChallengeName).toBe('SELECT_MFA_TYPE');
    expect(JSON.parse(select.ChallengeParameters!.MFAS_CAN_CHOOSE!)).toEqual(['SMS_MFA', 'SOFTWARE_TOKEN_MFA']);
    await expectError(respond(select, { USERNAME: username, ANSWER: 'EMAIL_OTP' }), { name: 'MFAMethodNotFoundException' });

    const again = await initiate(username);
    const sms = await respond(again, { USERNAME: username, ANSWER: 'SMS_MFA' });
    expect(sms.ChallengeName).toBe('SMS_MFA');
    const done = await respond(sms, { USERNAME: username, SMS_MFA_CODE: await latestCode(server, phone) });
    expect(done.AuthenticationResult).toBeDefined();
  });

  it('with MFA required, a user without a factor sets up an authenticator during sign-in (MFA_SETUP)', async () => {
    const requiredPool = await createPool(idp, { PoolName: 'mfa-on' });
    await idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: requiredPool, MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true } }));
    const { clientId: client } = await createClient(idp, requiredPool);
    const username = unique('setup');
    await adminUser(idp, requiredPool, username);

    const setup = await initiate(username, client);
    expect(setup.ChallengeName).toBe('MFA_SETUP');
    expect(JSON.parse(setup.ChallengeParameters!.MFAS_CAN_SETUP!)).toEqual(['SOFTWARE_TOKEN_MFA']);
    // Answering before an authenticator is verified is refused, and the Session stays usable.
    await expectError(respond(setup, { USERNAME: username }, client), { name: 'InvalidParameterException' });

    const associated = await idp.send(new AssociateSoftwareTokenCommand({ Session: setup.Session }));
    expect(associated.SecretCode).toMatch(/^[A-Z2-7]{52}$/);
    expect(associated.Session).toBeTruthy();
    const code = authenticatorCode(associated.SecretCode!, server.clock.now());
    await expectError(idp.send(new VerifySoftwareTokenCommand({ Session: associated.Session, UserCode: otherCode(code) })), {
      name: 'EnableSoftwareTokenMFAException',
    });
    const verified = await idp.send(new VerifySoftwareTokenCommand({ Session: associated.Session, UserCode: code, FriendlyDeviceName: 'phone' }));
    expect(verified.Status).toBe('SUCCESS');
    const done = await idp.send(
      new RespondToAuthChallengeCommand({ ClientId: client, ChallengeName: 'MFA_SETUP', Session: verified.Session, ChallengeResponses: { USERNAME: username } }),
    );
    expect(done.AuthenticationResult?.AccessToken).toBeTruthy();

    const user = await idp.send(new AdminGetUserCommand({ UserPoolId: requiredPool, Username: username }));
    expect(user.UserMFASettingList).toEqual(['SOFTWARE_TOKEN_MFA']);
    expect(user.PreferredMfaSetting).toBe('SOFTWARE_TOKEN_MFA');
    advance(STEP_MS);
    expect((await initiate(username, client)).ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
  });

  it('with MFA required, a user without an email sets up email MFA inside MFA_SETUP', async () => {
    const requiredPool = await createPool(idp, { PoolName: 'mfa-on-email' });
    await idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: requiredPool, MfaConfiguration: 'ON', EmailMfaConfiguration: {} }));
    const { clientId: client } = await createClient(idp, requiredPool);
    const username = unique('esetup');
    await adminUser(idp, requiredPool, username);
    const setup = await initiate(username, client);
    expect(setup.ChallengeName).toBe('MFA_SETUP');
    expect(JSON.parse(setup.ChallengeParameters!.MFAS_CAN_SETUP!)).toEqual(['EMAIL_OTP']);
    await expectError(idp.send(new AssociateSoftwareTokenCommand({ Session: setup.Session })), {
      name: 'InvalidParameterException',
      message: 'Software token MFA is not enabled for this user pool.',
    });
    await expectError(respond(setup, { USERNAME: username, EMAIL: 'not-an-email' }, client), {
      name: 'InvalidParameterException',
      message: 'Invalid email address format.',
    });
    const email = `${username}@example.com`;
    const otp = await respond(setup, { USERNAME: username, EMAIL: email }, client);
    expect(otp.ChallengeName).toBe('EMAIL_OTP');
    expect(otp.ChallengeParameters).toMatchObject({ CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL', CODE_DELIVERY_DESTINATION: `${email[0]}***@e***` });
    const done = await respond(otp, { USERNAME: username, EMAIL_OTP_CODE: await latestCode(server, email) }, client);
    expect(done.AuthenticationResult).toBeDefined();
    const user = await idp.send(new AdminGetUserCommand({ UserPoolId: requiredPool, Username: username }));
    expect(user.UserAttributes).toEqual(expect.arrayContaining([{ Name: 'email', Value: email }, { Name: 'email_verified', Value: 'true' }]));
    expect(user.PreferredMfaSetting).toBe('EMAIL_OTP');
    expect((await initiate(username, client)).ChallengeName).toBe('EMAIL_OTP');
  });

  it('with MFA required, a user with a phone gets SMS_MFA without having chosen it', async () => {
    const requiredPool = await createPool(idp, { PoolName: 'mfa-on-sms' });
    await idp.send(
      new SetUserPoolMfaConfigCommand({ UserPoolId: requiredPool, MfaConfiguration: 'ON', SmsMfaConfiguration: { SmsConfiguration: SMS } }),
    );
    const { clientId: client } = await createClient(idp, requiredPool);
    const username = unique('implicit');
    await adminUser(idp, requiredPool, username, { phone_number: `+1557${String(Date.now()).slice(-7)}` });
    expect((await initiate(username, client)).ChallengeName).toBe('SMS_MFA');
  });
});
