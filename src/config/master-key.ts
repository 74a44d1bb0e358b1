import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, parseMasterKey, type Config } from './config.js';

/**
 * The master key: from configuration, or (embedded mode only) from `<dataDir>/master.key`,
 * generated with mode 0600 on first start. PostgreSQL deployments must configure it, because
 * every node needs the same key and it must never sit next to the data it protects.
 */
export function resolveMasterKey(config: Config): Buffer {
  if (config.masterKey) return config.masterKey;
  if (config.databaseUrl) throw new ConfigError('FRONTDESK_MASTER_KEY is required with PostgreSQL');
  const file = join(config.dataDir, 'master.key');
  if (existsSync(file)) return parseMasterKey(readFileSync(file, 'utf8'));
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  // 'wx' fails if another process created the file meanwhile, rather than overwriting its key.
  writeFileSync(file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}
