import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { parseTriggerFunctions, type ConfiguredTriggerFunction } from './trigger-functions.js';

/**
 * The one typed configuration. Sources, later wins: defaults ← JSON file (FRONTDESK_CONFIG_FILE)
 * ← FRONTDESK_* environment variables. Validated and frozen at boot; unknown or malformed
 * settings stop the boot with a message naming the setting. Only this module reads process.env.
 */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  adminAccessKeyId?: string;
  adminSecretAccessKey?: string;
  publicUrl?: string;
  region: string;
  accountId: string;
  masterKey?: Buffer;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** smtp:// or smtps:// URL of the relay that sends email; unset means email lands only in the outbox. */
  smtpUrl?: string;
  /** The From address of every email a pool does not override; see emailFromOf. */
  emailFrom?: string;
  /** `on`: every message is stored in full in the outbox. `off`: only its delivery record, body redacted. */
  outbox: 'on' | 'off';
  /** URL that receives each SMS as a JSON POST; unset means SMS lands only in the outbox. */
  smsWebhookUrl?: string;
  /**
   * Amazon SNS (or an SNS-compatible endpoint) that sends SMS with the Publish action:
   * `https://<access key id>:<secret>@sns.<region>.amazonaws.com`. Used when no webhook is set.
   */
  smsSnsUrl?: string;
  /**
   * Proxies (IP addresses or CIDR ranges) whose X-Forwarded-For is believed for the client's IP
   * address (risk decisions, auth events). Unset: the connection's own address, always.
   */
  trustedProxies?: string[];
  /** The Lambda trigger function registry's fixed part (see docs/triggers.md). */
  triggerFunctions?: ConfiguredTriggerFunction[];
  /** How long a trigger function may take before UnexpectedLambdaException (Cognito: 5 s). */
  triggerTimeoutMs: number;
  /** `on`: FrontdeskAdmin.PutFunction may register module and command functions (code run on the server). */
  triggerCodeFromApi: 'on' | 'off';
  /**
   * Hosted-UI prefix domains are served at `<prefix>.<hostedUiBaseDomain>`. The default,
   * auth.localhost, resolves to the loopback address in browsers and curl without DNS setup.
   */
  hostedUiBaseDomain: string;
  /**
   * PEM certificate (chain) and private key files: when both are set the server speaks HTTPS itself
   * (Amplify's redirect sign-in insists on https:// even in development). Usually a reverse proxy
   * terminates TLS instead.
   */
  tlsCertFile?: string;
  tlsKeyFile?: string;
}

export class ConfigError extends Error {}

interface Setting {
  key: keyof Config;
  env: string;
  describe: string;
  parse: (raw: string) => unknown;
  /** A file value that is JSON (a list or an object) rather than text. */
  json?: boolean;
}

const text = (raw: string) => raw;

function port(raw: string): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value > 65535) throw new ConfigError('must be a port number (0-65535)');
  return value;
}

function databaseUrl(raw: string): string {
  if (!/^postgres(ql)?:\/\//.test(raw)) throw new ConfigError('must be a postgres:// URL (leave unset for SQLite)');
  return raw;
}

function requireHttpUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('must be an absolute http(s) URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError('must be an http(s) URL');
  return url;
}

function httpUrl(raw: string): string {
  requireHttpUrl(raw);
  return raw.replace(/\/+$/, '');
}

function region(raw: string): string {
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(raw)) throw new ConfigError('must look like an AWS region, e.g. us-east-1');
  return raw;
}

function accountId(raw: string): string {
  if (!/^\d{12}$/.test(raw)) throw new ConfigError('must be 12 digits');
  return raw;
}

/** 32 bytes, given as 64 hex characters or as base64. */
export function parseMasterKey(raw: string): Buffer {
  const trimmed = raw.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) throw new ConfigError('must be 32 bytes, as 64 hex characters or base64');
  return key;
}

function accessKeyId(raw: string): string {
  if (!/^[A-Z0-9]{16,128}$/.test(raw)) throw new ConfigError('must be 16-128 upper-case letters and digits');
  return raw;
}

function secretAccessKey(raw: string): string {
  if (raw.length < 16) throw new ConfigError('must be at least 16 characters');
  return raw;
}

// Messaging. Error messages never repeat the raw value: these URLs may carry credentials.
const SMTP_URL_OPTIONS = new Set(['requireTLS', 'ignoreTLS', 'rejectUnauthorized']);
function smtpUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('must be an smtp:// or smtps:// URL, e.g. smtp://user:password@mail.example.com:587');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new ConfigError('must be an smtp:// or smtps:// URL');
  if (!url.hostname) throw new ConfigError('must name a host');
  for (const [name, value] of url.searchParams) {
    if (!SMTP_URL_OPTIONS.has(name)) throw new ConfigError(`unknown option "${name}" (known: ${[...SMTP_URL_OPTIONS].join(', ')})`);
    if (value !== 'true' && value !== 'false') throw new ConfigError(`option "${name}" must be true or false`);
  }
  return raw;
}

