import type { AttributeType } from '@aws-sdk/client-cognito-identity-provider';
import type { UserPool } from '../user-pools/user-pool.js';
import { checkAttributeWrites, missingRequiredAttributes } from '../users/attribute-rules.js';
import { resolveNewUserName } from '../users/sign-in-names.js';
import { csvHeaderOf, MFA_ENABLED_COLUMN, USERNAME_COLUMN } from './csv-header.js';
import { csvValues } from './csv-lines.js';

// One line of an import file → the user to create, or why the line is not imported. The rules are
// Cognito's ("Formatting the CSV file" in its developer guide): every header column present,
// cognito:username required (no spaces or tabs), cognito:mfa_enabled true/false as the pool's MFA
// setting allows, at least one auto-verified attribute verified, email/phone present when marked
// verified, the pool's required attributes present, values that fit the schema.

/** Cognito's limits on an import file. */
export const MAX_CSV_BYTES = 100 * 1024 * 1024;
export const MAX_CSV_USERS = 500_000;
export const MAX_LINE_LENGTH = 16_000;
const MAX_USERNAME_LENGTH = 128;

/** The line of Cognito's import log for a user that did not set an auto-verified attribute. */
export const NO_AUTO_VERIFIED_MESSAGE =
  'The User Record does not set any of the auto verified attributes to true. (Example: email_verified to true).';
export const USER_EXISTS_MESSAGE = 'The user already exists.';

export type RowOutcome =
  | { kind: 'user'; username: string; sub: string; attributes: Record<string, string> }
  | { kind: 'blank' }
  | { kind: 'failed'; message: string };

/** Why a header cannot be used (the job fails), or the column order to read rows with. */
export function checkHeader(pool: UserPool, line: string): { columns: string[] } | { error: string } {
  const columns = csvValues(line.replace(/^\uFEFF/, ''));
  if (!columns || columns.length === 0) return { error: 'The CSV header cannot be read.' };
  const expected = new Set(csvHeaderOf(pool));
  const seen = new Set<string>();
  for (const column of columns) {
    if (!expected.has(column)) return { error: `The CSV header has a column that is not in the user pool: ${column}` };
    if (seen.has(column)) return { error: `The CSV header names the column ${column} twice.` };
    seen.add(column);
  }
  const missing = [...expected].filter((c) => !seen.has(c));
  if (missing.length > 0) return { error: `The CSV header lacks columns of the user pool: ${missing.join(', ').slice(0, 60)}` };
  return { columns };
}

/** Validates import lines against one pool (built once per job). */
export class RowValidator {
  private readonly autoVerified: string[];
  private readonly mfa: string;

  constructor(
    private readonly pool: UserPool,
    private readonly columns: string[],
    private readonly newSub: () => string,
  ) {
    this.autoVerified = pool.settings.AutoVerifiedAttributes ?? [];
    this.mfa = pool.settings.MfaConfiguration ?? 'OFF';
  }

  read(line: string): RowOutcome {
    if (line.trim() === '') return { kind: 'blank' };
    if (line.length > MAX_LINE_LENGTH) return failed(`The line is longer than ${MAX_LINE_LENGTH} characters.`);
    const values = csvValues(line);
    if (!values) return failed('The line has a quoted value that is not closed.');
    if (values.length !== this.columns.length) {
      return failed(`The line has ${values.length} values but the header has ${this.columns.length} columns.`);
    }
    const given: Record<string, string> = {};
    this.columns.forEach((column, i) => {
      if (values[i] !== '') given[column] = values[i]!;
    });

    const username = given[USERNAME_COLUMN];
    if (!username) return failed(`${USERNAME_COLUMN} is required.`);
    if (/\s/u.test(username)) return failed(`${USERNAME_COLUMN} cannot contain spaces or tabs.`);
    if ([...username].length > MAX_USERNAME_LENGTH) return failed(`${USERNAME_COLUMN} is longer than ${MAX_USERNAME_LENGTH} characters.`);

    const mfaEnabled = given[MFA_ENABLED_COLUMN]?.toLowerCase();
    if (mfaEnabled !== 'true' && mfaEnabled !== 'false') return failed(`${MFA_ENABLED_COLUMN} must be true or false.`);
    if (this.mfa === 'OFF' && mfaEnabled === 'true') return failed(`${MFA_ENABLED_COLUMN} must be false: MFA is off in this user pool.`);
    if (this.mfa === 'ON' && mfaEnabled === 'false') return failed(`${MFA_ENABLED_COLUMN} must be true: MFA is required in this user pool.`);

    const written: AttributeType[] = [];
    for (const [name, value] of Object.entries(given)) {
      if (name === USERNAME_COLUMN || name === MFA_ENABLED_COLUMN) continue;
      const normalised = name === 'email_verified' || name === 'phone_number_verified' ? value.toLowerCase() : value;
      written.push({ Name: name, Value: normalised });
    }
    let attributes: Record<string, string>;
    try {
      attributes = checkAttributeWrites(this.pool, written, 'admin');
    } catch (error) {
      return failed((error as Error).message);
    }
    const sub = this.newSub();
    let resolved: { username: string; attributes: Record<string, string> };
    try {
      resolved = resolveNewUserName(this.pool, username, attributes, sub);
    } catch (error) {
      return failed((error as Error).message);
    }
    const final = resolved.attributes;
    if (final.email_verified === 'true' && !final.email) return failed('email_verified is true but email is empty.');
    if (final.phone_number_verified === 'true' && !final.phone_number) return failed('phone_number_verified is true but phone_number is empty.');
    if (!this.autoVerified.some((attribute) => final[`${attribute}_verified`] === 'true')) return failed(NO_AUTO_VERIFIED_MESSAGE);
    const missing = missingRequiredAttributes(this.pool, resolved.attributes);
    if (missing.length > 0) {
      return failed(`Attributes did not conform to the schema: ${missing.map((name) => `${name}: The attribute is required`).join(', ')}`);
    }
    return { kind: 'user', username: resolved.username, attributes: resolved.attributes, sub };
  }
}

const failed = (message: string): RowOutcome => ({ kind: 'failed', message });
