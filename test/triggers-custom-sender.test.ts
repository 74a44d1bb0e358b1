import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { compactDecrypt } from 'jose';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  SignUpCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from './support/test-server.js';
import { createClient, createPool, expectError, PASSWORD, unique } from './support/cognito.js';
import { messagesTo } from './support/outbox.js';
import { adminCall, arnOf, fixture, hasPython, putFunction, WebhookReceiver, type WebhookReply } from './support/triggers.js';

// CustomEmailSender / CustomSMSSender: the function delivers the message itself and gets the code
// encrypted (JWE, alg dir / enc A256GCM) under the key FrontdeskAdmin.GetCustomSenderKey returns;
// decrypted here with jose and, in Python, with `cryptography`.

let server: TestServer;
let idp: CognitoIdentityProviderClient;
let hook: WebhookReceiver;
let answer: (event: any) => WebhookReply;
const HOOK = arnOf('sender-hook');
const KMS = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const hasCryptography = hasPython && spawnSync('python3', ['-c', 'import cryptography']).status === 0;

beforeAll(async () => {
  server = await startTestServer({ env: { FRONTDESK_TRIGGER_CODE_FROM_API: 'on' } });
  idp = server.client();
  hook = await WebhookReceiver.start((event) => answer(event));
  await hook.register(server, HOOK);
});
afterAll(async () => {
  await hook?.close();
  await server?.close();
});
beforeEach(() => {
  answer = () => undefined;
  hook.calls.length = 0;
});

async function senderKey(poolId: string): Promise<Uint8Array> {
  const response = await adminCall(server, 'GetCustomSenderKey', { UserPoolId: poolId });
  expect(response.status).toBe(200);
  expect(response.body).toMatchObject({ UserPoolId: poolId, KMSKeyID: KMS, Format: 'JWE compact; alg dir; enc A256GCM' });
  return Buffer.from(response.body.Key, 'base64url');
}

async function decrypt(jwe: string, key: Uint8Array): Promise<string> {
  const { plaintext, protectedHeader } = await compactDecrypt(jwe, key);
  expect(protectedHeader).toEqual({ alg: 'dir', enc: 'A256GCM', kid: KMS });
  return new TextDecoder().decode(plaintext);
}