function emailAddress(raw: string): string {
  // `addr@domain` or `Display Name <addr@domain>`; no line breaks, so no header injection.
  if (/[\r\n]/.test(raw) || !/^(?:[^<>]*<[^<>@\s]+@[^<>@\s]+>|[^<>@\s]+@[^<>@\s]+)$/.test(raw.trim())) {
    throw new ConfigError('must be an email address, optionally as "Name <address>"');
  }
  return raw.trim();
}

function onOff(raw: string): string {
  if (raw !== 'on' && raw !== 'off') throw new ConfigError('must be on or off');
  return raw;
}

function webhookUrl(raw: string): string {
  requireHttpUrl(raw);
  return raw;
}

function snsUrl(raw: string): string {
  requireHttpUrl(raw);
  const url = new URL(raw);
  if (!url.username || !url.password) throw new ConfigError('must carry the access key id and secret as user-info (https://KEY:SECRET@host)');
  return raw;
}

function proxyList(raw: string): string[] {
  const entries = raw.split(',').map((entry) => entry.trim()).filter(Boolean);
  for (const entry of entries) {
    const [address, prefix, extra] = entry.split('/');
    const family = address ? isIP(address) : 0;
    const validPrefix = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
    if (!family || extra !== undefined || !validPrefix) throw new ConfigError(`not an IP address or CIDR range: ${entry}`);
  }
  return entries;
}

function milliseconds(raw: string): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1 || value > 900_000) throw new ConfigError('must be a number of milliseconds from 1 to 900000');
  return value;
}

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
function dnsName(raw: string): string {
  const name = raw.trim().toLowerCase().replace(/\.$/, '');
  if (!/^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(name) || name.length > 200) {
    throw new ConfigError('must be a DNS name, e.g. auth.example.com');
  }
  return name;
}

function logLevel(raw: string): string {
  if (!logLevels.includes(raw)) throw new ConfigError(`must be one of ${logLevels.join(', ')}`);
  return raw;
}

export const settings: Setting[] = [
  { key: 'port', env: 'FRONTDESK_PORT', describe: 'HTTP port (PORT is accepted too)', parse: port },
  { key: 'host', env: 'FRONTDESK_HOST', describe: 'interface to listen on', parse: text },
  { key: 'dataDir', env: 'FRONTDESK_DATA_DIR', describe: 'SQLite file and generated key material', parse: text },
  { key: 'databaseUrl', env: 'FRONTDESK_DATABASE_URL', describe: 'postgres:// URL; unset means SQLite', parse: databaseUrl },
  { key: 'adminAccessKeyId', env: 'FRONTDESK_ADMIN_ACCESS_KEY_ID', describe: 'admin access key id (SigV4)', parse: accessKeyId },
  { key: 'adminSecretAccessKey', env: 'FRONTDESK_ADMIN_SECRET_ACCESS_KEY', describe: 'admin secret key (SigV4)', parse: secretAccessKey },
  { key: 'publicUrl', env: 'FRONTDESK_PUBLIC_URL', describe: 'base URL of the token issuer', parse: httpUrl },
  { key: 'region', env: 'FRONTDESK_REGION', describe: 'region used in ids and ARNs', parse: region },
  { key: 'accountId', env: 'FRONTDESK_ACCOUNT_ID', describe: 'account id used in ARNs', parse: accountId },
  { key: 'masterKey', env: 'FRONTDESK_MASTER_KEY', describe: '32-byte key that encrypts secrets at rest', parse: parseMasterKey },
  { key: 'logLevel', env: 'FRONTDESK_LOG_LEVEL', describe: 'pino log level', parse: logLevel },
  { key: 'smtpUrl', env: 'FRONTDESK_SMTP_URL', describe: 'smtp(s):// relay for email; unset: outbox only', parse: smtpUrl },
  { key: 'emailFrom', env: 'FRONTDESK_EMAIL_FROM', describe: 'From address of emails', parse: emailAddress },
  { key: 'outbox', env: 'FRONTDESK_OUTBOX', describe: 'on: store every message; off: store delivery records only', parse: onOff },
  { key: 'hostedUiBaseDomain', env: 'FRONTDESK_HOSTED_UI_BASE_DOMAIN', describe: 'prefix domains are <prefix>.<this>', parse: dnsName },
  { key: 'tlsCertFile', env: 'FRONTDESK_TLS_CERT_FILE', describe: 'PEM certificate file: serve HTTPS', parse: text },
  { key: 'tlsKeyFile', env: 'FRONTDESK_TLS_KEY_FILE', describe: 'PEM private key file of the certificate', parse: text },
  { key: 'smsWebhookUrl', env: 'FRONTDESK_SMS_WEBHOOK_URL', describe: 'http(s) URL that receives SMS as JSON', parse: webhookUrl },
  { key: 'smsSnsUrl', env: 'FRONTDESK_SMS_SNS_URL', describe: 'https://KEY:SECRET@sns.<region>.amazonaws.com that sends SMS (SNS Publish)', parse: snsUrl },
  { key: 'trustedProxies', env: 'FRONTDESK_TRUSTED_PROXIES', describe: 'comma-separated proxy IPs/CIDRs whose X-Forwarded-For is believed', parse: proxyList },
  { key: 'triggerFunctions', env: 'FRONTDESK_TRIGGER_FUNCTIONS', describe: 'Lambda trigger functions (JSON list)', parse: parseTriggerFunctions, json: true },
  { key: 'triggerTimeoutMs', env: 'FRONTDESK_TRIGGER_TIMEOUT_MS', describe: 'trigger function deadline in ms', parse: milliseconds },
  { key: 'triggerCodeFromApi', env: 'FRONTDESK_TRIGGER_CODE_FROM_API', describe: 'on: the API may register module/command functions', parse: onOff },
];

