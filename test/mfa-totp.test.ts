import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminGetUserCommand,
  AdminSetUserMFAPreferenceCommand,
  AdminSetUserSettingsCommand,
  AssociateSoftwareTokenCommand,
  GetUserCommand,
  SetUserMFAPreferenceCommand,
  SetUserSettingsCommand,
  VerifySoftwareTokenCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from './support/test-server.js';
import { adminUser, caught, createClient, createPool, expectError, passwordSignIn, unique } from './support/cognito.js';
import { authenticatorCode, otherCode } from './support/totp.js';
import { base32Decode, base32Encode, hotp, matchTotpStep, otpauthUri, totpCode } from '../src/crypto/totp.js';

// Authenticator apps: AssociateSoftwareToken / VerifySoftwareToken with an access token, MFA
// preferences (SetUserMFAPreference, the legacy SetUserSettings and their Admin twins) and what
// GetUser / AdminGetUser report; the TOTP module against RFC 6238's own test vectors.

describe('TOTP module (RFC 6238 appendix B)', () => {
  // The RFC's seeds are ASCII "1234567890" repeated to the hash's key length; 8-digit codes.
  const seeds = {
    sha1: Buffer.from('12345678901234567890'),
    sha256: Buffer.from('12345678901234567890123456789012'),
    sha512: Buffer.from('1234567890123456789012345678901234567890123456789012345678901234'),
  };
  const vectors: [number, string, string, string][] = [
    [59, '94287082', '46119246', '90693936'],
    [1111111109, '07081804', '68084774', '25091201'],
    [1111111111, '14050471', '67062674', '99943326'],
    [1234567890, '89005924', '91819424', '93441116'],
    [2000000000, '69279037', '90698825', '38618901'],
    [20000000000, '65353130', '77737706', '47863826'],
  ];
  it.each(vectors)('T=%i', (time, sha1, sha256, sha512) => {
    const counter = Math.floor(time / 30);
    expect(hotp(seeds.sha1, counter, 8, 'sha1')).toBe(sha1);
    expect(hotp(seeds.sha256, counter, 8, 'sha256')).toBe(sha256);
    expect(hotp(seeds.sha512, counter, 8, 'sha512')).toBe(sha512);
  });

  it('base32 round-trips, and 6-digit codes match within ±1 step only', () => {
    const secret = base32Encode(seeds.sha1);
    expect(secret).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(base32Decode(secret)).toEqual(seeds.sha1);
    const now = new Date(1_111_111_111_000);
    expect(totpCode(secret, now)).toBe('050471');
    expect(matchTotpStep(secret, authenticatorCode(secret, now, -1), now)).toBe(Math.floor(1_111_111_111 / 30) - 1);
    expect(matchTotpStep(secret, authenticatorCode(secret, now, 1), now)).toBe(Math.floor(1_111_111_111 / 30) + 1);
    expect(matchTotpStep(secret, authenticatorCode(secret, now, 2), now)).toBeUndefined();
    expect(matchTotpStep(secret, '12345', now)).toBeUndefined();
  });

  it('builds the otpauth:// URI apps scan', () => {
    expect(otpauthUri({ issuer: 'My App', account: 'jane@example.com', secret: 'ABC' })).toBe(
      'otpauth://totp/My%20App:jane%40example.com?secret=ABC&issuer=My%20App',
    );
  });
});

let server: TestServer;
let idp: CognitoIdentityProviderClient;
let poolId: string;
let clientId: string;

beforeAll(async () => {
  server = await startTestServer();
  idp = server.client();
  poolId = await createPool(idp);
  ({ clientId } = await createClient(idp, poolId));
});

afterAll(async () => {
  await server?.close();
});

async function signedInUser(attributes: Record<string, string> = {}) {
  const username = unique('totp');
  await adminUser(idp, poolId, username, attributes);
  const tokens = await passwordSignIn(idp, clientId, username);
  return { username, accessToken: tokens.AccessToken };
}

