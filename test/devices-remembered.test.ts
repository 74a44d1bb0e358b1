import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminForgetDeviceCommand,
  AdminGetDeviceCommand,
  AdminListDevicesCommand,
  AdminSetUserMFAPreferenceCommand,
  AdminUpdateDeviceStatusCommand,
  AssociateSoftwareTokenCommand,
  ConfirmDeviceCommand,
  ForgetDeviceCommand,
  GetDeviceCommand,
  InitiateAuthCommand,
  ListDevicesCommand,
  RespondToAuthChallengeCommand,
  SetUserPoolMfaConfigCommand,
  UpdateDeviceStatusCommand,
  UpdateUserPoolCommand,
  VerifySoftwareTokenCommand,
  type CognitoIdentityProviderClient,
  type DeviceConfigurationType,
} from '@aws-sdk/client-cognito-identity-provider';
import { AuthenticationDetails, CognitoUser, CognitoUserPool, type CognitoUserSession, type ICognitoStorage } from 'amazon-cognito-identity-js';
import { startTestServer, type TestServer } from './support/test-server.js';
import { PASSWORD, adminUser, createClient, createPool, expectError, passwordSignIn, unique } from './support/cognito.js';
import { authenticatorCode } from './support/totp.js';
import { createDeviceVerifier } from '../src/crypto/srp/index.js';

// Devices: NewDeviceMetadata, ConfirmDevice, remembering (DeviceOnlyRememberedOnUserPrompt),
// DEVICE_SRP_AUTH / DEVICE_PASSWORD_VERIFIER through amazon-cognito-identity-js skipping MFA,
// refresh bound to DEVICE_KEY, and ListDevices / GetDevice / UpdateDeviceStatus / ForgetDevice
// with their Admin twins.

let server: TestServer;
let idp: CognitoIdentityProviderClient;

beforeAll(async () => {
  server = await startTestServer();
  idp = server.client();
});
afterAll(async () => {
  await server?.close();
});

let advanced = 0;
function advance(ms: number): void {
  server.clock.advance(ms);
  advanced += ms;
}
afterEach(() => {
  server.clock.advance(-advanced);
  advanced = 0;
});

/** A pool with optional TOTP MFA and the given device configuration, and an app client. */
async function devicePool(configuration: DeviceConfigurationType) {
  const poolId = await createPool(idp, { DeviceConfiguration: configuration });
  await idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } }));
  const { clientId } = await createClient(idp, poolId);
  return { poolId, clientId };
}

/** Signs in (no MFA yet) and confirms the new device with a verifier the way the clients compute it. */
async function confirmedDevice(poolId: string, clientId: string, username: string, name = 'laptop') {
  const tokens = await passwordSignIn(idp, clientId, username);
  const metadata = tokens.NewDeviceMetadata!;
  expect(metadata.DeviceKey).toMatch(/^us-east-1_[0-9a-f-]{36}$/);
  expect(metadata.DeviceGroupKey).toBeTruthy();
  const { salt, verifier } = createDeviceVerifier(metadata.DeviceGroupKey!, metadata.DeviceKey!, 'device-password');
  const confirmed = await idp.send(
    new ConfirmDeviceCommand({
      AccessToken: tokens.AccessToken,
      DeviceKey: metadata.DeviceKey,
      DeviceName: name,
      DeviceSecretVerifierConfig: { Salt: Buffer.from(salt, 'hex').toString('base64'), PasswordVerifier: Buffer.from(verifier, 'hex').toString('base64') },
    }),
  );
  return { tokens, deviceKey: metadata.DeviceKey!, confirmed, poolId };
}

