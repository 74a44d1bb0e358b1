import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.js';

// The index behind ListUsers: one row per (user, searchable attribute) in `user_search`, keyed for
// lookups by (user_pool_id, attribute, key, user_id). Every filter is one index range: exact is
// `key = v`, prefix is `key >= p AND key < next(p)`, and pages continue after the last
// (key, user_id) seen, so neither a page nor a deep page costs more as the pool grows, and a token
// stays valid (no skips, no repeats) while users are added or removed.
//
// The rows are written in the same transaction as the user (UserStore.insert/update) and go with
// it (ON DELETE CASCADE). How each attribute's key is normalised is decided here, once, for the
// rows and for the filter values alike.

/** Cognito's searchable attributes (ListUsers Filter). */
export const COGNITO_SEARCH_ATTRIBUTES = [
  'username',
  'email',
  'phone_number',
  'name',
  'given_name',
  'family_name',
  'preferred_username',
  'cognito:user_status',
  'status',
  'sub',
] as const;

/** Stored attributes that are indexed besides every `custom:` one (the Frontdesk filter extension). */
const INDEXED_STORED_ATTRIBUTES = new Set(['email', 'phone_number', 'name', 'given_name', 'family_name', 'preferred_username']);

/**
 * Keys are cut to this many code points. A Filter is at most 256 characters including the
 * attribute name, operator and quotes, so a filter value is always shorter: a cut key can never
 * equal a filter value it should not, and a prefix of a value is a prefix of its cut key.
 * (It also keeps keys well inside PostgreSQL's B-tree entry limit.)
 */
export const SEARCH_KEY_LENGTH = 256;

/** The user fields the index is made from. */
export interface IndexedUser {
  id: string;
  userPoolId: string;
  /** The user's username_key (lower-cased in case-insensitive pools). */
  usernameKey: string;
  status: string;
  enabled: boolean;
  attributes: Record<string, string>;
}

export interface SearchRow {
  user_id: string;
  attribute: string;
  user_pool_id: string;
  key: string;
}

/**
 * The key a stored attribute value is indexed under, and that a filter value is compared with.
 * Case rules (see docs/user-search.md): email and cognito:user_status match whatever the case;
 * every other attribute, custom ones included, matches case-sensitively. (username follows the
 * pool's UsernameConfiguration: its key is the username_key, made by the caller.)
 */
export function searchKeyOf(attribute: string, value: string): string {
  const normalised = attribute === 'email' ? value.toLowerCase() : attribute === 'cognito:user_status' ? value.toUpperCase() : value;
  return cut(normalised);
}

function cut(value: string): string {
  if (value.length <= SEARCH_KEY_LENGTH) return value;
  return Array.from(value).slice(0, SEARCH_KEY_LENGTH).join('');
}

/** The `status` attribute's value: Cognito's Enabled / Disabled. */
export const enabledStatus = (enabled: boolean) => (enabled ? 'Enabled' : 'Disabled');

export function searchRowsOf(user: IndexedUser): SearchRow[] {
  const row = (attribute: string, key: string): SearchRow => ({ user_id: user.id, attribute, user_pool_id: user.userPoolId, key });
  const rows = [
    row('username', cut(user.usernameKey)),
    row('sub', user.id),
    row('cognito:user_status', searchKeyOf('cognito:user_status', user.status)),
    row('status', enabledStatus(user.enabled)),
  ];
  for (const [name, value] of Object.entries(user.attributes)) {
    if (INDEXED_STORED_ATTRIBUTES.has(name) || name.startsWith('custom:')) rows.push(row(name, searchKeyOf(name, value)));
  }
  return rows;
}

type Db = Kysely<Database> | Transaction<Database>;

/** Rows per INSERT: SQLite allows 32766 bound values; PostgreSQL 65535. */
const ROWS_PER_INSERT = 500;

export async function insertSearchRows(db: Db, rows: SearchRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    await db.insertInto('user_search').values(rows.slice(i, i + ROWS_PER_INSERT)).execute();
  }
}

/**
 * Brings one user's rows in line with `user`, writing only what changed (most user writes, such
 * as a password change, change no searchable value and cost one indexed read here).
 */
