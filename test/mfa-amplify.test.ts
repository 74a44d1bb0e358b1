import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminSetUserMFAPreferenceCommand,
  AssociateSoftwareTokenCommand,
  SetUserPoolMfaConfigCommand,
  VerifySoftwareTokenCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { Amplify } from 'aws-amplify';
import {
  confirmSignIn,
  fetchDevices,
  fetchMFAPreference,
  forgetDevice,
  rememberDevice,
  setUpTOTP,
  signIn,
  signOut,
  updateMFAPreference,
  verifyTOTPSetup,
} from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import type { KeyValueStorageInterface } from 'aws-amplify/utils';
import { startTestServer, type TestServer } from './support/test-server.js';
import { PASSWORD, adminUser, createClient, createPool, passwordSignIn, unique } from './support/cognito.js';
import { latestCode } from './support/outbox.js';
import { authenticatorCode } from './support/totp.js';

// Amplify JS v6 MFA journeys against the real server: setUpTOTP → verifyTOTPSetup →
// updateMFAPreference → signOut → signIn answers CONFIRM_SIGN_IN_WITH_TOTP_CODE; the same with an
// emailed code; and TOTP set-up during sign-in when the pool requires MFA.

class MapStorage implements KeyValueStorageInterface {
  readonly items = new Map<string, string>();
  async setItem(key: string, value: string): Promise<void> {
    this.items.set(key, value);
  }
  async getItem(key: string): Promise<string | null> {
    return this.items.get(key) ?? null;
  }
  async removeItem(key: string): Promise<void> {
    this.items.delete(key);
  }
  async clear(): Promise<void> {
    this.items.clear();
  }
}

let server: TestServer;
let sdk: CognitoIdentityProviderClient;
let advanced = 0;

beforeAll(async () => {
  server = await startTestServer();
  sdk = server.client();
  cognitoUserPoolsTokenProvider.setKeyValueStorage(new MapStorage());
});
afterEach(async () => {
  await signOut();
  server.clock.advance(-advanced);
  advanced = 0;
});
afterAll(async () => {
  await server?.close();
});

function nextTimeStep(): void {
  server.clock.advance(30_000);
  advanced += 30_000;
}

async function configuredPool(mfa: 'OPTIONAL' | 'ON', email: boolean) {
  const poolId = await createPool(sdk);
  await sdk.send(
    new SetUserPoolMfaConfigCommand({
      UserPoolId: poolId,
      MfaConfiguration: mfa,
      SoftwareTokenMfaConfiguration: { Enabled: true },
      ...(email ? { EmailMfaConfiguration: {} } : {}),
    }),
  );
  const { clientId } = await createClient(sdk, poolId);
  Amplify.configure({ Auth: { Cognito: { userPoolId: poolId, userPoolClientId: clientId, userPoolEndpoint: server.url } } });
  return poolId;
}

