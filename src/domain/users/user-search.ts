import { createHash } from 'node:crypto';
import type { AttributeType, ListUsersRequest, ListUsersResponse, UserType } from '@aws-sdk/client-cognito-identity-provider';
import { InvalidParameterException } from '../../generated/exceptions.js';
import type { Store } from '../../store/store.js';
import { decodePageToken, encodePageToken } from '../../store/page-token.js';
import { COGNITO_SEARCH_ATTRIBUTES, searchKeyOf, type SearchCondition } from '../../store/user-search-index.js';
import type { UserPoolService } from '../user-pools/user-pool-service.js';
import type { UserPool } from '../user-pools/user-pool.js';
import { schemaByName } from './attribute-rules.js';
import { usernameKeyOf } from './sign-in-names.js';
import { attributeList } from './user-views.js';

// ListUsers: Cognito's filter grammar, and Frontdesk's extension of it (docs/user-search.md).
//
// Cognito:   [ws] name [ws] ("=" | "^=") [ws] "value" [ws]      or an empty filter (every user)
//   name is bare (`email`) or double-quoted (`"email"`); the value is always double-quoted;
//   inside quotes a backslash makes the next character literal (`\"`, `\\`).
// Extension: "frontdesk:" condition ("and" condition)*   with `custom:` attributes searchable too.
//   The marker cannot begin a valid Cognito filter, so no valid Cognito filter changes meaning.

export const PARSE_ERROR = 'Error while parsing filter.';
export const EXTENSION_MARKER = 'frontdesk:';
/** Conditions in one extended filter. */
export const MAX_CONDITIONS = 4;
export const DEFAULT_LIMIT = 60;

export interface FilterCondition {
  attribute: string;
  prefix: boolean;
  value: string;
}

export type ParsedFilter = { extended: boolean; conditions: FilterCondition[] };

const COGNITO_ATTRIBUTES = new Set<string>(COGNITO_SEARCH_ATTRIBUTES);

