import type { PasswordPolicyType } from '@aws-sdk/client-cognito-identity-provider';
import { InvalidPasswordException } from '../../generated/exceptions.js';
import { DEFAULT_PASSWORD_POLICY } from '../user-pools/user-pool-settings.js';

/** The characters Cognito counts as symbols. */
const SYMBOLS = new Set('^$*.[]{}()?"!@#%&/\\,><\':;|_~`=+- ');

const PREFIX = 'Password did not conform with policy: ';

/** Checks a new password against the pool's policy with Cognito's exact messages, first failure wins. */
export function checkPasswordPolicy(policy: PasswordPolicyType | undefined, password: string): void {
  const p = { ...DEFAULT_PASSWORD_POLICY, ...policy };
  const chars = [...password];
  if (chars.length < (p.MinimumLength ?? 8)) throw new InvalidPasswordException(`${PREFIX}Password not long enough`);
  if (p.RequireLowercase && !chars.some((c) => c >= 'a' && c <= 'z')) {
    throw new InvalidPasswordException(`${PREFIX}Password must have lowercase characters`);
  }
  if (p.RequireUppercase && !chars.some((c) => c >= 'A' && c <= 'Z')) {
    throw new InvalidPasswordException(`${PREFIX}Password must have uppercase characters`);
  }
  if (p.RequireNumbers && !chars.some((c) => c >= '0' && c <= '9')) {
    throw new InvalidPasswordException(`${PREFIX}Password must have numeric characters`);
  }
  if (p.RequireSymbols && !chars.some((c) => SYMBOLS.has(c))) {
    throw new InvalidPasswordException(`${PREFIX}Password must have symbol characters`);
  }
}

/**
 * A temporary password that satisfies the policy (AdminCreateUser without TemporaryPassword):
 * one character of every class, then random characters, shuffled.
 */
export function generateTemporaryPassword(policy: PasswordPolicyType | undefined, randomIndex: (n: number) => number): string {
  const length = Math.max(12, policy?.MinimumLength ?? 8);
  const classes = ['abcdefghijkmnopqrstuvwxyz', 'ABCDEFGHJKLMNPQRSTUVWXYZ', '23456789', '^$*.[]{}()?!@#%&/,><:;|_~=+-'];
  const all = classes.join('');
  const chars = classes.map((set) => set[randomIndex(set.length)]!);
  while (chars.length < length) chars.push(all[randomIndex(all.length)]!);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomIndex(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}
