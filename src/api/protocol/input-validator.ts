import type { Shape, ShapeTable } from './shape-types.js';
import { SerializationException } from '../errors/protocol-errors.js';
import { InvalidParameterException } from '../../generated/exceptions.js';

/**
 * Validates a parsed JSON input against its model shape the way AWS's front door does:
 * wrong JSON types are a SerializationException; constraint violations (required, length,
 * range, pattern, enum) are collected into one InvalidParameterException whose message has
 * AWS's "N validation errors detected: Value … at 'path' failed to satisfy constraint: …" form.
 * Returns a copy without JSON nulls (AWS treats a null member as absent); unknown members are
 * ignored, as AWS ignores them.
 */
export function validateInput(shapes: ShapeTable, shapeName: string, input: unknown): Record<string, unknown> {
  const violations: string[] = [];
  const cleaned = walk(shapes, shapeName, input, '', violations, false) as Record<string, unknown>;
  if (violations.length > 0) {
    const count = violations.length;
    throw new InvalidParameterException(
      `${count} validation error${count === 1 ? '' : 's'} detected: ${violations.join('; ')}`,
    );
  }
  return cleaned;
}

const patternCache = new Map<string, RegExp>();

/**
 * AWS patterns are Java regexes matched against the whole value. Java's leading inline flags
 * (`(?s)`, `(?i)`) become JS flags; everything else in the models is valid JS in unicode mode
 * (test/input-validator.test.ts compiles every pattern of both models).
 */
export function compilePattern(pattern: string): RegExp {
  let compiled = patternCache.get(pattern);
  if (!compiled) {
    let flags = 'u';
    let body = pattern;
    const inline = /^\(\?([a-z]+)\)/.exec(body);
    if (inline) {
      flags += inline[1];
      body = body.slice(inline[0].length);
    }
    compiled = new RegExp(`^(?:${body})$`, flags);
    patternCache.set(pattern, compiled);
  }
  return compiled;
}

function memberPath(parent: string, member: string): string {
  const awsName = member.charAt(0).toLowerCase() + member.slice(1);
  return parent ? `${parent}.${awsName}` : awsName;
}

function describeValue(value: unknown, sensitive: boolean): string {
  if (sensitive) return 'Value';
  if (Array.isArray(value)) return `Value '[${value.join(', ')}]'`;
  if (value !== null && typeof value === 'object') return 'Value';
  return `Value '${String(value)}'`;
}

function typeError(path: string, expected: string): never {
  throw new SerializationException(`Expected ${expected} at '${path || 'input'}'`);
}

function walk(
  shapes: ShapeTable,
  shapeName: string,
  value: unknown,
  path: string,
  violations: string[],
  parentSensitive: boolean,
): unknown {
  const shape: Shape | undefined = shapes[shapeName];
  if (!shape) throw new Error(`model has no shape ${shapeName}`);
  const sensitive = parentSensitive || shape.sensitive === true;
  const fail = (constraint: string) =>
    violations.push(`${describeValue(value, sensitive)} at '${path}' failed to satisfy constraint: ${constraint}`);

  switch (shape.type) {
    case 'structure': {
      if (shape.document) return value;
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return typeError(path, 'an object');
      const source = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const required of shape.required ?? []) {
        if (source[required] === undefined || source[required] === null) {
          violations.push(`Value null at '${memberPath(path, required)}' failed to satisfy constraint: Member must not be null`);
        }
      }
      for (const [member, memberShape] of Object.entries(shape.members ?? {})) {
        const memberValue = source[member];
        if (memberValue === undefined || memberValue === null) continue;
        out[member] = walk(shapes, memberShape, memberValue, memberPath(path, member), violations, sensitive);
      }
      return out;
    }
    case 'list': {
      if (!Array.isArray(value)) return typeError(path, 'a list');
      checkLength(shape, value.length, fail);
      return value.map((item, index) =>
        walk(shapes, shape.member!, item, `${path}.${index + 1}.member`, violations, sensitive),
      );
    }
    case 'map': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return typeError(path, 'a map');
      const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== null);
      checkLength(shape, entries.length, fail);
      // fromEntries defines own properties, so a key named __proto__ stays data, not a prototype.
      return Object.fromEntries(
        entries.map(([key, entryValue]) => {
          walk(shapes, shape.key!, key, `${path}.key`, violations, sensitive);
          return [key, walk(shapes, shape.value!, entryValue, `${path}.${key}`, violations, sensitive)];
        }),
      );
    }
    case 'string': {
      if (typeof value !== 'string') return typeError(path, 'a string');
      checkLength(shape, value.length, fail);
      if (shape.enum && !shape.enum.includes(value)) fail(`Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
      if (shape.pattern !== undefined && !compilePattern(shape.pattern).test(value)) {
        fail(`Member must satisfy regular expression pattern: ${shape.pattern}`);
      }
      return value;
    }
    case 'integer':
    case 'long': {
      if (typeof value !== 'number' || !Number.isInteger(value)) return typeError(path, 'an integer');
      if (shape.min !== undefined && value < shape.min) fail(`Member must have value greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && value > shape.max) fail(`Member must have value less than or equal to ${shape.max}`);
      return value;
    }
    case 'double':
    case 'float': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return typeError(path, 'a number');
      return value;
    }
    case 'boolean':
      if (typeof value !== 'boolean') return typeError(path, 'a boolean');
      return value;
    case 'timestamp':
      // AWS JSON sends timestamps as epoch seconds.
      if (typeof value !== 'number' || !Number.isFinite(value)) return typeError(path, 'a timestamp in epoch seconds');
      return new Date(value * 1000);
    case 'blob':
      if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) return typeError(path, 'base64 data');
      return Buffer.from(value, 'base64');
    default:
      return value;
  }
}

function checkLength(shape: Shape, length: number, fail: (constraint: string) => void): void {
  if (shape.min !== undefined && length < shape.min) fail(`Member must have length greater than or equal to ${shape.min}`);
  if (shape.max !== undefined && length > shape.max) fail(`Member must have length less than or equal to ${shape.max}`);
}
