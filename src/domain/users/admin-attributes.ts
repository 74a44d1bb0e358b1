import type { AttributeType } from '@aws-sdk/client-cognito-identity-provider';
import { InvalidParameterException } from '../../generated/exceptions.js';
import type { UserPool } from '../user-pools/user-pool.js';
import { checkAttributeWrites, checkMutable, checkRequiredAttributes, schemaByName } from './attribute-rules.js';
import type { VerificationChannel } from './code-delivery.js';
import type { User } from './user.js';

// The administrator's attribute rules (AdminUpdateUserAttributes, AdminDeleteUserAttributes): any
// schema attribute, developer-only ones and the verified flags included; never `sub` or an
// immutable one; a changed email or phone number is unverified unless the same request marks it
// verified.

const SCHEMA_ERROR = 'Attributes did not conform to the schema: ';

export const VERIFIABLE: Record<string, VerificationChannel> = {
  email: { medium: 'EMAIL', attribute: 'email' },
  phone_number: { medium: 'SMS', attribute: 'phone_number' },
};

export interface AdminAttributeWrite {
  /** Attributes to set, by name. */
  written: Record<string, string>;
  /** Attributes sent with a blank value: deleted, as Cognito documents. */
  cleared: string[];
}

/** Validates an AdminUpdateUserAttributes list against the schema; blank values mean "delete". */
export function checkAdminAttributeWrites(pool: UserPool, attributes: AttributeType[]): AdminAttributeWrite {
  const blank = attributes.filter((a) => a.Name && (a.Value ?? '') === '').map((a) => a.Name!);
  const written = checkAttributeWrites(pool, attributes.filter((a) => (a.Value ?? '') !== ''), 'admin');
  checkAttributeNames(pool, blank);
  checkMutable(pool, [...Object.keys(written), ...blank]);
  return { written, cleared: blank.filter((name) => !(name in written)) };
}

/** Names an administrator may delete: they must exist in the schema, and `sub` never goes. */
export function checkAttributeNames(pool: UserPool, names: string[]): void {
  const schema = schemaByName(pool);
  for (const name of names) {
    if (name === 'sub') throw new InvalidParameterException(`${SCHEMA_ERROR}sub: Attribute cannot be updated.`);
    if (!schema.has(name)) throw new InvalidParameterException(`${SCHEMA_ERROR}${name}: Attribute does not exist in the schema.`);
  }
}

/** Removes attributes (an email or phone number takes its verified flag and any pending value along). */
export function withoutAttributes(pool: UserPool, user: User, names: string[]): User {
  const attributes = { ...user.attributes };
  const pendingAttributes = { ...user.pendingAttributes };
  for (const name of names) {
    delete attributes[name];
    delete pendingAttributes[name];
    if (VERIFIABLE[name]) delete attributes[`${name}_verified`];
  }
  checkRequiredAttributes(pool, attributes);
  return { ...user, attributes, pendingAttributes };
}

export interface AdminAttributeChange {
  next: User;
  /** Emails/phone numbers that changed without being marked verified, in an auto-verifying pool: they get a code. */
  toVerify: VerificationChannel[];
  /** Email/phone aliases this change makes verified (they may have to be taken from another user). */
  newlyVerified: ('email' | 'phone_number')[];
}

/**
 * What AdminUpdateUserAttributes does to a user:
 * - a changed email/phone number sent without `<name>_verified=true` becomes unverified (or, with
 *   AttributesRequireVerificationBeforeUpdate and a verified current value, waits as a pending
 *   value) and is sent a code when the pool auto-verifies it;
 * - sent with `<name>_verified=true`, it takes effect at once, verified, and no message goes out;
 * - `<name>_verified=true` alone confirms a pending value (as VerifyUserAttribute would).
 */
export function applyAdminAttributeWrite(pool: UserPool, user: User, change: AdminAttributeWrite): AdminAttributeChange {
  const { written } = change;
  const cleared = withoutAttributes(pool, user, change.cleared);
  const attributes = { ...cleared.attributes };
  const pending = { ...cleared.pendingAttributes };
  const hold = new Set<string>(pool.settings.UserAttributeUpdateSettings?.AttributesRequireVerificationBeforeUpdate ?? []);
  const auto = new Set<string>(pool.settings.AutoVerifiedAttributes ?? []);
  const toVerify: VerificationChannel[] = [];

  for (const [name, value] of Object.entries(written)) {
    if (name === 'email_verified' || name === 'phone_number_verified') continue;
    const channel = VERIFIABLE[name];
    if (!channel) {
      attributes[name] = value;
      continue;
    }
    const flag = `${name}_verified`;
    if (user.attributes[name] === value) {
      // Setting the current value again withdraws a change that was waiting for verification.
      delete pending[name];
      continue;
    }
    if (written[flag] === 'true') {
      attributes[name] = value;
      delete pending[name];
      continue;
    }
    if (hold.has(name) && user.attributes[flag] === 'true') {
      pending[name] = value;
    } else {
      attributes[name] = value;
      attributes[flag] = 'false';
      delete pending[name];
    }
    if (auto.has(name)) toVerify.push(channel);
  }

  const newlyVerified: AdminAttributeChange['newlyVerified'] = [];
  for (const name of ['email', 'phone_number'] as const) {
    const flag = `${name}_verified`;
    const value = written[flag];
    if (value === undefined) continue;
    const changed = name in written && written[name] !== user.attributes[name];
    // A changed value's flag was decided above unless the request marks it verified.
    if (value !== 'true' && changed) continue;
    if (value === 'true' && !(name in written) && pending[name] !== undefined) {
      attributes[name] = pending[name]!;
      delete pending[name];
    }
    attributes[flag] = value;
    const wasVerified = user.attributes[flag] === 'true' && user.attributes[name] === attributes[name];
    if (value === 'true' && attributes[name] && !wasVerified) newlyVerified.push(name);
  }

  checkRequiredAttributes(pool, attributes);
  return { next: { ...cleared, attributes, pendingAttributes: pending }, toVerify, newlyVerified };
}
