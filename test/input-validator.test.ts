import { describe, expect, it } from 'vitest';
import { idpShapes } from '../src/generated/idp-shapes.js';
import { identityShapes } from '../src/generated/identity-shapes.js';
import { compilePattern, validateInput } from '../src/api/protocol/input-validator.js';

describe('input validation from the models', () => {
  it('compiles every pattern of both models', () => {
    const patterns = [...Object.values(idpShapes), ...Object.values(identityShapes)]
      .map((shape) => shape.pattern)
      .filter((p): p is string => p !== undefined);
    expect(patterns.length).toBeGreaterThan(40);
    for (const pattern of patterns) expect(() => compilePattern(pattern), pattern).not.toThrow();
  });

  it('matches Java semantics: whole value, inline dot-all flag', () => {
    expect(compilePattern('[\\w-]+_[0-9a-zA-Z]+').test('us-east-1_abc')).toBe(true);
    expect(compilePattern('[\\w-]+_[0-9a-zA-Z]+').test('us-east-1_abc!')).toBe(false);
    expect(compilePattern('(?s).*').test('line one\nline two')).toBe(true);
  });

  it('drops JSON nulls, ignores unknown members and converts timestamps and blobs', () => {
    const input = validateInput(idpShapes, 'ListUserPoolsRequest', { MaxResults: 10, NextToken: null, Surprise: true });
    expect(input).toEqual({ MaxResults: 10 });
  });

  it('numbers list members from 1 in violation paths, as AWS does', () => {
    expect(() =>
      validateInput(idpShapes, 'AddCustomAttributesRequest', {
        UserPoolId: 'us-east-1_abc',
        CustomAttributes: [{ Name: 'ok' }, { Name: '' }],
      }),
    ).toThrow("Value '' at 'customAttributes.2.member.name' failed to satisfy constraint: Member must have length greater than or equal to 1");
  });
});

describe('hostile map keys', () => {
  it('keeps a __proto__ key as data', () => {
    const input = validateInput(idpShapes, 'CreateUserPoolRequest', JSON.parse('{"PoolName":"p","UserPoolTags":{"__proto__":"x","a":"b"}}'));
    const tags = input.UserPoolTags as Record<string, string>;
    expect(Object.keys(tags)).toEqual(['__proto__', 'a']);
    expect(Object.getPrototypeOf(tags)).toBe(Object.prototype);
  });
});
