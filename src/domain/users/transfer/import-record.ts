import type { AttributeType, UserStatusType } from '@aws-sdk/client-cognito-identity-provider';
import { randomUUID } from 'node:crypto';
import { InvalidImportedHashError } from '../../../crypto/imported-password-hash.js';
import type { UserPool } from '../../user-pools/user-pool.js';
import { checkAttributeWrites, checkRequiredAttributes } from '../attribute-rules.js';
import type { User } from '../user.js';
import { credentialFromTransfer } from './imported-credentials.js';
import { ImportRecordError } from './import-record-error.js';
import { mfaFromTransfer } from './mfa-transfer.js';
import type { SecretBox } from '../../../crypto/secret-box.js';

// One user record of the transfer format (transfer-format.ts) checked against the target pool and
// turned into the user the import writes. Every problem is an ImportRecordError naming the
// member, reported for that user alone.

export { ImportRecordError };

export interface ParsedRecord {
  user: User;
  groups: string[];
}

const MEMBERS = new Set([
  'Username', 'Sub', 'UserStatus', 'Enabled', 'UserCreateDate', 'UserLastModifiedDate',
  'Attributes', 'PendingAttributes', 'Groups', 'Password', 'Mfa',
]);
const IMPORTABLE_STATUSES = new Set<UserStatusType>(['CONFIRMED', 'UNCONFIRMED', 'FORCE_CHANGE_PASSWORD', 'RESET_REQUIRED']);
const NAME = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$/u;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Cognito allows a user in at most 100 groups. */
const MAX_GROUPS_PER_USER = 100;

const invalid = (message: string): never => {
  throw new ImportRecordError('InvalidParameterException', message);
};

export function parseImportRecord(pool: UserPool, record: unknown, now: Date, secrets: SecretBox): ParsedRecord {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return invalid('A user record must be a JSON object.');
  const r = record as Record<string, unknown>;
  for (const member of Object.keys(r)) if (!MEMBERS.has(member)) invalid(`Unknown member ${member}.`);

  const sub = r.Sub === undefined ? randomUUID() : r.Sub;
  if (typeof sub !== 'string' || !UUID.test(sub)) invalid('Sub must be a UUID.');
  const usernameAttributes = pool.settings.UsernameAttributes ?? [];
  // Pools that sign in with email or phone number use the sub as the internal username (as Cognito does).
  const username = r.Username === undefined && usernameAttributes.length > 0 ? (sub as string).toLowerCase() : r.Username;
  if (typeof username !== 'string' || !NAME.test(username)) invalid('Username must be 1 to 128 letters, digits, marks, symbols or punctuation.');
  if (usernameAttributes.length > 0 && (username as string).toLowerCase() !== (sub as string).toLowerCase()) {
    invalid(`In a pool that signs in with ${usernameAttributes.join(' or ')}, Username is the Sub: leave it out and give the ${usernameAttributes.join(' / ')} attribute.`);
  }
  checkUsernameShape(pool, username as string);

  const password = r.Password === undefined ? undefined : credentialOf(pool, r.Password);
  const status = (r.UserStatus ?? (password ? 'CONFIRMED' : 'RESET_REQUIRED')) as UserStatusType;
  if (!IMPORTABLE_STATUSES.has(status)) invalid(`UserStatus must be one of ${[...IMPORTABLE_STATUSES].join(', ')}.`);
  if ((status === 'FORCE_CHANGE_PASSWORD' || status === 'UNCONFIRMED') && !password) invalid(`A user in status ${status} needs a Password.`);
  const enabled = r.Enabled ?? true;
  if (typeof enabled !== 'boolean') invalid('Enabled must be true or false.');

  const attributes = attributesOf(pool, r.Attributes);
  checkRequiredAttributes(pool, attributes);
  const pendingAttributes = pendingOf(pool, r.PendingAttributes);
  const groups = groupsOf(r.Groups);

  const createdAt = dateOf(r.UserCreateDate, 'UserCreateDate') ?? now;
  const updatedAt = dateOf(r.UserLastModifiedDate, 'UserLastModifiedDate') ?? createdAt;
  const setDate = (r.Password as { SetDate?: unknown } | undefined)?.SetDate;
  const passwordSetAt = password ? (dateOf(setDate, 'Password.SetDate') ?? updatedAt) : undefined;
  const mfa = mfaFromTransfer(r.Mfa, secrets, now);

  const user: User = {
    id: (sub as string).toLowerCase(),
    userPoolId: pool.id,
    username: username as string,
    status,
    enabled: enabled as boolean,
    attributes,
    ...(pendingAttributes ? { pendingAttributes } : {}),
    ...(password ? { password, passwordSetAt } : {}),
    ...(mfa !== undefined ? { mfa } : {}),
    version: 1,
    createdAt,
    updatedAt,
  };
  return { user, groups };
}

