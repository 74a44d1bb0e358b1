import type { UserPool } from '../user-pools/user-pool.js';

/** The two columns every import file has besides the pool's attributes. */
export const USERNAME_COLUMN = 'cognito:username';
export const MFA_ENABLED_COLUMN = 'cognito:mfa_enabled';

/** Attributes that no import sets: `sub` is generated, `identities` belongs to federation. */
const NOT_IMPORTED = new Set(['sub', 'identities']);

/**
 * GetCSVHeader's columns, in Cognito's order: the pool's schema attributes as DescribeUserPool
 * lists them (standard ones, then custom ones), then cognito:mfa_enabled and cognito:username.
 */
export function csvHeaderOf(pool: UserPool): string[] {
  const attributes = pool.settings.SchemaAttributes.map((a) => a.Name!).filter((name) => !NOT_IMPORTED.has(name));
  return [...attributes, MFA_ENABLED_COLUMN, USERNAME_COLUMN];
}
