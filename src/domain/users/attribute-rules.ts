import type { AttributeType, SchemaAttributeType } from '@aws-sdk/client-cognito-identity-provider';
import { InvalidParameterException, NotAuthorizedException } from '../../generated/exceptions.js';
import type { UserPool } from '../user-pools/user-pool.js';
import type { UserPoolClient } from '../clients/user-pool-client.js';

const SCHEMA_ERROR = 'Attributes did not conform to the schema: ';

/** RFC 5322 is far looser; this is the shape Cognito accepts in practice (local@domain.tld-ish). */
const EMAIL = /^[^\s@]+@[^\s@]+$/u;
/** E.164, as Cognito requires: a plus sign and up to 15 digits. */
const PHONE = /^\+[0-9]{4,15}$/;

export type AttributeWriter = 'self' | 'admin';

/**
 * Checks attributes a caller wants to set: each must exist in the pool's schema, fit its type and
 * constraints, and (for users acting through an app client) be writable by that client and not
 * developer-only. Returns them as a name → value map.
 */
export function checkAttributeWrites(
  pool: UserPool,
  attributes: AttributeType[] | undefined,
  writer: AttributeWriter,
  client?: UserPoolClient,
): Record<string, string> {
  const schema = schemaByName(pool);
  const out: Record<string, string> = {};
  const writable = client?.settings.WriteAttributes;
  for (const { Name: name, Value: value = '' } of attributes ?? []) {
    if (!name) continue;
    if (name === 'sub') throw new InvalidParameterException(`${SCHEMA_ERROR}sub: Attribute cannot be updated.`);
    const definition = schema.get(name);
    if (!definition) throw new InvalidParameterException(`${SCHEMA_ERROR}${name}: Attribute does not exist in the schema.`);
    if (writer === 'self') {
      if (definition.DeveloperOnlyAttribute || (writable && !writable.includes(name))) {
        throw new NotAuthorizedException('A client attempted to write unauthorized attribute');
      }
    }
    checkValue(definition, value);
    out[name] = value;
  }
  return out;
}

/** The names of the schema's required attributes that `attributes` lacks (`sub` is never lacking). */
export function missingRequiredAttributes(pool: UserPool, attributes: Record<string, string>): string[] {
  return pool.settings.SchemaAttributes.filter((a) => a.Required && a.Name !== 'sub' && !attributes[a.Name!]).map((a) => a.Name!);
}

/** Required attributes that a new user lacks, checked after usernames and aliases are applied. */
export function checkRequiredAttributes(pool: UserPool, attributes: Record<string, string>): void {
  const missing = missingRequiredAttributes(pool, attributes);
  if (missing.length > 0) {
    throw new InvalidParameterException(`${SCHEMA_ERROR}${missing.map((name) => `${name}: The attribute is required`).join(', ')}`);
  }
}

/** Immutable attributes may be set at creation only. */
export function checkMutable(pool: UserPool, names: string[]): void {
  const schema = schemaByName(pool);
  for (const name of names) {
    if (schema.get(name)?.Mutable === false) {
      throw new InvalidParameterException(`${SCHEMA_ERROR}${name}: Attribute cannot be updated. (changing an immutable attribute)`);
    }
  }
}

export function schemaByName(pool: UserPool): Map<string, SchemaAttributeType> {
  return new Map(pool.settings.SchemaAttributes.map((a) => [a.Name!, a]));
}

function checkValue(definition: SchemaAttributeType, value: string): void {
  const name = definition.Name!;
  if (name === 'email' && value !== '' && !EMAIL.test(value)) throw new InvalidParameterException('Invalid email address format.');
  if (name === 'phone_number' && value !== '' && !PHONE.test(value)) throw new InvalidParameterException('Invalid phone number format.');
  switch (definition.AttributeDataType) {
    case 'Boolean':
      if (value !== 'true' && value !== 'false') {
        throw new InvalidParameterException(`${SCHEMA_ERROR}${name}: Value must be either true or false.`);
      }
      return;
    case 'Number': {
      const number = Number(value);
      if (value.trim() === '' || !Number.isFinite(number)) {
        throw new InvalidParameterException(`${SCHEMA_ERROR}${name}: Number must be a valid number.`);
      }
      const { MinValue, MaxValue } = definition.NumberAttributeConstraints ?? {};
      if (MinValue !== undefined && number < Number(MinValue)) {
        throw new InvalidParameterException(`${SCHEMA_ERROR}${name}: Number must be greater than or equal to ${MinValue}.`);
      }
      if (MaxValue !== undefined && number > Number(MaxValue)) {
        throw new InvalidParameterException(`${SCHEMA_ERROR}${name}: Number must be less than or equal to ${MaxValue}.`);
      }
      return;
    }
    case 'DateTime':
      if (Number.isNaN(Date.parse(value)) && !/^\d+$/.test(value)) {
        throw new InvalidParameterException(`${SCHEMA_ERROR}${name}: DateTime must be a valid date.`);
      }
      return;
    default: {
      const { MinLength, MaxLength } = definition.StringAttributeConstraints ?? {};
      const length = [...value].length;
      if (MaxLength !== undefined && length > Number(MaxLength)) {
        throw new InvalidParameterException(`${SCHEMA_ERROR}${name}: String must be no longer than ${MaxLength} characters`);
      }
      if (MinLength !== undefined && length < Number(MinLength) && value !== '') {
        throw new InvalidParameterException(`${SCHEMA_ERROR}${name}: String must be no shorter than ${MinLength} characters`);
      }
    }
  }
}