describe('Amplify JS v6 MFA', () => {
  it('sets up TOTP, prefers it, and answers CONFIRM_SIGN_IN_WITH_TOTP_CODE; then an emailed code', async () => {
    const poolId = await configuredPool('OPTIONAL', true);
    const username = unique('amy');
    const email = `${username}@example.com`;
    await adminUser(sdk, poolId, username, { email, email_verified: 'true' });

    expect(await signIn({ username, password: PASSWORD })).toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    const totp = await setUpTOTP();
    expect(totp.sharedSecret).toMatch(/^[A-Z2-7]{52}$/);
    // Amplify builds the URI itself (and quotes the username in the label).
    const uri = totp.getSetupUri('Frontdesk');
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.searchParams.get('secret')).toBe(totp.sharedSecret);
    expect(uri.searchParams.get('issuer')).toBe('Frontdesk');
    await verifyTOTPSetup({ code: authenticatorCode(totp.sharedSecret, server.clock.now()), options: { friendlyDeviceName: 'phone' } });
    await updateMFAPreference({ totp: 'PREFERRED' });
    expect(await fetchMFAPreference()).toEqual({ enabled: ['TOTP'], preferred: 'TOTP' });
    await signOut();

    nextTimeStep();
    const challenged = await signIn({ username, password: PASSWORD });
    expect(challenged).toEqual({ isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' } });
    expect(await confirmSignIn({ challengeResponse: authenticatorCode(totp.sharedSecret, server.clock.now()) })).toEqual({
      isSignedIn: true,
      nextStep: { signInStep: 'DONE' },
    });

    await updateMFAPreference({ email: 'PREFERRED' });
    expect(await fetchMFAPreference()).toEqual({ enabled: ['TOTP', 'EMAIL'], preferred: 'EMAIL' });
    await signOut();
    const emailed = await signIn({ username, password: PASSWORD });
    expect(emailed.nextStep).toMatchObject({
      signInStep: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE',
      codeDeliveryDetails: { deliveryMedium: 'EMAIL', destination: `${email[0]}***@e***` },
    });
    expect(await confirmSignIn({ challengeResponse: await latestCode(server, email) })).toMatchObject({ isSignedIn: true });
  });

  it('sets up TOTP during sign-in when the pool requires MFA (CONTINUE_SIGN_IN_WITH_TOTP_SETUP)', async () => {
    const poolId = await configuredPool('ON', false);
    const username = unique('bo');
    await adminUser(sdk, poolId, username);
    const step = await signIn({ username, password: PASSWORD });
    expect(step.nextStep.signInStep).toBe('CONTINUE_SIGN_IN_WITH_TOTP_SETUP');
    const details = (step.nextStep as { totpSetupDetails: { sharedSecret: string } }).totpSetupDetails;
    expect(details.sharedSecret).toMatch(/^[A-Z2-7]{52}$/);
    expect(await confirmSignIn({ challengeResponse: authenticatorCode(details.sharedSecret, server.clock.now()) })).toEqual({
      isSignedIn: true,
      nextStep: { signInStep: 'DONE' },
    });
    await signOut();
    nextTimeStep();
    expect((await signIn({ username, password: PASSWORD })).nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_TOTP_CODE');
  });

  it('sets up email MFA during sign-in (CONTINUE_SIGN_IN_WITH_EMAIL_SETUP)', async () => {
    const poolId = await createPool(sdk);
    await sdk.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'ON', EmailMfaConfiguration: {} }));
    const { clientId } = await createClient(sdk, poolId);
    Amplify.configure({ Auth: { Cognito: { userPoolId: poolId, userPoolClientId: clientId, userPoolEndpoint: server.url } } });
    const username = unique('cy');
    await adminUser(sdk, poolId, username);
    const step = await signIn({ username, password: PASSWORD });
    expect(step.nextStep.signInStep).toBe('CONTINUE_SIGN_IN_WITH_EMAIL_SETUP');
    const email = `${username}@example.com`;
    const code = await confirmSignIn({ challengeResponse: email });
    expect(code.nextStep).toMatchObject({ signInStep: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE' });
    expect(await confirmSignIn({ challengeResponse: await latestCode(server, email) })).toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  });

  it('remembers a device (rememberDevice), signs in again without the TOTP code, and forgetDevice brings it back', async () => {
    const poolId = await createPool(sdk, { DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true } });
    await sdk.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } }));
    const { clientId } = await createClient(sdk, poolId);
    Amplify.configure({ Auth: { Cognito: { userPoolId: poolId, userPoolClientId: clientId, userPoolEndpoint: server.url } } });
    const username = unique('dev');
    await adminUser(sdk, poolId, username);
    const { AccessToken } = await passwordSignIn(sdk, clientId, username);
    const { SecretCode } = await sdk.send(new AssociateSoftwareTokenCommand({ AccessToken }));
    await sdk.send(new VerifySoftwareTokenCommand({ AccessToken, UserCode: authenticatorCode(SecretCode!, server.clock.now()) }));
    await sdk.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: username, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }));
    nextTimeStep();

    const totpSignIn = async () => {
      const step = await signIn({ username, password: PASSWORD });
      expect(step.nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_TOTP_CODE');
      expect((await confirmSignIn({ challengeResponse: authenticatorCode(SecretCode!, server.clock.now()) })).isSignedIn).toBe(true);
    };
    // Amplify names the device from navigator.userAgent, which browsers have and Node 20 lacks;
    // without it Amplify silently skips ConfirmDevice.
    if (typeof (globalThis as { navigator?: unknown }).navigator === 'undefined') {
      Object.defineProperty(globalThis, 'navigator', { value: { userAgent: 'Frontdesk test browser' }, configurable: true });
    }
    await totpSignIn();
    await rememberDevice();
    const devices = await fetchDevices();
    expect(devices).toHaveLength(1);
    expect(devices[0]!.name).toBe('Frontdesk test browser');
    await signOut();

    nextTimeStep();
    expect(await signIn({ username, password: PASSWORD })).toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    await forgetDevice();
    expect(await fetchDevices()).toEqual([]);
    await signOut();
    nextTimeStep();
    await totpSignIn();
  });
});