describe('CustomEmailSender', () => {
  it('SignUp: the function gets the encrypted code, Frontdesk sends nothing, the code confirms', async () => {
    const poolId = await createPool(idp, {
      AutoVerifiedAttributes: ['email'],
      LambdaConfig: { CustomEmailSender: { LambdaVersion: 'V1_0', LambdaArn: HOOK }, KMSKeyID: KMS },
    });
    const { clientId } = await createClient(idp, poolId);
    const username = unique('sender');
    const email = `${username}@example.com`;
    const result = await idp.send(
      new SignUpCommand({ ClientId: clientId, Username: username, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: email }], ClientMetadata: { a: 'b' } }),
    );
    expect(result.CodeDeliveryDetails).toMatchObject({ DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    expect(await messagesTo(server, email)).toHaveLength(0);

    const event = hook.calls[0]!.event;
    expect(event).toMatchObject({
      version: '1',
      triggerSource: 'CustomEmailSender_SignUp',
      userPoolId: poolId,
      userName: username,
      callerContext: { clientId },
      request: { type: 'customEmailSenderRequestV1', clientMetadata: { a: 'b' }, userAttributes: { email, 'cognito:user_status': 'UNCONFIRMED' } },
      response: {},
    });
    expect(event.request.code).not.toMatch(/^\d{6}$/);
    const code = await decrypt(event.request.code, await senderKey(poolId));
    expect(code).toMatch(/^\d{6}$/);
    await idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: username, ConfirmationCode: code }));
    expect((await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }))).UserStatus).toBe('CONFIRMED');
  });

  it('AdminCreateUser: the temporary password, encrypted; a failing sender fails the call and creates nobody', async () => {
    const poolId = await createPool(idp, { LambdaConfig: { CustomEmailSender: { LambdaVersion: 'V1_0', LambdaArn: HOOK }, KMSKeyID: KMS } });
    const { clientId } = await createClient(idp, poolId);
    const username = unique('invitee');
    await idp.send(
      new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }], DesiredDeliveryMediums: ['EMAIL'] }),
    );
    expect(hook.calls[0]!.event.triggerSource).toBe('CustomEmailSender_AdminCreateUser');
    const temporary = await decrypt(hook.calls[0]!.event.request.code, await senderKey(poolId));
    const signIn = await idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: temporary } }));
    expect(signIn.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');

    answer = () => ({ status: 500, body: { errorMessage: 'SES is down' } });
    const failed = unique('failed');
    await expectError(
      idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: failed, UserAttributes: [{ Name: 'email', Value: `${failed}@example.com` }], DesiredDeliveryMediums: ['EMAIL'] })),
      { name: 'UserLambdaValidationException', message: 'CustomEmailSender failed with error SES is down.' },
    );
    await expectError(idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: failed })), { name: 'UserNotFoundException' });
  });

  it('GetCustomSenderKey needs a KMSKeyID; the key follows KMSKeyID and the pool', async () => {
    const plain = await createPool(idp);
    const response = await adminCall(server, 'GetCustomSenderKey', { UserPoolId: plain });
    expect(response.body).toMatchObject({ __type: 'InvalidParameterException', message: 'The user pool has no KMSKeyID in its LambdaConfig.' });
    const a = await createPool(idp, { LambdaConfig: { KMSKeyID: KMS } });
    const b = await createPool(idp, { LambdaConfig: { KMSKeyID: KMS } });
    expect(Buffer.from(await senderKey(a)).equals(Buffer.from(await senderKey(b)))).toBe(false);
    expect(Buffer.from(await senderKey(a)).equals(Buffer.from(await senderKey(a)))).toBe(true);
  });

  it.skipIf(!hasCryptography)('a Python sender decrypts the code with the configured key', async () => {
    const poolId = await createPool(idp, {
      AutoVerifiedAttributes: ['email'],
      LambdaConfig: { CustomEmailSender: { LambdaVersion: 'V1_0', LambdaArn: arnOf('py-sender') }, KMSKeyID: KMS },
    });
    const key = Buffer.from(await senderKey(poolId)).toString('base64url');
    const outbox = join(mkdtempSync(join(tmpdir(), 'fd-sender-')), 'outbox.jsonl');
    await putFunction(server, {
      FunctionArn: arnOf('py-sender'),
      Command: { Runtime: 'python', File: fixture('custom_email_sender.py'), Environment: { SENDER_KEY: key, OUTBOX: outbox } },
    });
    const { clientId } = await createClient(idp, poolId);
    const username = unique('py');
    await idp.send(new SignUpCommand({ ClientId: clientId, Username: username, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }] }));
    const sent = JSON.parse(readFileSync(outbox, 'utf8').trim());
    expect(sent).toMatchObject({ to: `${username}@example.com`, source: 'CustomEmailSender_SignUp', code: expect.stringMatching(/^\d{6}$/) });
    await idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: username, ConfirmationCode: sent.code }));
  });
});

describe('CustomSMSSender', () => {
  it('SignUp with a phone number: CustomSMSSender_SignUp, customSMSSenderRequestV1', async () => {
    const poolId = await createPool(idp, {
      AutoVerifiedAttributes: ['phone_number'],
      LambdaConfig: { CustomSMSSender: { LambdaVersion: 'V1_0', LambdaArn: HOOK }, KMSKeyID: KMS },
    });
    const { clientId } = await createClient(idp, poolId);
    const username = unique('sms');
    const result = await idp.send(
      new SignUpCommand({ ClientId: clientId, Username: username, Password: PASSWORD, UserAttributes: [{ Name: 'phone_number', Value: '+15555550123' }] }),
    );
    expect(result.CodeDeliveryDetails).toMatchObject({ DeliveryMedium: 'SMS', AttributeName: 'phone_number' });
    expect(hook.calls[0]!.event).toMatchObject({ triggerSource: 'CustomSMSSender_SignUp', request: { type: 'customSMSSenderRequestV1' } });
    const code = await decrypt(hook.calls[0]!.event.request.code, await senderKey(poolId));
    await idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: username, ConfirmationCode: code }));
  });
});
