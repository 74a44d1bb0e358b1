import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, publicUrlOf } from '../src/config/config.js';

const KEY = 'ab'.repeat(32);

function configFile(contents: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'frontdesk-config-')), 'frontdesk.json');
  writeFileSync(file, typeof contents === 'string' ? contents : JSON.stringify(contents));
  return file;
}

describe('configuration', () => {
  it('has the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 9330, host: '127.0.0.1', dataDir: './.frontdesk', region: 'us-east-1', logLevel: 'info' });
    expect(config.databaseUrl).toBeUndefined();
    expect(Object.isFrozen(config)).toBe(true);
    expect(publicUrlOf(config, 9330)).toBe('http://127.0.0.1:9330');
  });

  it('reads FRONTDESK_* variables and accepts PORT', () => {
    expect(loadConfig({ PORT: '8080' }).port).toBe(8080);
    expect(loadConfig({ PORT: '8080', FRONTDESK_PORT: '9000' }).port).toBe(9000);
    const config = loadConfig({
      FRONTDESK_HOST: '0.0.0.0',
      FRONTDESK_REGION: 'eu-west-1',
      FRONTDESK_PUBLIC_URL: 'https://id.example.com/',
      FRONTDESK_DATABASE_URL: 'postgres://u:p@db/frontdesk',
      FRONTDESK_MASTER_KEY: KEY,
      FRONTDESK_ADMIN_ACCESS_KEY_ID: 'AKIAEXAMPLEKEY000001',
      FRONTDESK_ADMIN_SECRET_ACCESS_KEY: 'a-long-enough-secret',
    });
    expect(config.host).toBe('0.0.0.0');
    expect(config.region).toBe('eu-west-1');
    expect(config.publicUrl).toBe('https://id.example.com');
    expect(publicUrlOf(config, 1)).toBe('https://id.example.com');
    expect(config.masterKey).toEqual(Buffer.from(KEY, 'hex'));
    expect(loadConfig({ FRONTDESK_MASTER_KEY: Buffer.alloc(32, 7).toString('base64') }).masterKey).toEqual(Buffer.alloc(32, 7));
  });

  it('layers defaults, then the file, then the environment', () => {
    const file = configFile({ port: 7000, region: 'ap-south-1', host: '0.0.0.0' });
    const config = loadConfig({ FRONTDESK_CONFIG_FILE: file, FRONTDESK_PORT: '7001' });
    expect(config.port).toBe(7001);
    expect(config.region).toBe('ap-south-1');
    expect(config.host).toBe('0.0.0.0');
  });

  it.each([
    [{ FRONTDESK_PORTT: '1' }, /FRONTDESK_PORTT: unknown setting/],
    [{ FRONTDESK_PORT: 'eighty' }, /FRONTDESK_PORT: must be a port number/],
    [{ FRONTDESK_PORT: '70000' }, /FRONTDESK_PORT: must be a port number/],
    [{ FRONTDESK_DATABASE_URL: 'mysql://x', FRONTDESK_MASTER_KEY: KEY }, /FRONTDESK_DATABASE_URL: must be a postgres:\/\/ URL/],
    [{ FRONTDESK_DATABASE_URL: 'postgres://x/db' }, /FRONTDESK_MASTER_KEY is required with PostgreSQL/],
    [{ FRONTDESK_MASTER_KEY: 'short' }, /FRONTDESK_MASTER_KEY: must be 32 bytes/],
    [{ FRONTDESK_REGION: 'mars' }, /FRONTDESK_REGION: must look like an AWS region/],
    [{ FRONTDESK_PUBLIC_URL: 'ftp://x' }, /FRONTDESK_PUBLIC_URL: must be an http\(s\) URL/],
    [{ FRONTDESK_ADMIN_ACCESS_KEY_ID: 'AKIAEXAMPLEKEY000001' }, /must be set together/],
    [{ FRONTDESK_LOG_LEVEL: 'loud' }, /FRONTDESK_LOG_LEVEL: must be one of/],
  ])('stops the boot on %j', (env, message) => {
    expect(() => loadConfig(env as NodeJS.ProcessEnv)).toThrow(ConfigError);
    expect(() => loadConfig(env as NodeJS.ProcessEnv)).toThrow(message);
  });

  it('reports every problem at once, and rejects unknown or malformed file settings', () => {
    expect(() => loadConfig({ FRONTDESK_PORT: 'x', FRONTDESK_REGION: 'y' })).toThrow(/FRONTDESK_PORT[\s\S]*FRONTDESK_REGION/);
    expect(() => loadConfig({ FRONTDESK_CONFIG_FILE: configFile({ prot: 1 }) })).toThrow(/unknown setting "prot"/);
    expect(() => loadConfig({ FRONTDESK_CONFIG_FILE: configFile({ port: true }) })).toThrow(/port: must be a string/);
    expect(() => loadConfig({ FRONTDESK_CONFIG_FILE: configFile('{not json') })).toThrow(/cannot read config file/);
    expect(() => loadConfig({ FRONTDESK_CONFIG_FILE: configFile([1]) })).toThrow(/must hold a JSON object/);
    expect(() => loadConfig({ FRONTDESK_CONFIG_FILE: '/nonexistent/frontdesk.json' })).toThrow(/cannot read config file/);
  });
});
