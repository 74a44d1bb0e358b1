import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/test-server.js';
import { rawCall } from './support/signed-fetch.js';
import { Messenger, type MessagingLog } from '../src/domain/messaging/messenger.js';

const TARGET = 'FrontdeskAdmin.ListMessages';
const silent: MessagingLog = { debug: () => undefined, warn: () => undefined, error: () => undefined };

describe('FrontdeskAdmin.ListMessages', () => {
  let server: TestServer;
  let sent: Array<{ id: string; at: number }>;
  const call = (input: unknown, options: Parameters<typeof rawCall>[3] = {}) =>
    rawCall(server.url, TARGET, JSON.stringify(input), { credentials: server.admin, ...options });

  beforeAll(async () => {
    server = await startTestServer();
    // Messages reach the outbox exactly as the sign-up and sign-in code will send them.
    const messenger = new Messenger({
      outbox: server.store.messages,
      clock: server.clock,
      settings: { emailFrom: 'no-reply@frontdesk.test', outbox: 'on' },
      log: silent,
    });
    sent = [];
    const send = async (result: Promise<{ messageId: string }>) => {
      const at = server.clock.now().getTime();
      sent.push({ id: (await result).messageId, at });
      server.clock.advance(1500);
    };
    await send(messenger.sendEmail({ userPoolId: 'us-east-1_aaaaaaaaa', to: 'Jane@Example.com', subject: 'Your verification code', body: 'Your verification code is 111111.' }));
    await send(messenger.sendSms({ userPoolId: 'us-east-1_aaaaaaaaa', to: '+15555550100', body: 'Your verification code is 222222. ' }));
    await send(messenger.sendEmail({ to: 'jane@example.com', subject: 'Your temporary password', body: 'Your username is jane and temporary password is Tmp#1.' }));
    await send(messenger.sendEmail({ to: 'bob@example.com', subject: 'Hi', body: 'Bob 333333' }));
  });
  afterAll(async () => {
    await server?.close();
  });

  it('lists every message newest first, with dates as epoch seconds', async () => {
    const response = await call({});
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    const messages = response.body.Messages;
    expect(messages.map((m: any) => m.MessageId)).toEqual(sent.map((s) => s.id).reverse());
    expect(messages[0]).toEqual({
      MessageId: sent[3]!.id,
      Destination: 'bob@example.com',
      DeliveryMedium: 'EMAIL',
      Subject: 'Hi',
      Body: 'Bob 333333',
      DeliveryStatus: 'OUTBOX_ONLY',
      CreationDate: expect.any(Number),
    });
    // The test clock is real time plus an offset, so allow for the time the send itself took.
    expect(Math.abs(messages[0].CreationDate - sent[3]!.at / 1000)).toBeLessThan(0.5);
    expect(messages[0].CreationDate - messages[1].CreationDate).toBeGreaterThan(1);
    expect(messages[2]).toEqual({
      MessageId: sent[1]!.id,
      UserPoolId: 'us-east-1_aaaaaaaaa',
      Destination: '+15555550100',
      DeliveryMedium: 'SMS',
      Body: 'Your verification code is 222222. ',
      DeliveryStatus: 'OUTBOX_ONLY',
      CreationDate: expect.any(Number),
    });
  });

  it('filters by destination: exact, case-insensitive for email', async () => {
    const jane = await call({ Destination: 'JANE@example.COM' });
    expect(jane.body.Messages.map((m: any) => m.Subject)).toEqual(['Your temporary password', 'Your verification code']);
    expect(jane.body.Messages.map((m: any) => m.Destination)).toEqual(['jane@example.com', 'Jane@Example.com']);
    const phone = await call({ Destination: '+15555550100' });
    expect(phone.body.Messages).toHaveLength(1);
    expect((await call({ Destination: '+1555555010' })).body).toEqual({ Messages: [] });
    expect((await call({ Destination: 'jane@example' })).body).toEqual({ Messages: [] });
  });

  it('honours MaxResults', async () => {
    const response = await call({ MaxResults: 2 });
    expect(response.body.Messages.map((m: any) => m.MessageId)).toEqual([sent[3]!.id, sent[2]!.id]);
    expect((await call({ Destination: 'jane@example.com', MaxResults: 1 })).body.Messages[0].Subject).toBe('Your temporary password');
    expect((await call({ MaxResults: 1000 })).body.Messages).toHaveLength(4);
  });

  it('refuses unsigned and wrongly signed calls', async () => {
    const unsigned = await rawCall(server.url, TARGET, '{}');
    expect(unsigned.status).toBe(400);
    expect(unsigned.body.__type).toBe('MissingAuthenticationTokenException');
    const forged = await call({}, { credentials: { accessKeyId: server.admin.accessKeyId, secretAccessKey: 'not-the-secret-key-at-all' } });
    expect(forged.status).toBeGreaterThanOrEqual(400);
    expect(forged.body.__type).toBe('InvalidSignatureException');
    expect(forged.text).not.toContain('Bob 333333');
  });

  it.each([
    ['MaxResults 0', { MaxResults: 0 }],
    ['MaxResults 1001', { MaxResults: 1001 }],
    ['MaxResults not a number', { MaxResults: 'ten' }],
    ['empty Destination', { Destination: '' }],
    ['Destination not a string', { Destination: 42 }],
    ['Destination over 2048 characters', { Destination: 'x'.repeat(2049) }],
  ])('rejects invalid input: %s', async (_label, input) => {
    const response = await call(input);
    expect(response.status).toBe(400);
    expect(response.body.__type).toMatch(/InvalidParameterException|ValidationException|SerializationException/);
  });
});
