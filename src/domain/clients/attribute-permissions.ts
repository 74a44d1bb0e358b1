import { InvalidParameterException } from '../../generated/exceptions.js';
import type { UserPool } from '../user-pools/user-pool.js';

/**
 * Attributes no app client may be given write access to: `sub` is the user's identity, and the
 * verified flags record what Cognito itself proved — letting a user set them would make
 * verification meaningless.
 */
const NEVER_WRITABLE = new Set(['sub', 'email_verified', 'phone_number_verified']);

export type ClientAction = 'creating' | 'updating';

/**
 * ReadAttributes / WriteAttributes may only name attributes of the pool's schema (standard ones
 * and its `custom:` / `dev:custom:` ones, by their full names). Returns the lists to store without
 * repeats; an empty list is stored as "not set", which Cognito reads as "every attribute".
 */
export function checkAttributePermissions(
  pool: UserPool,
  read: string[] | undefined,
  write: string[] | undefined,
  action: ClientAction,
): { ReadAttributes?: string[]; WriteAttributes?: string[] } {
  const known = new Set(pool.settings.SchemaAttributes.map((attribute) => attribute.Name));
  const readList = dedupe(read);
  const writeList = dedupe(write);
  if (readList?.some((name) => !known.has(name))) {
    throw new InvalidParameterException(`Invalid read attributes specified while ${action} a client`);
  }
  if (writeList?.some((name) => !known.has(name) || NEVER_WRITABLE.has(name))) {
    throw new InvalidParameterException(`Invalid write attributes specified while ${action} a client`);
  }
  return {
    ...(readList ? { ReadAttributes: readList } : {}),
    ...(writeList ? { WriteAttributes: writeList } : {}),
  };
}

function dedupe(values: string[] | undefined): string[] | undefined {
  return values?.length ? [...new Set(values)] : undefined;
}