class Scanner {
  position = 0;
  constructor(readonly text: string) {}
  skipSpace(): void {
    while (this.position < this.text.length && /\s/.test(this.text[this.position]!)) this.position++;
  }
  done(): boolean {
    return this.position >= this.text.length;
  }
  peek(): string | undefined {
    return this.text[this.position];
  }
  fail(): never {
    throw new InvalidParameterException(PARSE_ERROR);
  }
  /** A double-quoted string with backslash escapes; the scanner is on the opening quote. */
  quoted(): string {
    this.position++;
    let out = '';
    for (;;) {
      const c = this.text[this.position++];
      if (c === undefined) this.fail();
      if (c === '"') return out;
      if (c === '\\') {
        const escaped = this.text[this.position++];
        if (escaped === undefined) this.fail();
        out += escaped;
      } else {
        out += c;
      }
    }
  }
  name(): string {
    if (this.peek() === '"') return this.quoted();
    const start = this.position;
    while (this.position < this.text.length && /[^\s="^\\]/.test(this.text[this.position]!)) this.position++;
    if (this.position === start) this.fail();
    return this.text.slice(start, this.position);
  }
  operator(): boolean {
    if (this.text.startsWith('^=', this.position)) {
      this.position += 2;
      return true;
    }
    if (this.peek() === '=') {
      this.position++;
      return false;
    }
    return this.fail();
  }
  condition(): FilterCondition {
    this.skipSpace();
    const attribute = this.name();
    this.skipSpace();
    const prefix = this.operator();
    this.skipSpace();
    if (this.peek() !== '"') this.fail();
    const value = this.quoted();
    return { attribute, prefix, value };
  }
}

/** Parses a Filter; throws InvalidParameterException with Cognito's message when it cannot. */
export function parseFilter(filter: string | undefined): ParsedFilter {
  if (filter === undefined || filter.trim() === '') return { extended: false, conditions: [] };
  const trimmed = filter.trimStart();
  if (trimmed.startsWith(EXTENSION_MARKER)) {
    const scanner = new Scanner(trimmed.slice(EXTENSION_MARKER.length));
    const conditions = [scanner.condition()];
    for (;;) {
      scanner.skipSpace();
      if (scanner.done()) break;
      const rest = scanner.text.slice(scanner.position);
      const and = /^and\s/i.exec(rest);
      if (!and) throw new InvalidParameterException(PARSE_ERROR);
      scanner.position += and[0].length;
      conditions.push(scanner.condition());
    }
    if (conditions.length > MAX_CONDITIONS) {
      throw new InvalidParameterException(`A filter can combine at most ${MAX_CONDITIONS} conditions.`);
    }
    return { extended: true, conditions };
  }
  const scanner = new Scanner(filter);
  const condition = scanner.condition();
  scanner.skipSpace();
  if (!scanner.done()) scanner.fail();
  return { extended: false, conditions: [condition] };
}

/** The index condition for a filter condition, with the attribute checked and the value normalised. */
function toSearchCondition(pool: UserPool, condition: FilterCondition, extended: boolean): SearchCondition {
  const { attribute } = condition;
  const searchable =
    COGNITO_ATTRIBUTES.has(attribute) ||
    (extended && attribute.startsWith('custom:') && pool.settings.SchemaAttributes.some((a) => a.Name === attribute));
  if (!searchable) throw new InvalidParameterException(`Invalid search attribute: ${attribute}`);
  const key = attribute === 'username' ? usernameKeyOf(pool, condition.value) : searchKeyOf(attribute, condition.value);
  return { attribute, prefix: condition.prefix, key };
}

/** Every user, in username order: the empty filter. */
const EVERYONE: SearchCondition = { attribute: 'username', prefix: true, key: '' };

export class UserSearch {
  constructor(private readonly deps: { userPools: UserPoolService; store: Store }) {}

  async listUsers(input: ListUsersRequest): Promise<ListUsersResponse> {
    const pool = await this.deps.userPools.get(input.UserPoolId!);
    const parsed = parseFilter(input.Filter);
    const conditions = parsed.conditions.map((c) => toSearchCondition(pool, c, parsed.extended));
    // The walked index range: an exact condition if there is one (usually the narrowest).
    const driverIndex = Math.max(0, conditions.findIndex((c) => !c.prefix));
    const driver = conditions[driverIndex] ?? EVERYONE;
    const also = conditions.filter((_, i) => i !== driverIndex);
    const visible = attributesToGet(pool, input.AttributesToGet);
    // A token belongs to one search: replayed with another filter or pool it is refused.
    const fingerprint = createHash('sha256')
      .update(JSON.stringify([pool.id, driver, also]))
      .digest('base64url')
      .slice(0, 12);
    const after = input.PaginationToken === undefined ? undefined : cursorOf(input.PaginationToken, fingerprint, driver);
    const limit = input.Limit ? input.Limit : DEFAULT_LIMIT;

    const page = await this.deps.store.users.search({ userPoolId: pool.id, driver, also, limit, ...(after ? { after } : {}) });
    const users: UserType[] = page.items.map(({ user }) => ({
      Username: user.username,
      Attributes: visible ? attributeList(user).filter((a: AttributeType) => visible.has(a.Name!)) : attributeList(user),
      UserCreateDate: user.createdAt,
      UserLastModifiedDate: user.updatedAt,
      Enabled: user.enabled,
      UserStatus: user.status,
    }));
    return {
      Users: users,
      ...(page.next ? { PaginationToken: encodePageToken(JSON.stringify([fingerprint, page.next.key, page.next.userId])) } : {}),
    };
  }
}

/**
 * The cursor a token carries. Tokens are not secret but must not widen a search: the cursor's key
 * has to lie inside the driver's range (the store seeks from it in place of the range's start).
 */
function cursorOf(token: string, fingerprint: string, driver: SearchCondition): { key: string; userId: string } {
  const decoded = decodePageToken(token);
  try {
    const [f, key, userId] = JSON.parse(decoded ?? 'null') as unknown[];
    const inRange = typeof key === 'string' && (driver.prefix ? key.startsWith(driver.key) : key === driver.key);
    if (f === fingerprint && inRange && typeof userId === 'string') return { key, userId };
  } catch {
    // fall through
  }
  throw new InvalidParameterException('Invalid pagination token.');
}

/**
 * AttributesToGet as a set of names (undefined: every attribute). Each must be `sub` or in the
 * pool's schema. DEVIATION: a user without a value for a requested attribute is listed without it
 * (Cognito documents an error when a non-filterable attribute is unset for some user).
 */
function attributesToGet(pool: UserPool, names: string[] | undefined): Set<string> | undefined {
  if (names === undefined) return undefined;
  const schema = schemaByName(pool);
  for (const name of names) {
    if (name !== 'sub' && !schema.has(name)) throw new InvalidParameterException('One or more requested attributes do not exist.');
  }
  return new Set(names);
}