function credentialOf(pool: UserPool, password: unknown) {
  try {
    if (typeof password === 'object' && password !== null) {
      for (const member of Object.keys(password)) {
        if (!['Type', 'PoolName', 'Salt', 'Verifier', 'Hash', 'SetDate'].includes(member)) invalid(`Unknown member Password.${member}.`);
      }
    }
    return credentialFromTransfer(pool, password);
  } catch (error) {
    if (error instanceof InvalidImportedHashError) throw new ImportRecordError('InvalidPasswordHash', error.message);
    throw error;
  }
}

/** Like resolveNewUserName: with email / phone aliases, a username may not look like one. */
function checkUsernameShape(pool: UserPool, username: string): void {
  if ((pool.settings.UsernameAttributes ?? []).length > 0) return;
  const aliases = pool.settings.AliasAttributes ?? [];
  if (aliases.includes('email') && username.includes('@')) {
    invalid('Username cannot be of email format, since user pool is configured for email alias.');
  }
  if (aliases.includes('phone_number') && /^\+[0-9]+$/.test(username)) {
    invalid('Username cannot be of phone number format, since user pool is configured for phone number alias.');
  }
}

function stringMap(value: unknown, member: string): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return invalid(`${member} must be an object of names to string values.`);
  for (const [name, v] of Object.entries(value)) if (typeof v !== 'string') invalid(`${member}.${name} must be a string.`);
  return value as Record<string, string>;
}

function attributesOf(pool: UserPool, value: unknown): Record<string, string> {
  const given = value === undefined ? {} : stringMap(value, 'Attributes');
  if (Object.hasOwn(given, 'sub')) invalid('Attributes must not hold sub: it is the Sub member.');
  const list: AttributeType[] = Object.entries(given).map(([Name, Value]) => ({ Name, Value }));
  return checkAttributeWrites(pool, list, 'admin'); // schema, types and constraints, Cognito's messages
}

function pendingOf(pool: UserPool, value: unknown): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  const given = stringMap(value, 'PendingAttributes');
  for (const name of Object.keys(given)) if (name !== 'email' && name !== 'phone_number') invalid('PendingAttributes may hold only email and phone_number.');
  const checked = checkAttributeWrites(pool, Object.entries(given).map(([Name, Value]) => ({ Name, Value })), 'admin');
  return Object.keys(checked).length > 0 ? checked : undefined;
}

function groupsOf(value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return invalid('Groups must be a list of group names.');
  if (value.length > MAX_GROUPS_PER_USER) invalid(`A user can be in at most ${MAX_GROUPS_PER_USER} groups.`);
  for (const name of value) if (typeof name !== 'string' || !NAME.test(name)) invalid(`Invalid group name in Groups: ${JSON.stringify(name)}.`);
  return [...new Set(value as string[])];
}

/** ISO 8601 text (as exported) or epoch seconds (as the AWS API writes dates). */
function dateOf(value: unknown, member: string): Date | undefined {
  if (value === undefined) return undefined;
  const date = typeof value === 'number' ? new Date(value * 1000) : typeof value === 'string' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) return invalid(`${member} must be an ISO 8601 date or epoch seconds.`);
  return date;
}

