import type { SchemaAttributeType } from '@aws-sdk/client-cognito-identity-provider';
import { InvalidParameterException } from '../../generated/exceptions.js';

const text = (name: string, min = '0'): SchemaAttributeType => ({
  Name: name,
  AttributeDataType: 'String',
  DeveloperOnlyAttribute: false,
  Mutable: true,
  Required: false,
  StringAttributeConstraints: { MinLength: min, MaxLength: '2048' },
});
const flag = (name: string): SchemaAttributeType => ({
  Name: name,
  AttributeDataType: 'Boolean',
  DeveloperOnlyAttribute: false,
  Mutable: true,
  Required: false,
});

/** Cognito's standard (OIDC) attributes, in the order and with the constraints DescribeUserPool shows. */
export const STANDARD_ATTRIBUTES: readonly SchemaAttributeType[] = Object.freeze([
  { ...text('sub', '1'), Mutable: false, Required: true },
  text('name'),
  text('given_name'),
  text('family_name'),
  text('middle_name'),
  text('nickname'),
  text('preferred_username'),
  text('profile'),
  text('picture'),
  text('website'),
  text('email'),
  flag('email_verified'),
  text('gender'),
  { ...text('birthdate'), StringAttributeConstraints: { MinLength: '10', MaxLength: '10' } },
  text('zoneinfo'),
  text('locale'),
  text('phone_number'),
  flag('phone_number_verified'),
  text('address'),
  {
    Name: 'updated_at',
    AttributeDataType: 'Number',
    DeveloperOnlyAttribute: false,
    Mutable: true,
    Required: false,
    NumberAttributeConstraints: { MinValue: '0' },
  },
  { ...text('identities'), StringAttributeConstraints: {} },
]);

export const MAX_CUSTOM_ATTRIBUTES = 50;
const STANDARD_NAMES = new Set(STANDARD_ATTRIBUTES.map((a) => a.Name!));

export const isCustomAttributeName = (name: string) => name.startsWith('custom:') || name.startsWith('dev:custom:');

/** The full schema for a new pool: every standard attribute, adjusted by the request, then custom ones. */
export function buildSchema(requested: SchemaAttributeType[] | undefined): SchemaAttributeType[] {
  const standard = STANDARD_ATTRIBUTES.map((a) => structuredClone(a));
  const custom: SchemaAttributeType[] = [];
  const seen = new Set<string>();
  for (const attribute of requested ?? []) {
    const name = attribute.Name;
    if (!name) throw new InvalidParameterException('Attribute name must not be empty.');
    if (seen.has(name)) throw new InvalidParameterException(`Duplicate attribute name: ${name}.`);
    seen.add(name);
    if (STANDARD_NAMES.has(name)) {
      const target = standard.find((a) => a.Name === name)!;
      adjustStandard(target, attribute);
    } else {
      custom.push(customAttribute(attribute));
    }
  }
  return appendCustom(standard, custom);
}

/** Adds custom attributes to an existing schema (AddCustomAttributes). */
export function addCustomAttributes(schema: SchemaAttributeType[], requested: SchemaAttributeType[]): SchemaAttributeType[] {
  const added = requested.map(customAttribute);
  return appendCustom(schema, added);
}

function appendCustom(schema: SchemaAttributeType[], added: SchemaAttributeType[]): SchemaAttributeType[] {
  const names = new Set(schema.map((a) => a.Name));
  for (const attribute of added) {
    if (names.has(attribute.Name)) {
      throw new InvalidParameterException(`Existing attribute already has name ${attribute.Name}.`);
    }
    names.add(attribute.Name);
  }
  const result = [...schema, ...added];
  const customCount = result.filter((a) => isCustomAttributeName(a.Name!)).length;
  if (customCount > MAX_CUSTOM_ATTRIBUTES) {
    throw new InvalidParameterException(`A user pool can have at most ${MAX_CUSTOM_ATTRIBUTES} custom attributes.`);
  }
  return result;
}