export async function syncSearchRows(db: Db, user: IndexedUser): Promise<void> {
  const wanted = new Map(searchRowsOf(user).map((r) => [r.attribute, r]));
  const current = await db.selectFrom('user_search').select(['attribute', 'key']).where('user_id', '=', user.id).execute();
  const stale: string[] = [];
  for (const { attribute, key } of current) {
    const next = wanted.get(attribute);
    if (!next) stale.push(attribute);
    else if (next.key === key) wanted.delete(attribute);
    else stale.push(attribute);
  }
  if (stale.length > 0) {
    await db.deleteFrom('user_search').where('user_id', '=', user.id).where('attribute', 'in', stale).execute();
  }
  if (wanted.size > 0) await insertSearchRows(db, [...wanted.values()]);
}

/** One condition on the index: `key = value` (exact) or keys starting with `value` (prefix). */
export interface SearchCondition {
  attribute: string;
  prefix: boolean;
  /** Already normalised with searchKeyOf (or usernameKeyOf for username). */
  key: string;
}

export interface SearchQuery {
  userPoolId: string;
  /** The condition whose index range is walked; results come in its (key, user_id) order. */
  driver: SearchCondition;
  /** Further conditions every result must also meet (checked per row through the primary key). */
  also: SearchCondition[];
  /** Continue after this (key, user_id). */
  after?: { key: string; userId: string };
  limit: number;
  /** Overrides CANDIDATE_BUDGET / CANDIDATE_CHUNK (tests). */
  budget?: { candidates: number; chunk: number };
}

/**
 * The smallest string greater than every string that starts with `prefix`, in code point order
 * (which is SQLite BINARY and PostgreSQL "C" order); undefined when there is none (empty prefix).
 */
export function prefixUpperBound(prefix: string): string | undefined {
  const points = Array.from(prefix);
  while (points.length > 0) {
    const last = points.pop()!.codePointAt(0)!;
    if (last < 0x10ffff) {
      const next = last === 0xd7ff ? 0xe000 : last + 1; // skip the surrogate range
      return points.join('') + String.fromCodePoint(next);
    }
  }
  return undefined;
}

/**
 * The driver's index range over `user_search s`, continued after the cursor; callers order by
 * (s.key, s.user_id), which is the index order, and limit.
 */
export function searchSql(query: Pick<SearchQuery, 'userPoolId' | 'driver' | 'after'>) {
  const { driver, after } = query;
  const parts = [sql`s.user_pool_id = ${query.userPoolId}`, sql`s.attribute = ${driver.attribute}`];
  if (!driver.prefix) {
    parts.push(sql`s.key = ${driver.key}`);
    // Within one key the cursor is a user_id: a seek on the index's last column.
    if (after) parts.push(sql`s.user_id > ${after.userId}`);
  } else {
    // The cursor's key came from this range, so it replaces the lower bound: SQLite seeks with a
    // row-value comparison only when no other lower bound competes (else it scans from the bound).
    if (after) parts.push(sql`(s.key, s.user_id) > (${after.key}, ${after.userId})`);
    else if (driver.key !== '') parts.push(sql`s.key >= ${driver.key}`);
    const upper = prefixUpperBound(driver.key);
    if (upper !== undefined) parts.push(sql`s.key < ${upper}`);
  }
  return sql<boolean>`${sql.join(parts, sql` and `)}`;
}

/** True for a candidate row `s` that meets every further condition (one primary-key probe each). */
export function alsoSql(also: SearchCondition[]) {
  if (also.length === 0) return sql<boolean>`1 = 1`;
  const conjunction = sql.join(
    also.map((condition) => {
      const match = condition.prefix ? prefixSql(sql.ref('o.key'), condition.key) : sql`o.key = ${condition.key}`;
      return sql`exists (select 1 from user_search o where o.user_id = s.user_id and o.attribute = ${condition.attribute} and ${match})`;
    }),
    sql` and `,
  );
  return sql<boolean>`${conjunction}`;
}

/**
 * Candidates one combined (extension) search examines per page at most. Two broad conditions
 * with a small intersection would otherwise make a page read the whole pool; past the budget the
 * page ends early (possibly empty) with a token that continues from the last candidate.
 */
export const CANDIDATE_BUDGET = 5000;
export const CANDIDATE_CHUNK = 500;

function prefixSql(column: ReturnType<typeof sql.ref>, prefix: string) {
  const upper = prefixUpperBound(prefix);
  if (prefix === '') return sql`1 = 1`;
  return upper === undefined ? sql`${column} >= ${prefix}` : sql`${column} >= ${prefix} and ${column} < ${upper}`;
}
