import { describe, expect, it } from 'vitest';
import { ConfigError, emailFromOf, loadConfig } from '../src/config/config.js';
import { messagingSettingsFrom } from '../src/domain/messaging/messenger.js';
import { smtpOptionsFromUrl } from '../src/domain/messaging/transports.js';

describe('messaging configuration', () => {
  it('defaults: outbox on, no SMTP, no SMS webhook, a From on the public host', () => {
    const config = loadConfig({});
    expect(config.outbox).toBe('on');
    expect(config.smtpUrl).toBeUndefined();
    expect(config.smsWebhookUrl).toBeUndefined();
    expect(emailFromOf(config)).toBe('no-reply@localhost');
    expect(emailFromOf(loadConfig({ FRONTDESK_PUBLIC_URL: 'https://id.example.com' }))).toBe('no-reply@id.example.com');
    expect(emailFromOf(loadConfig({ FRONTDESK_PUBLIC_URL: 'http://127.0.0.1:9330' }))).toBe('no-reply@localhost');
    expect(messagingSettingsFrom({})).toEqual({ emailFrom: 'no-reply@localhost', outbox: 'on' });
  });

  it('reads every messaging setting', () => {
    const config = loadConfig({
      FRONTDESK_SMTP_URL: 'smtps://mailer:s3cr%40t@smtp.example.com:2465?rejectUnauthorized=false',
      FRONTDESK_EMAIL_FROM: 'Example Sign-in <auth@example.com>',
      FRONTDESK_OUTBOX: 'off',
      FRONTDESK_SMS_WEBHOOK_URL: 'https://sms:token@sms.example.com/send',
    });
    expect(config).toMatchObject({
      smtpUrl: 'smtps://mailer:s3cr%40t@smtp.example.com:2465?rejectUnauthorized=false',
      emailFrom: 'Example Sign-in <auth@example.com>',
      outbox: 'off',
      smsWebhookUrl: 'https://sms:token@sms.example.com/send',
    });
    expect(emailFromOf(config)).toBe('Example Sign-in <auth@example.com>');
    expect(smtpOptionsFromUrl(config.smtpUrl!)).toMatchObject({
      host: 'smtp.example.com',
      port: 2465,
      secure: true,
      auth: { user: 'mailer', pass: 's3cr@t' },
      tls: { rejectUnauthorized: false },
    });
  });

  it('picks the submission ports by scheme', () => {
    expect(smtpOptionsFromUrl('smtp://relay.internal')).toMatchObject({ host: 'relay.internal', port: 587, secure: false });
    expect(smtpOptionsFromUrl('smtps://relay.internal')).toMatchObject({ port: 465, secure: true });
    expect(smtpOptionsFromUrl('smtp://relay.internal:25?requireTLS=true')).toMatchObject({ port: 25, requireTLS: true });
    expect(smtpOptionsFromUrl('smtp://relay.internal').auth).toBeUndefined();
  });

  it.each([
    [{ FRONTDESK_SMTP_URL: 'http://mail.example.com' }, /FRONTDESK_SMTP_URL: must be an smtp:\/\/ or smtps:\/\/ URL/],
    [{ FRONTDESK_SMTP_URL: 'not a url' }, /FRONTDESK_SMTP_URL: must be an smtp/],
    [{ FRONTDESK_SMTP_URL: 'smtp://mail.example.com?pool=true' }, /unknown option "pool"/],
    [{ FRONTDESK_SMTP_URL: 'smtp://mail.example.com?requireTLS=yes' }, /option "requireTLS" must be true or false/],
    [{ FRONTDESK_EMAIL_FROM: 'nobody' }, /FRONTDESK_EMAIL_FROM: must be an email address/],
    [{ FRONTDESK_EMAIL_FROM: 'a@b.c\r\nBcc: victim@example.com' }, /FRONTDESK_EMAIL_FROM: must be an email address/],
    [{ FRONTDESK_OUTBOX: 'yes' }, /FRONTDESK_OUTBOX: must be on or off/],
    [{ FRONTDESK_SMS_WEBHOOK_URL: 'ftp://sms.example.com' }, /FRONTDESK_SMS_WEBHOOK_URL: must be an http\(s\) URL/],
  ])('stops the boot on %j', (env, message) => {
    expect(() => loadConfig(env as NodeJS.ProcessEnv)).toThrow(ConfigError);
    expect(() => loadConfig(env as NodeJS.ProcessEnv)).toThrow(message);
  });

  it('never repeats a credential-bearing URL in its error', () => {
    for (const env of [
      { FRONTDESK_SMTP_URL: 'http://user:hunter2secret@mail.example.com' },
      { FRONTDESK_SMTP_URL: 'smtp://user:hunter2secret@mail.example.com?bogus=1' },
      { FRONTDESK_SMS_WEBHOOK_URL: 'ftp://user:hunter2secret@sms.example.com' },
    ]) {
      try {
        loadConfig(env);
        throw new Error('expected a ConfigError');
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        expect((error as Error).message).not.toContain('hunter2secret');
      }
    }
  });

  it('takes the settings from the config file too', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const file = join(mkdtempSync(join(tmpdir(), 'frontdesk-config-')), 'frontdesk.json');
    writeFileSync(file, JSON.stringify({ outbox: 'off', emailFrom: 'auth@example.com', smtpUrl: 'smtp://relay:2525' }));
    expect(loadConfig({ FRONTDESK_CONFIG_FILE: file })).toMatchObject({ outbox: 'off', emailFrom: 'auth@example.com', smtpUrl: 'smtp://relay:2525' });
  });
});