function adjustStandard(target: SchemaAttributeType, requested: SchemaAttributeType): void {
  if (requested.AttributeDataType !== undefined && requested.AttributeDataType !== target.AttributeDataType) {
    throw new InvalidParameterException(
      `The attribute data type of standard attribute ${target.Name} is ${target.AttributeDataType} and cannot be changed.`,
    );
  }
  if (target.Name === 'sub' && (requested.Required === false || requested.Mutable === true)) {
    throw new InvalidParameterException('The standard attribute sub is always required and immutable.');
  }
  if (requested.DeveloperOnlyAttribute) {
    throw new InvalidParameterException(`Standard attribute ${target.Name} cannot be a developer-only attribute.`);
  }
  if (requested.Required !== undefined) target.Required = requested.Required;
  if (requested.Mutable !== undefined) target.Mutable = requested.Mutable;
  if (requested.StringAttributeConstraints && target.AttributeDataType === 'String') {
    target.StringAttributeConstraints = checkedStringConstraints(target.Name!, requested.StringAttributeConstraints);
  }
  if (requested.NumberAttributeConstraints && target.AttributeDataType === 'Number') {
    target.NumberAttributeConstraints = checkedNumberConstraints(target.Name!, requested.NumberAttributeConstraints);
  }
}

function customAttribute(requested: SchemaAttributeType): SchemaAttributeType {
  const bareName = requested.Name!.replace(/^(dev:)?custom:/, '');
  if (bareName.length === 0 || bareName.length > 20) {
    throw new InvalidParameterException('Custom attribute names must be 1 to 20 characters long.');
  }
  if (requested.Required) throw new InvalidParameterException('Required custom attributes are not supported currently.');
  const type = requested.AttributeDataType ?? 'String';
  const attribute: SchemaAttributeType = {
    Name: `${requested.DeveloperOnlyAttribute ? 'dev:' : ''}custom:${bareName}`,
    AttributeDataType: type,
    DeveloperOnlyAttribute: requested.DeveloperOnlyAttribute ?? false,
    Mutable: requested.Mutable ?? true,
    Required: false,
  };
  if (type === 'String') {
    attribute.StringAttributeConstraints = checkedStringConstraints(attribute.Name!, requested.StringAttributeConstraints ?? {});
  } else if (requested.StringAttributeConstraints) {
    throw new InvalidParameterException(`StringAttributeConstraints apply only to String attributes (${attribute.Name}).`);
  }
  if (type === 'Number') {
    attribute.NumberAttributeConstraints = checkedNumberConstraints(attribute.Name!, requested.NumberAttributeConstraints ?? {});
  } else if (requested.NumberAttributeConstraints) {
    throw new InvalidParameterException(`NumberAttributeConstraints apply only to Number attributes (${attribute.Name}).`);
  }
  return attribute;
}

const MAX_STRING_ATTRIBUTE_LENGTH = 2048;

function checkedStringConstraints(name: string, c: { MinLength?: string; MaxLength?: string }) {
  const min = c.MinLength === undefined ? undefined : Number(c.MinLength);
  const max = c.MaxLength === undefined ? undefined : Number(c.MaxLength);
  for (const value of [min, max]) {
    if (value !== undefined && (!Number.isInteger(value) || value < 0 || value > MAX_STRING_ATTRIBUTE_LENGTH)) {
      throw new InvalidParameterException(
        `String attribute constraints of ${name} must be whole numbers from 0 to ${MAX_STRING_ATTRIBUTE_LENGTH}.`,
      );
    }
  }
  if (min !== undefined && max !== undefined && min > max) {
    throw new InvalidParameterException(`MinLength of ${name} is greater than its MaxLength.`);
  }
  return { ...c };
}

function checkedNumberConstraints(name: string, c: { MinValue?: string; MaxValue?: string }) {
  const min = c.MinValue === undefined ? undefined : Number(c.MinValue);
  const max = c.MaxValue === undefined ? undefined : Number(c.MaxValue);
  for (const value of [min, max]) {
    if (value !== undefined && !Number.isInteger(value)) {
      throw new InvalidParameterException(`Number attribute constraints of ${name} must be whole numbers.`);
    }
  }
  if (min !== undefined && max !== undefined && min > max) {
    throw new InvalidParameterException(`MinValue of ${name} is greater than its MaxValue.`);
  }
  return { ...c };
}
