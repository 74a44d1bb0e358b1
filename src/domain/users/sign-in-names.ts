import { InvalidParameterException } from '../../generated/exceptions.js';
import type { UserPool } from '../user-pools/user-pool.js';
import type { LookupColumn, UserLookupKeys, UserStore } from '../../store/user-store.js';
import type { User } from './user.js';

// How a pool lets people name themselves: a username, or (UsernameAttributes) an email or phone
// number in place of one, or (AliasAttributes) a username plus verified aliases.

const looksLikeEmail = (value: string) => value.includes('@');
const looksLikePhone = (value: string) => /^\+[0-9]+$/.test(value);

const caseInsensitive = (pool: UserPool) => pool.settings.UsernameConfiguration?.CaseSensitive === false;

export function usernameKeyOf(pool: UserPool, username: string): string {
  return caseInsensitive(pool) ? username.toLowerCase() : username;
}

/**
 * For a new user: the internal username and the attributes after the given name is applied.
 * With UsernameAttributes the given name is the email or phone number and the internal username
 * is the `sub`, as in Cognito.
 */
export function resolveNewUserName(
  pool: UserPool,
  given: string,
  attributes: Record<string, string>,
  sub: string,
): { username: string; attributes: Record<string, string> } {
  const usernameAttributes = pool.settings.UsernameAttributes ?? [];
  if (usernameAttributes.length > 0) {
    const allowsEmail = usernameAttributes.includes('email');
    const allowsPhone = usernameAttributes.includes('phone_number');
    if (allowsEmail && looksLikeEmail(given)) return { username: sub, attributes: { ...attributes, email: given } };
    if (allowsPhone && looksLikePhone(given)) return { username: sub, attributes: { ...attributes, phone_number: given } };
    throw new InvalidParameterException(
      allowsEmail && allowsPhone
        ? 'Username should be either an email or a phone number.'
        : allowsEmail
          ? 'Username should be an email.'
          : 'Username should be a phone number.',
    );
  }
  const aliases = pool.settings.AliasAttributes ?? [];
  if (aliases.includes('email') && looksLikeEmail(given)) {
    throw new InvalidParameterException('Username cannot be of email format, since user pool is configured for email alias.');
  }
  if (aliases.includes('phone_number') && looksLikePhone(given)) {
    throw new InvalidParameterException('Username cannot be of phone number format, since user pool is configured for phone number alias.');
  }
  return { username: given, attributes };
}

/**
 * The values a user can be found by. Emails are matched case-insensitively whatever the pool's
 * username setting (two accounts differing only in email case would be a trap); an alias counts
 * only once verified, except preferred_username, which Cognito never verifies.
 */
export function lookupKeysOf(pool: UserPool, user: Pick<User, 'username' | 'attributes'>): UserLookupKeys {
  const usernameAttributes = pool.settings.UsernameAttributes ?? [];
  const aliases = pool.settings.AliasAttributes ?? [];
  const { email, phone_number: phone, preferred_username: preferred } = user.attributes;
  const emailUsable = usernameAttributes.includes('email') || (aliases.includes('email') && user.attributes.email_verified === 'true');
  const phoneUsable =
    usernameAttributes.includes('phone_number') || (aliases.includes('phone_number') && user.attributes.phone_number_verified === 'true');
  return {
    usernameKey: usernameKeyOf(pool, user.username),
    emailKey: email && emailUsable ? email.toLowerCase() : null,
    phoneKey: phone && phoneUsable ? phone : null,
    preferredUsernameKey: preferred && aliases.includes('preferred_username') ? usernameKeyOf(pool, preferred) : null,
  };
}

/** Finds the user a sign-in name refers to: the username itself, or an email/phone/alias the pool accepts. */
export async function findUserBySignInName(users: UserStore, pool: UserPool, name: string): Promise<User | undefined> {
  const byUsername = await users.findBy(pool.id, 'username_key', usernameKeyOf(pool, name));
  if (byUsername) return byUsername;
  const accepted = new Set<string>([...(pool.settings.UsernameAttributes ?? []), ...(pool.settings.AliasAttributes ?? [])]);
  const tries: [LookupColumn, string][] = [];
  if (accepted.has('email') && looksLikeEmail(name)) tries.push(['email_key', name.toLowerCase()]);
  if (accepted.has('phone_number') && looksLikePhone(name)) tries.push(['phone_key', name]);
  if (accepted.has('preferred_username')) tries.push(['preferred_username_key', usernameKeyOf(pool, name)]);
  for (const [column, key] of tries) {
    const user = await users.findBy(pool.id, column, key);
    if (user) return user;
  }
  return undefined;
}