describe('device tracking through the SDK', () => {
  it('gives no NewDeviceMetadata where the pool does not track devices', async () => {
    const poolId = await createPool(idp);
    const { clientId } = await createClient(idp, poolId);
    const username = unique('d');
    await adminUser(idp, poolId, username);
    expect((await passwordSignIn(idp, clientId, username)).NewDeviceMetadata).toBeUndefined();
  });

  it('confirms, lists, gets, remembers and forgets devices', async () => {
    const { poolId, clientId } = await devicePool({ ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true });
    const username = unique('d');
    await adminUser(idp, poolId, username);
    const { tokens, deviceKey, confirmed } = await confirmedDevice(poolId, clientId, username);
    expect(confirmed.UserConfirmationNecessary).toBe(true);
    const accessToken = tokens.AccessToken;

    const listed = await idp.send(new ListDevicesCommand({ AccessToken: accessToken }));
    expect(listed.Devices).toHaveLength(1);
    expect(listed.Devices![0]).toMatchObject({ DeviceKey: deviceKey });
    expect(listed.Devices![0]!.DeviceAttributes).toEqual(
      expect.arrayContaining([
        { Name: 'device_name', Value: 'laptop' },
        { Name: 'last_ip_used', Value: '127.0.0.1' },
        { Name: 'device_remembered_status', Value: 'not_remembered' },
      ]),
    );
    await idp.send(new UpdateDeviceStatusCommand({ AccessToken: accessToken, DeviceKey: deviceKey, DeviceRememberedStatus: 'remembered' }));
    const got = await idp.send(new GetDeviceCommand({ AccessToken: accessToken, DeviceKey: deviceKey }));
    expect(got.Device!.DeviceAttributes).toContainEqual({ Name: 'device_remembered_status', Value: 'remembered' });
    expect(got.Device!.DeviceCreateDate).toBeInstanceOf(Date);

    const admin = await idp.send(new AdminGetDeviceCommand({ UserPoolId: poolId, Username: username, DeviceKey: deviceKey }));
    expect(admin.Device!.DeviceKey).toBe(deviceKey);
    await idp.send(new AdminUpdateDeviceStatusCommand({ UserPoolId: poolId, Username: username, DeviceKey: deviceKey, DeviceRememberedStatus: 'not_remembered' }));
    expect((await idp.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: username }))).Devices![0]!.DeviceAttributes).toContainEqual({
      Name: 'device_remembered_status',
      Value: 'not_remembered',
    });

    await expectError(
      idp.send(
        new ConfirmDeviceCommand({
          AccessToken: accessToken,
          DeviceKey: deviceKey,
          DeviceSecretVerifierConfig: { Salt: 'AAEC', PasswordVerifier: 'AAEC' },
        }),
      ),
      { name: 'DeviceKeyExistsException' },
    );
    await idp.send(new ForgetDeviceCommand({ AccessToken: accessToken, DeviceKey: deviceKey }));
    await expectError(idp.send(new GetDeviceCommand({ AccessToken: accessToken, DeviceKey: deviceKey })), {
      name: 'ResourceNotFoundException',
      message: 'Device does not exist.',
    });
    expect((await idp.send(new ListDevicesCommand({ AccessToken: accessToken }))).Devices).toEqual([]);
  });

  it("refuses another user's device, bad verifiers and unknown keys", async () => {
    const { poolId, clientId } = await devicePool({ ChallengeRequiredOnNewDevice: true });
    const alice = unique('a');
    const bob = unique('b');
    await adminUser(idp, poolId, alice);
    await adminUser(idp, poolId, bob);
    const { deviceKey } = await confirmedDevice(poolId, clientId, alice);
    const bobTokens = await passwordSignIn(idp, clientId, bob);
    await expectError(idp.send(new GetDeviceCommand({ AccessToken: bobTokens.AccessToken, DeviceKey: deviceKey })), { name: 'ResourceNotFoundException' });
    await expectError(idp.send(new AdminForgetDeviceCommand({ UserPoolId: poolId, Username: bob, DeviceKey: deviceKey })), {
      name: 'ResourceNotFoundException',
    });
    await expectError(
      idp.send(
        new ConfirmDeviceCommand({
          AccessToken: bobTokens.AccessToken,
          DeviceKey: bobTokens.NewDeviceMetadata!.DeviceKey,
          DeviceSecretVerifierConfig: { Salt: 'not base64!', PasswordVerifier: 'AA==' },
        }),
      ),
      { name: 'InvalidParameterException' },
    );
    await idp.send(new AdminForgetDeviceCommand({ UserPoolId: poolId, Username: alice, DeviceKey: deviceKey }));
    expect((await idp.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: alice }))).Devices).toEqual([]);
  });

  it('pages ListDevices', async () => {
    const { poolId, clientId } = await devicePool({ ChallengeRequiredOnNewDevice: false });
    const username = unique('p');
    await adminUser(idp, poolId, username);
    const keys: string[] = [];
    for (let i = 0; i < 3; i++) keys.push((await confirmedDevice(poolId, clientId, username, `device ${i}`)).deviceKey);
    const accessToken = (await passwordSignIn(idp, clientId, username)).AccessToken;
    const first = await idp.send(new ListDevicesCommand({ AccessToken: accessToken, Limit: 2 }));
    expect(first.Devices).toHaveLength(2);
    expect(first.PaginationToken).toBeTruthy();
    const second = await idp.send(new ListDevicesCommand({ AccessToken: accessToken, Limit: 2, PaginationToken: first.PaginationToken }));
    expect(second.Devices).toHaveLength(1);
    expect(second.PaginationToken).toBeUndefined();
    expect([...first.Devices!, ...second.Devices!].map((d) => d.DeviceKey).sort()).toEqual(keys.sort());
  });

  it('binds tokens signed in from a known device to it: refresh must name DEVICE_KEY', async () => {
    const { poolId, clientId } = await devicePool({ ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true });
    const username = unique('r');
    await adminUser(idp, poolId, username);
    const { deviceKey } = await confirmedDevice(poolId, clientId, username);
    // Confirmed but not remembered: no device challenge, the tokens carry the device.
    const tokens = await passwordSignIn(idp, clientId, username, PASSWORD, { DEVICE_KEY: deviceKey });
    expect(tokens.NewDeviceMetadata).toBeUndefined();
    const claims = JSON.parse(Buffer.from(tokens.AccessToken.split('.')[1]!, 'base64url').toString());
    expect(claims.device_key).toBe(deviceKey);
    const refresh = (extra: Record<string, string>) =>
      idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken, ...extra } }));
    await expectError(refresh({}), { name: 'NotAuthorizedException' });
    const refreshed = await refresh({ DEVICE_KEY: deviceKey });
    expect(refreshed.AuthenticationResult?.AccessToken).toBeTruthy();

    // Remembered: the same sign-in now asks the device to prove itself.
    await idp.send(new AdminUpdateDeviceStatusCommand({ UserPoolId: poolId, Username: username, DeviceKey: deviceKey, DeviceRememberedStatus: 'remembered' }));
    const challenge = await idp.send(
      new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD, DEVICE_KEY: deviceKey } }),
    );
    expect(challenge.ChallengeName).toBe('DEVICE_SRP_AUTH');
    const verifier = await idp.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'DEVICE_SRP_AUTH',
        Session: challenge.Session,
        ChallengeResponses: { USERNAME: username, DEVICE_KEY: deviceKey, SRP_A: '1234abcd'.repeat(8) },
      }),
    );
    expect(verifier.ChallengeName).toBe('DEVICE_PASSWORD_VERIFIER');
    expect(verifier.ChallengeParameters).toMatchObject({ DEVICE_KEY: deviceKey, USERNAME: username });
    expect(verifier.ChallengeParameters!.SRP_B).toMatch(/^[0-9a-f]+$/);
    // A device that cannot prove its secret is refused like a wrong password.
    await expectError(
      idp.send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: 'DEVICE_PASSWORD_VERIFIER',
          Session: verifier.Session,
          ChallengeResponses: {
            USERNAME: username,
            DEVICE_KEY: deviceKey,
            PASSWORD_CLAIM_SECRET_BLOCK: verifier.ChallengeParameters!.SECRET_BLOCK!,
            TIMESTAMP: new Date().toUTCString(),
            PASSWORD_CLAIM_SIGNATURE: Buffer.alloc(32, 1).toString('base64'),
          },
        }),
      ),
      { name: 'NotAuthorizedException', message: 'Incorrect username or password.' },
    );
  });

  it('ConfirmDevice is refused where the pool does not track devices', async () => {
    const poolId = await createPool(idp);
    const { clientId } = await createClient(idp, poolId);
    const username = unique('n');
    await adminUser(idp, poolId, username);
    const tokens = await passwordSignIn(idp, clientId, username);
    await expectError(
      idp.send(new ConfirmDeviceCommand({ AccessToken: tokens.AccessToken, DeviceKey: 'us-east-1_00000000-0000-4000-8000-000000000000' })),
      { name: 'InvalidUserPoolConfigurationException' },
    );
    await idp.send(new UpdateUserPoolCommand({ UserPoolId: poolId, DeviceConfiguration: { ChallengeRequiredOnNewDevice: true } }));
    expect((await passwordSignIn(idp, clientId, username)).NewDeviceMetadata).toBeDefined();
  });
});