export const defaults = {
  port: 9330,
  host: '127.0.0.1',
  dataDir: './.frontdesk',
  region: 'us-east-1',
  accountId: '000000000000',
  logLevel: 'info',
  outbox: 'on',
  triggerTimeoutMs: 5000,
  triggerCodeFromApi: 'off',
  hostedUiBaseDomain: 'auth.localhost',
} as const;

/** Environment variables with this prefix that are not settings, and so are not errors. */
const META_VARIABLES = new Set(['FRONTDESK_CONFIG_FILE']);

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const values: Record<string, unknown> = { ...defaults };
  const problems: string[] = [];
  const assign = (setting: Setting, raw: unknown, source: string) => {
    const asText = typeof raw === 'number' ? String(raw) : setting.json && typeof raw === 'object' && raw !== null ? JSON.stringify(raw) : raw;
    if (typeof asText !== 'string') {
      problems.push(`${source}: must be a string`);
      return;
    }
    try {
      values[setting.key] = setting.parse(asText);
    } catch (error) {
      problems.push(`${source}: ${(error as Error).message}`);
    }
  };

  const file = env.FRONTDESK_CONFIG_FILE;
  if (file) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new ConfigError(`cannot read config file ${file}: ${(error as Error).message}`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new ConfigError(`config file ${file} must hold a JSON object`);
    }
    for (const [key, raw] of Object.entries(parsed)) {
      const setting = settings.find((s) => s.key === key);
      if (!setting) problems.push(`${file}: unknown setting "${key}"`);
      else assign(setting, raw, `${file}: ${key}`);
    }
  }

  if (env.PORT !== undefined && env.FRONTDESK_PORT === undefined) assign(settings[0]!, env.PORT, 'PORT');
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith('FRONTDESK_') || META_VARIABLES.has(name) || raw === undefined) continue;
    const setting = settings.find((s) => s.env === name);
    if (!setting) problems.push(`${name}: unknown setting`);
    else if (raw !== '') assign(setting, raw, name);
  }

  if ((values.adminAccessKeyId === undefined) !== (values.adminSecretAccessKey === undefined)) {
    problems.push('FRONTDESK_ADMIN_ACCESS_KEY_ID and FRONTDESK_ADMIN_SECRET_ACCESS_KEY must be set together');
  }
  if ((values.tlsCertFile === undefined) !== (values.tlsKeyFile === undefined)) {
    problems.push('FRONTDESK_TLS_CERT_FILE and FRONTDESK_TLS_KEY_FILE must be set together');
  }
  if (values.databaseUrl !== undefined && values.masterKey === undefined) {
    problems.push('FRONTDESK_MASTER_KEY is required with PostgreSQL (every node must share it; it must not live in the database)');
  }
  if (problems.length > 0) throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
  return Object.freeze(values as unknown as Config);
}

/** The issuer base: the configured public URL, or the address the server listens on. */
export function publicUrlOf(config: Config, listeningPort: number): string {
  return config.publicUrl ?? `${config.tlsCertFile ? 'https' : 'http'}://${config.host}:${listeningPort}`;
}

/**
 * The From address of emails: the configured one, else no-reply@ the public URL's host name, else
 * no-reply@localhost. Not Cognito's no-reply@verificationemail.com: mail from a domain we do not
 * control fails SPF/DMARC at every receiver.
 */
export function emailFromOf(config: Pick<Config, 'emailFrom' | 'publicUrl'>): string {
  if (config.emailFrom) return config.emailFrom;
  const host = config.publicUrl ? new URL(config.publicUrl).hostname : '';
  const isDnsName = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(host) && !/^[\d.]+$/.test(host);
  return `no-reply@${isDnsName ? host : 'localhost'}`;
}
