import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../src/store/store.js';
import { SecretBox } from '../src/crypto/secret-box.js';
import {
  Messenger,
  REDACTED_BODY,
  emailSenderOf,
  requireDelivered,
  type MessagingLog,
  type MessagingSettings,
} from '../src/domain/messaging/messenger.js';
import { renderInvitation, renderVerificationMessage } from '../src/domain/messaging/templates.js';
import { CodeDeliveryFailureException } from '../src/generated/exceptions.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import { TestClock } from './support/test-server.js';
import { closedPort, startSmtpTestServer, type SmtpTestServer } from './support/smtp-test-server.js';

/** A logger that keeps every line, to prove what is (and is not) logged. */
function capturingLog(): MessagingLog & { lines: Array<{ level: string; obj: object; msg: string }>; text(): string } {
  const lines: Array<{ level: string; obj: object; msg: string }> = [];
  const at = (level: string) => (obj: object, msg: string) => lines.push({ level, obj, msg });
  return {
    lines,
    debug: at('debug'),
    warn: at('warn'),
    error: at('error'),
    text: () => JSON.stringify(lines, (_k, v) => (v instanceof Error ? { message: v.message, stack: v.stack } : v)),
  };
}

interface WebhookServer {
  url: string;
  requests: Array<{ headers: IncomingMessage['headers']; body: any }>;
  status: number;
  close(): Promise<void>;
}