describe('AssociateSoftwareToken and VerifySoftwareToken', () => {
  it('issues a base32 secret that a code from an authenticator confirms, once', async () => {
    const { username, accessToken } = await signedInUser();
    const { SecretCode, Session } = await idp.send(new AssociateSoftwareTokenCommand({ AccessToken: accessToken }));
    expect(SecretCode).toMatch(/^[A-Z2-7]{52}$/);
    expect(Session).toBeUndefined();

    const wrong = otherCode(authenticatorCode(SecretCode!, server.clock.now()));
    await expectError(idp.send(new VerifySoftwareTokenCommand({ AccessToken: accessToken, UserCode: wrong })), {
      name: 'EnableSoftwareTokenMFAException',
      message: 'Code mismatch and fail enable Software Token MFA',
    });
    const code = authenticatorCode(SecretCode!, server.clock.now());
    const verified = await idp.send(new VerifySoftwareTokenCommand({ AccessToken: accessToken, UserCode: code, FriendlyDeviceName: 'phone' }));
    expect(verified.Status).toBe('SUCCESS');

    // Verified but not turned on: the user's MFA settings are unchanged until they choose.
    const user = await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
    expect(user.UserMFASettingList).toBeUndefined();
    expect(user.PreferredMfaSetting).toBeUndefined();

    // The secret is sealed at rest: the stored user holds no trace of it.
    const stored = await server.store.users.get(poolId, (user.UserAttributes ?? []).find((a) => a.Name === 'sub')!.Value!);
    expect(JSON.stringify(stored!.mfa)).not.toContain(SecretCode!);
    expect(JSON.stringify(stored!.mfa)).toContain('sealedSecret');
  });

  it('accepts a code of the previous or next step, not two steps away', async () => {
    const { accessToken } = await signedInUser();
    const { SecretCode } = await idp.send(new AssociateSoftwareTokenCommand({ AccessToken: accessToken }));
    const now = server.clock.now();
    await expectError(
      idp.send(new VerifySoftwareTokenCommand({ AccessToken: accessToken, UserCode: authenticatorCode(SecretCode!, now, -3) })),
      { name: 'EnableSoftwareTokenMFAException' },
    );
    const previous = authenticatorCode(SecretCode!, now, -1);
    expect((await idp.send(new VerifySoftwareTokenCommand({ AccessToken: accessToken, UserCode: previous }))).Status).toBe('SUCCESS');
  });

  it('of two concurrent verifications with the same code, exactly one succeeds', async () => {
    const { accessToken } = await signedInUser();
    const { SecretCode } = await idp.send(new AssociateSoftwareTokenCommand({ AccessToken: accessToken }));
    const code = authenticatorCode(SecretCode!, server.clock.now());
    const results = await Promise.allSettled(
      [1, 2, 3].map(() => idp.send(new VerifySoftwareTokenCommand({ AccessToken: accessToken, UserCode: code }))),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const failure of results.filter((r) => r.status === 'rejected')) {
      expect(['EnableSoftwareTokenMFAException', 'SoftwareTokenMFANotFoundException']).toContain((failure as PromiseRejectedResult).reason.name);
    }
  });

  it('refuses bad callers and a verification without an association', async () => {
    const { accessToken } = await signedInUser();
    await expectError(idp.send(new AssociateSoftwareTokenCommand({})), { name: 'InvalidParameterException' });
    await expectError(idp.send(new AssociateSoftwareTokenCommand({ AccessToken: 'not-a-token' })), { name: 'NotAuthorizedException' });
    await expectError(idp.send(new AssociateSoftwareTokenCommand({ Session: 'x'.repeat(40) })), {
      name: 'NotAuthorizedException',
      message: 'Invalid session for the user.',
    });
    await expectError(idp.send(new VerifySoftwareTokenCommand({ AccessToken: accessToken, UserCode: '123456' })), {
      name: 'SoftwareTokenMFANotFoundException',
    });
    const error = await caught(idp.send(new VerifySoftwareTokenCommand({ AccessToken: accessToken, UserCode: '12ab56' })));
    expect(error.name).toBe('InvalidParameterException');
  });
});

