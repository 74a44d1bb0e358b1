import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminInitiateAuthCommand,
  AdminSetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { SignatureV4 } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';
import { Hash } from '@smithy/hash-node';
import { startTestServer, type TestServer } from './support/test-server.js';
import { PASSWORD, adminUser, createClient, createPool, expectError, unique } from './support/cognito.js';
import { messagesTo } from './support/outbox.js';
import { loadConfig } from '../src/config/config.js';

// SMS_MFA codes sent through Amazon SNS's Publish action (FRONTDESK_SMS_SNS_URL), against a local
// SNS stand-in that checks the SigV4 signature the way SNS does, by signing the request again.

const KEY = { accessKeyId: 'AKIDSNSTEST', secretAccessKey: 'sns-secret/with+chars' };
interface Received {
  params: URLSearchParams;
  signatureValid: boolean;
}
const received: Received[] = [];
let failNext = false;
let sns: Server;
let server: TestServer;
let idp: CognitoIdentityProviderClient;

async function verifySignature(request: IncomingMessage, body: string): Promise<boolean> {
  const authorization = String(request.headers.authorization ?? '');
  const signedHeaders = authorization.match(/SignedHeaders=([^,]+)/)?.[1]?.split(';') ?? [];
  const amzDate = String(request.headers['x-amz-date']);
  const signingDate = new Date(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) headers[name] = String(request.headers[name]);
  const signer = new SignatureV4({ service: 'sns', region: 'eu-west-1', credentials: KEY, sha256: Hash.bind(null, 'sha256') });
  const again = await signer.sign(
    new HttpRequest({ method: 'POST', protocol: 'http:', hostname: headers.host!, path: request.url ?? '/', headers, body }),
    { signingDate, signableHeaders: new Set(signedHeaders) },
  );
  return again.headers.authorization === authorization && authorization.includes('/eu-west-1/sns/aws4_request');
}

beforeAll(async () => {
  sns = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', async () => {
      received.push({ params: new URLSearchParams(body), signatureValid: await verifySignature(request, body) });
      if (failNext) {
        failNext = false;
        response.writeHead(400, { 'content-type': 'text/xml' });
        response.end('<ErrorResponse><Error><Type>Sender</Type><Code>InvalidParameter</Code><Message>Invalid parameter: PhoneNumber</Message></Error></ErrorResponse>');
        return;
      }
      response.writeHead(200, { 'content-type': 'text/xml' });
      response.end('<PublishResponse><PublishResult><MessageId>567910cd-659e-55d4-8ccb-5aaf14679dc0</MessageId></PublishResult></PublishResponse>');
    });
  });
  await new Promise<void>((resolve) => sns.listen(0, '127.0.0.1', resolve));
  const port = (sns.address() as AddressInfo).port;
  const url = `http://${KEY.accessKeyId}:${encodeURIComponent(KEY.secretAccessKey)}@127.0.0.1:${port}/?region=eu-west-1`;
  server = await startTestServer({ env: { FRONTDESK_SMS_SNS_URL: url } });
  idp = server.client();
});
afterAll(async () => {
  await server?.close();
  await new Promise((resolve) => sns?.close(resolve));
});

describe('SMS through Amazon SNS', () => {
  it('publishes the SMS_MFA code as a signed, transactional SNS message', async () => {
    const poolId = await createPool(idp);
    await idp.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: poolId,
        MfaConfiguration: 'OPTIONAL',
        SmsMfaConfiguration: { SmsConfiguration: { SnsCallerArn: 'arn:aws:iam::123456789012:role/sms', ExternalId: 'x' } },
      }),
    );
    const { clientId } = await createClient(idp, poolId);
    const username = unique('sns');
    const phone = `+1555${String(Date.now()).slice(-7)}`;
    await adminUser(idp, poolId, username, { phone_number: phone });
    await idp.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: username, SMSMfaSettings: { Enabled: true } }));
    const signIn = () =>
      idp.send(new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD } }));

    expect((await signIn()).ChallengeName).toBe('SMS_MFA');
    const [publish] = received.slice(-1);
    expect(publish!.signatureValid).toBe(true);
    expect(publish!.params.get('Action')).toBe('Publish');
    expect(publish!.params.get('PhoneNumber')).toBe(phone);
    expect(publish!.params.get('Message')).toMatch(/^Your authentication code is \d{6}\. $/);
    expect(publish!.params.get('MessageAttributes.entry.1.Value.StringValue')).toBe('Transactional');
    const [logged] = await messagesTo(server, phone);
    expect(logged).toMatchObject({ DeliveryMedium: 'SMS', DeliveryStatus: 'SENT' });

    failNext = true;
    await expectError(signIn(), { name: 'CodeDeliveryFailureException' });
    const [failed] = await messagesTo(server, phone);
    expect(failed).toMatchObject({ DeliveryStatus: 'FAILED', DeliveryError: 'SMS via SNS answered HTTP 400 InvalidParameter' });
    expect(JSON.stringify(failed)).not.toContain(KEY.secretAccessKey);
  });

  it('needs credentials in the URL', () => {
    expect(() => loadConfig({ FRONTDESK_SMS_SNS_URL: 'https://sns.us-east-1.amazonaws.com' })).toThrow(/access key id and secret/);
  });
});