async function startWebhook(): Promise<WebhookServer> {
  const state: WebhookServer = { url: '', requests: [], status: 204, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      state.requests.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      res.statusCode = state.status;
      res.end(state.status >= 300 ? 'nope' : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`;
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}

describe('Messenger', () => {
  let database: TestDatabase;
  let store: Store;
  const clock = new TestClock();
  const messengers: Messenger[] = [];

  const messenger = (settings: Partial<MessagingSettings>, log: MessagingLog = capturingLog()) => {
    const m = new Messenger({
      outbox: store.messages,
      clock,
      settings: { emailFrom: 'Frontdesk Test <no-reply@frontdesk.test>', outbox: 'on', ...settings },
      log,
    });
    messengers.push(m);
    return m;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    store = await openStore({
      databaseUrl: database.databaseUrl,
      sqliteFile: database.sqliteFile,
      secrets: new SecretBox(randomBytes(32)),
    });
  });
  afterEach(() => {
    for (const m of messengers.splice(0)) m.close();
  });
  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  describe('without transports (development)', () => {
    it('stores email and SMS in the outbox as OUTBOX_ONLY', async () => {
      const m = messenger({});
      const email = await m.sendEmail({ userPoolId: 'us-east-1_dev', to: 'dev-only@example.com', subject: 'Hi', body: 'code 111111' });
      expect(email).toMatchObject({ medium: 'EMAIL', status: 'OUTBOX_ONLY', delivered: true, maskedDestination: 'd***@e***' });
      const sms = await m.sendSms({ userPoolId: 'us-east-1_dev', to: '+15555550111', body: 'code 222222' });
      expect(sms).toMatchObject({ medium: 'SMS', status: 'OUTBOX_ONLY', delivered: true, maskedDestination: '+*******0111' });

      const [storedEmail] = await m.list({ destination: 'dev-only@example.com', limit: 10 });
      expect(storedEmail).toMatchObject({
        id: email.messageId,
        userPoolId: 'us-east-1_dev',
        deliveryMedium: 'EMAIL',
        subject: 'Hi',
        body: 'code 111111',
        deliveryStatus: 'OUTBOX_ONLY',
      });
      expect(storedEmail!.deliveryError).toBeUndefined();
      const [storedSms] = await m.list({ destination: '+15555550111', limit: 10 });
      expect(storedSms).toMatchObject({ id: sms.messageId, deliveryMedium: 'SMS', body: 'code 222222' });
      expect(storedSms!.subject).toBeUndefined();
    });

    it('delivers rendered templates to their medium', async () => {
      const m = messenger({});
      const pool = { settings: {} };
      await m.deliver({ userPoolId: 'us-east-1_dev', to: 'render@example.com' }, renderVerificationMessage(pool, 'EMAIL', '314159'));
      await m.deliver({ to: '+15555550999' }, renderInvitation(pool, 'SMS', 'jane', 'Tmp#1234'));
      expect((await m.list({ destination: 'render@example.com', limit: 1 }))[0]).toMatchObject({
        subject: 'Your verification code',
        body: 'Your verification code is 314159.',
      });
      expect((await m.list({ destination: '+15555550999', limit: 1 }))[0]!.body).toBe(
        'Your username is jane and temporary password is Tmp#1234. ',
      );
    });

    it('with the outbox off, fails and keeps only a redacted record', async () => {
      const log = capturingLog();
      const m = messenger({ outbox: 'off' }, log);
      const result = await m.sendEmail({ to: 'nowhere@example.com', subject: 'Code', body: 'secret-code-424242' });
      expect(result).toMatchObject({ status: 'FAILED', delivered: false });
      expect(result.error).toMatch(/no SMTP relay .* outbox is off/);
      const [stored] = await m.list({ destination: 'nowhere@example.com', limit: 1 });
      expect(stored).toMatchObject({ deliveryStatus: 'FAILED', body: REDACTED_BODY, subject: 'Code' });
      expect(() => requireDelivered(result)).toThrow(CodeDeliveryFailureException);
      expect(log.text()).not.toContain('secret-code-424242');
    });
  });

  describe('over SMTP', () => {
    let smtp: SmtpTestServer;
    beforeAll(async () => {
      smtp = await startSmtpTestServer({ credentials: { user: 'relay-user', pass: 'relay-p@ss:word/1' } });
    });
    afterAll(async () => {
      await smtp?.close();
    });

    it('delivers with the right From, To, Subject and bodies, authenticated', async () => {
      const log = capturingLog();
      const m = messenger({ smtpUrl: smtp.url }, log);
      const rendered = renderVerificationMessage(
        { settings: { VerificationMessageTemplate: { EmailSubject: 'Verify', EmailMessage: 'Hello<br>code: <b>{####}</b>' } } },
        'EMAIL',
        '271828',
      );
      const result = await m.deliver({ userPoolId: 'us-east-1_smtp', to: 'Jane.Doe@Example.com' }, rendered);
      expect(result).toMatchObject({ status: 'SENT', delivered: true });

      const mail = await smtp.nextMail();
      expect(mail.user).toBe('relay-user');
      // nodemailer normalises the domain part (IDN), never the local part.
      expect(mail.rcptTo).toEqual(['Jane.Doe@example.com']);
      expect(mail.mailFrom).toBe('no-reply@frontdesk.test');
      expect(mail.parsed.from?.text).toBe('"Frontdesk Test" <no-reply@frontdesk.test>');
      expect(mail.parsed.subject).toBe('Verify');
      expect(mail.parsed.text?.trim()).toBe('Hello\ncode: 271828');
      expect(mail.parsed.html).toContain('Hello<br>code: <b>271828</b>');

      const [stored] = await m.list({ destination: 'jane.doe@example.com', limit: 1 });
      expect(stored).toMatchObject({ id: result.messageId, deliveryStatus: 'SENT', body: 'Hello\ncode: 271828' });
      expect(log.text()).not.toContain('271828');
      expect(log.text()).not.toContain('relay-p@ss');
    });

    it("uses a per-message From and Reply-To, e.g. the pool's EmailConfiguration", async () => {
      const m = messenger({ smtpUrl: smtp.url });
      const sender = emailSenderOf({
        settings: { EmailConfiguration: { From: 'Pool Owner <owner@example.org>', ReplyToEmailAddress: 'help@example.org' } },
      });
      expect(emailSenderOf({ settings: {} })).toEqual({});
      await m.sendEmail({ to: 'x@example.com', ...sender, subject: 'S', body: 'B' });
      const mail = await smtp.nextMail();
      expect(mail.parsed.from?.text).toBe('"Pool Owner" <owner@example.org>');
      expect(mail.parsed.replyTo?.text).toBe('help@example.org');
      expect(mail.parsed.text?.trim()).toBe('B');
      expect(mail.parsed.html).toBe(false);
    });

    it('with the outbox off, still sends but stores the body redacted', async () => {
      const m = messenger({ smtpUrl: smtp.url, outbox: 'off' });
      const result = await m.sendEmail({ to: 'redacted@example.com', subject: 'Your code', body: 'code 161803' });
      expect(result.status).toBe('SENT');
      expect((await smtp.nextMail()).parsed.text?.trim()).toBe('code 161803');
      const [stored] = await m.list({ destination: 'redacted@example.com', limit: 1 });
      expect(stored).toMatchObject({ deliveryStatus: 'SENT', subject: 'Your code', body: REDACTED_BODY });
    });

    it('records FAILED, without secrets, when the relay refuses the credentials', async () => {
      const log = capturingLog();
      const wrong = smtp.url.replace(encodeURIComponent('relay-p@ss:word/1'), 'wrong-password-123');
      const m = messenger({ smtpUrl: wrong }, log);
      const result = await m.sendEmail({ to: 'auth-fail@example.com', subject: 'S', body: 'code 999999' });
      expect(result).toMatchObject({ status: 'FAILED', delivered: false });
      expect(result.error).toMatch(/^SMTP EAUTH: /);
      expect(result.error).not.toContain('wrong-password-123');
      const [stored] = await m.list({ destination: 'auth-fail@example.com', limit: 1 });
      expect(stored).toMatchObject({ deliveryStatus: 'FAILED', deliveryError: result.error, body: 'code 999999' });
      expect(log.lines.find((l) => l.level === 'warn')?.msg).toBe('message delivery failed');
      expect(log.text()).not.toContain('wrong-password-123');
      expect(log.text()).not.toContain(Buffer.from('wrong-password-123').toString('base64'));
      expect(log.text()).not.toContain('999999');
      expect(log.text()).not.toContain('auth-fail@example.com');
    });

    it('refuses header injection before anything is sent', async () => {
      const m = messenger({ smtpUrl: smtp.url });
      const before = smtp.received.length;
      const result = await m.sendEmail({ to: 'a@example.com\r\nBcc: victim@example.com', subject: 'S', body: 'B' });
      expect(result).toMatchObject({ status: 'FAILED', error: 'line break in an email header field' });
      expect(smtp.received.length).toBe(before);
    });
  });

  it('records FAILED and keeps going when the SMTP relay is down', async () => {
    const log = capturingLog();
    const port = await closedPort();
    const m = messenger({ smtpUrl: `smtp://user:down-secret-77@127.0.0.1:${port}` }, log);
    const started = Date.now();
    const result = await m.sendEmail({ userPoolId: 'us-east-1_down', to: 'down@example.com', subject: 'S', body: 'code 123123' });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result).toMatchObject({ status: 'FAILED', delivered: false });
    expect(result.error).toMatch(/^SMTP (ESOCKET|ECONNECTION): .*ECONNREFUSED/);
    expect(() => requireDelivered(result)).toThrow(CodeDeliveryFailureException);
    try {
      requireDelivered(result);
    } catch (error) {
      expect((error as CodeDeliveryFailureException).statusCode).toBe(400);
      expect((error as Error).name).toBe('CodeDeliveryFailureException');
    }
    const [stored] = await m.list({ destination: 'down@example.com', limit: 1 });
    expect(stored).toMatchObject({ deliveryStatus: 'FAILED', deliveryError: result.error, userPoolId: 'us-east-1_down' });
    expect(log.text()).not.toContain('down-secret-77');
    // A second message after the failure goes through the same path without trouble.
    expect((await m.sendEmail({ to: 'down@example.com', subject: 'S', body: 'again' })).status).toBe('FAILED');
  });

  describe('SMS webhook', () => {
    let webhook: WebhookServer;
    beforeAll(async () => {
      webhook = await startWebhook();
    });
    afterAll(async () => {
      await webhook?.close();
    });

    it('POSTs JSON {to, body} with the credentials as Basic auth', async () => {
      webhook.status = 204;
      const url = webhook.url.replace('http://', 'http://sms-user:sms-s3cret@');
      const m = messenger({ smsWebhookUrl: url });
      const result = await m.sendSms({ userPoolId: 'us-east-1_sms', to: '+15555550123', body: 'Your code is 4242' });
      expect(result).toMatchObject({ status: 'SENT', delivered: true, maskedDestination: '+*******0123' });
      const request = webhook.requests.at(-1)!;
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.headers.authorization).toBe(`Basic ${Buffer.from('sms-user:sms-s3cret').toString('base64')}`);
      expect(request.body).toEqual({ to: '+15555550123', body: 'Your code is 4242', messageId: result.messageId, userPoolId: 'us-east-1_sms' });
      expect((await m.list({ destination: '+15555550123', limit: 1 }))[0]).toMatchObject({ deliveryStatus: 'SENT', body: 'Your code is 4242' });
    });

    it('records FAILED when the webhook answers an error status', async () => {
      webhook.status = 503;
      const m = messenger({ smsWebhookUrl: webhook.url });
      const result = await m.sendSms({ to: '+15555550124', body: 'x' });
      expect(result).toMatchObject({ status: 'FAILED', error: 'SMS webhook answered HTTP 503' });
      webhook.status = 204;
    });

    it('records FAILED, without the URL secrets, when the webhook is unreachable', async () => {
      const log = capturingLog();
      const port = await closedPort();
      const m = messenger({ smsWebhookUrl: `http://u:hook-secret-55@127.0.0.1:${port}/sms?token=tok-secret-66` }, log);
      const result = await m.sendSms({ to: '+15555550125', body: 'x' });
      expect(result.status).toBe('FAILED');
      expect(result.error).toMatch(/^SMS webhook ECONNREFUSED/);
      for (const secret of ['hook-secret-55', 'tok-secret-66']) {
        expect(result.error).not.toContain(secret);
        expect(log.text()).not.toContain(secret);
      }
    });

    it('gives up on a webhook that does not answer', async () => {
      const hang = createServer(() => undefined);
      await new Promise<void>((resolve) => hang.listen(0, '127.0.0.1', () => resolve()));
      const { WebhookSmsTransport } = await import('../src/domain/messaging/transports.js');
      const m = new Messenger({
        outbox: store.messages,
        clock,
        settings: { emailFrom: 'a@b.example', outbox: 'on' },
        smsTransport: new WebhookSmsTransport(`http://127.0.0.1:${(hang.address() as AddressInfo).port}/`, 200),
        log: capturingLog(),
      });
      const result = await m.sendSms({ to: '+15555550126', body: 'x' });
      expect(result).toMatchObject({ status: 'FAILED', error: 'SMS webhook: no answer within 200 ms' });
      hang.closeAllConnections();
      await new Promise<void>((resolve) => hang.close(() => resolve()));
    });
  });

  describe('outbox store', () => {
    it('lists newest first, filters by destination (email case-insensitively) and limits', async () => {
      const m = messenger({});
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        ids.push((await m.sendEmail({ to: 'Order@Example.com', subject: `n${i}`, body: `b${i}` })).messageId);
        clock.advance(1000);
      }
      // Two in the same millisecond still come back in sending order, newest first.
      ids.push((await m.sendEmail({ to: 'order@example.com', subject: 'n3', body: 'b3' })).messageId);
      ids.push((await m.sendEmail({ to: 'ORDER@EXAMPLE.COM', subject: 'n4', body: 'b4' })).messageId);
      await m.sendSms({ to: '+15555550200', body: 'other' });

      const listed = await m.list({ destination: 'order@EXAMPLE.com', limit: 10 });
      expect(listed.map((x) => x.id)).toEqual([...ids].reverse());
      expect(listed.map((x) => x.subject)).toEqual(['n4', 'n3', 'n2', 'n1', 'n0']);
      expect((await m.list({ destination: 'order@example.com', limit: 2 })).map((x) => x.subject)).toEqual(['n4', 'n3']);
      expect(await m.list({ destination: '+1555555020', limit: 10 })).toEqual([]);
      expect((await m.list({ limit: 1 }))[0]!.destination).toBe('+15555550200');
    });

    it('deletes messages older than a cutoff', async () => {
      const m = messenger({});
      await m.sendSms({ to: '+15555550300', body: 'old' });
      clock.advance(60_000);
      const cutoff = clock.now();
      clock.advance(1);
      await m.sendSms({ to: '+15555550300', body: 'new' });
      expect(await store.messages.deleteCreatedBefore(cutoff)).toBeGreaterThanOrEqual(1);
      expect((await m.list({ destination: '+15555550300', limit: 10 })).map((x) => x.body)).toEqual(['new']);
    });
  });
});