describe('MFA preferences', () => {
  it('turns software-token MFA on only once it is verified, and reports it', async () => {
    const { accessToken } = await signedInUser();
    await expectError(
      idp.send(new SetUserMFAPreferenceCommand({ AccessToken: accessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } })),
      { name: 'InvalidParameterException', message: 'User has not set up software token mfa' },
    );
    const { SecretCode } = await idp.send(new AssociateSoftwareTokenCommand({ AccessToken: accessToken }));
    await idp.send(new VerifySoftwareTokenCommand({ AccessToken: accessToken, UserCode: authenticatorCode(SecretCode!, server.clock.now()) }));
    await idp.send(new SetUserMFAPreferenceCommand({ AccessToken: accessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }));
    const me = await idp.send(new GetUserCommand({ AccessToken: accessToken }));
    expect(me.UserMFASettingList).toEqual(['SOFTWARE_TOKEN_MFA']);
    expect(me.PreferredMfaSetting).toBe('SOFTWARE_TOKEN_MFA');

    await idp.send(new SetUserMFAPreferenceCommand({ AccessToken: accessToken, SoftwareTokenMfaSettings: { Enabled: false } }));
    const after = await idp.send(new GetUserCommand({ AccessToken: accessToken }));
    expect(after.UserMFASettingList).toBeUndefined();
    expect(after.PreferredMfaSetting).toBeUndefined();
  });

  it('AdminSetUserMFAPreference needs a phone for SMS and an email for EMAIL_OTP; one preferred at a time', async () => {
    const username = unique('pref');
    await adminUser(idp, poolId, username);
    await expectError(
      idp.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: username, SMSMfaSettings: { Enabled: true } })),
      { name: 'InvalidParameterException', message: 'User does not have delivery config set to turn on SMS_MFA' },
    );
    const withBoth = unique('pref');
    await adminUser(idp, poolId, withBoth, { phone_number: '+15555550123', email: `${withBoth}@example.com` });
    await idp.send(
      new AdminSetUserMFAPreferenceCommand({
        UserPoolId: poolId,
        Username: withBoth,
        SMSMfaSettings: { Enabled: true, PreferredMfa: true },
        EmailMfaSettings: { Enabled: true },
      }),
    );
    let user = await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: withBoth }));
    expect(user.UserMFASettingList).toEqual(['SMS_MFA', 'EMAIL_OTP']);
    expect(user.PreferredMfaSetting).toBe('SMS_MFA');
    await idp.send(
      new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: withBoth, EmailMfaSettings: { Enabled: true, PreferredMfa: true } }),
    );
    user = await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: withBoth }));
    expect(user.PreferredMfaSetting).toBe('EMAIL_OTP');
    await expectError(
      idp.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: 'nobody-here', SMSMfaSettings: { Enabled: true } })),
      { name: 'UserNotFoundException', message: 'User does not exist.' },
    );
  });

  it('SetUserSettings / AdminSetUserSettings: the legacy SMS switch, shown as MFAOptions', async () => {
    const { username, accessToken } = await signedInUser({ phone_number: '+15555550124' });
    await idp.send(new SetUserSettingsCommand({ AccessToken: accessToken, MFAOptions: [{ DeliveryMedium: 'SMS', AttributeName: 'phone_number' }] }));
    const me = await idp.send(new GetUserCommand({ AccessToken: accessToken }));
    expect(me.MFAOptions).toEqual([{ DeliveryMedium: 'SMS', AttributeName: 'phone_number' }]);
    expect(me.UserMFASettingList).toEqual(['SMS_MFA']);
    await expectError(
      idp.send(new SetUserSettingsCommand({ AccessToken: accessToken, MFAOptions: [{ DeliveryMedium: 'EMAIL', AttributeName: 'email' }] })),
      { name: 'InvalidParameterException' },
    );
    await idp.send(new AdminSetUserSettingsCommand({ UserPoolId: poolId, Username: username, MFAOptions: [] }));
    const user = await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
    expect(user.MFAOptions).toBeUndefined();
    expect(user.UserMFASettingList).toBeUndefined();
  });
});