class MapStorage implements ICognitoStorage {
  private readonly items = new Map<string, string>();
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
  clear(): void {
    this.items.clear();
  }
}

describe('amazon-cognito-identity-js: remembered devices skip MFA', () => {
  it('remembers the device after a TOTP sign-in, signs in again without MFA, and forgetting brings MFA back', async () => {
    const { poolId, clientId } = await devicePool({ ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false });
    const username = unique('lib');
    await adminUser(idp, poolId, username);
    const { AccessToken } = await passwordSignIn(idp, clientId, username);
    const { SecretCode } = await idp.send(new AssociateSoftwareTokenCommand({ AccessToken }));
    await idp.send(new VerifySoftwareTokenCommand({ AccessToken, UserCode: authenticatorCode(SecretCode!, server.clock.now()) }));
    await idp.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: username, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }));
    advance(30_000);

    const storage = new MapStorage();
    const userPool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: server.url, Storage: storage });
    const signIn = () => {
      const user = new CognitoUser({ Username: username, Pool: userPool, Storage: storage });
      let askedForTotp = false;
      return new Promise<{ user: CognitoUser; session: CognitoUserSession; askedForTotp: boolean }>((resolve, reject) => {
        const callbacks = {
          onSuccess: (session: CognitoUserSession) => resolve({ user, session, askedForTotp }),
          onFailure: reject,
          totpRequired() {
            askedForTotp = true;
            user.sendMFACode(authenticatorCode(SecretCode!, server.clock.now()), callbacks, 'SOFTWARE_TOKEN_MFA');
          },
        };
        user.authenticateUser(new AuthenticationDetails({ Username: username, Password: PASSWORD }), callbacks);
      });
    };

    const first = await signIn();
    expect(first.askedForTotp).toBe(true);
    const devices = await idp.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: username }));
    expect(devices.Devices).toHaveLength(1);
    const deviceKey = devices.Devices![0]!.DeviceKey!;
    expect(devices.Devices![0]!.DeviceAttributes).toContainEqual({ Name: 'device_remembered_status', Value: 'remembered' });

    advance(30_000);
    const second = await signIn();
    expect(second.askedForTotp).toBe(false);
    expect(second.session.getAccessToken().decodePayload().device_key).toBe(deviceKey);

    // The library refreshes with the device key.
    const refreshed = await new Promise<CognitoUserSession>((resolve, reject) =>
      second.user.refreshSession(second.session.getRefreshToken(), (err: Error | null, session: CognitoUserSession) => (err ? reject(err) : resolve(session))),
    );
    expect(refreshed.getAccessToken().decodePayload().device_key).toBe(deviceKey);

    await new Promise<void>((resolve, reject) => second.user.forgetDevice({ onSuccess: () => resolve(), onFailure: reject }));
    expect((await idp.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: username }))).Devices).toEqual([]);
    advance(30_000);
    const third = await signIn();
    expect(third.askedForTotp).toBe(true);
  });
});
