import { InvalidParameterException } from '../../../generated/exceptions.js';
import { CognitoError } from '../../../api/errors/cognito-error.js';
import type { Store } from '../../../store/store.js';
import type { SecretBox } from '../../../crypto/secret-box.js';
import type { ExistingUser, ImportConflict, ImportedUser } from '../../../store/user-transfer-store.js';
import type { LookupColumn } from '../../../store/user-store.js';
import type { Clock } from '../../clock.js';
import type { Group } from '../../groups/group.js';
import { MAX_PRECEDENCE } from '../../groups/group-service.js';
import type { UserPoolService } from '../../user-pools/user-pool-service.js';
import type { UserPool } from '../../user-pools/user-pool.js';
import { lookupKeysOf } from '../sign-in-names.js';
import { ImportRecordError, parseImportRecord } from './import-record.js';
import type { TransferGroup } from './transfer-format.js';

// FrontdeskAdmin.ImportUsers: a batch of transfer-format records written into a pool. Each user is
// imported whole or not at all, with a result of its own; the batch is checked with a few indexed
// reads and written in transactions of 250 users (hashes are stored as given, never recomputed), so large
// imports run at the speed of the database. See docs/user-transfer.md.

export type OnConflict = 'FAIL' | 'SKIP' | 'OVERWRITE';

export interface ImportUsersInput {
  UserPoolId: string;
  Users: unknown[];
  /** Group definitions (the export header's Groups): created when missing, rewritten with OVERWRITE. */
  Groups?: TransferGroup[];
  OnConflict?: OnConflict;
}

export type ImportStatus = 'IMPORTED' | 'OVERWRITTEN' | 'SKIPPED' | 'FAILED';

export interface ImportUserResult {
  /** Position of the record in Users, from 0. */
  Index: number;
  Username?: string;
  Sub?: string;
  Status: ImportStatus;
  ErrorCode?: string;
  Message?: string;
}

export interface ImportUsersOutput {
  Results: ImportUserResult[];
  Imported: number;
  Overwritten: number;
  Skipped: number;
  Failed: number;
}

interface Candidate extends ImportedUser {
  index: number;
  replaceId?: string;
}

const KEY_COLUMNS = ['email_key', 'phone_key', 'preferred_username_key'] as const;
const keyOf = (c: Candidate, column: LookupColumn): string | null =>
  column === 'username_key' ? c.keys.usernameKey : column === 'email_key' ? c.keys.emailKey : column === 'phone_key' ? c.keys.phoneKey : c.keys.preferredUsernameKey;
const existingKeyOf = (e: ExistingUser, column: LookupColumn): string | null =>
  column === 'username_key' ? e.usernameKey : column === 'email_key' ? e.emailKey : column === 'phone_key' ? e.phoneKey : e.preferredUsernameKey;

export class UserImport {
  constructor(private readonly deps: { store: Store; clock: Clock; userPools: UserPoolService; secrets: SecretBox }) {}

  async importUsers(input: ImportUsersInput): Promise<ImportUsersOutput> {
    const pool = await this.deps.userPools.get(input.UserPoolId);
    const onConflict = input.OnConflict ?? 'FAIL';
    const now = this.deps.clock.now();
    const definitions = (input.Groups ?? []).map((g) => groupOf(pool, g, now));
    const results: ImportUserResult[] = new Array(input.Users.length);
    const fail = (index: number, code: string, message: string, c?: Candidate) => {
      results[index] = { Index: index, ...(c ? { Username: c.user.username, Sub: c.user.id } : {}), Status: 'FAILED', ErrorCode: code, Message: message };
    };

    // 1. Each record on its own: shape, schema, password hash.
    const parsed: Candidate[] = [];
    for (const [index, record] of input.Users.entries()) {
      if (index > 0 && index % PARSE_CHUNK === 0) await yieldToEventLoop();
      try {
        const { user, groups } = parseImportRecord(pool, record, now, this.deps.secrets);
        parsed.push({ index, user, groups, keys: lookupKeysOf(pool, user) });
      } catch (error) {
        if (error instanceof ImportRecordError || error instanceof CognitoError) {
          const username = (record as { Username?: unknown } | null)?.Username;
          results[index] = { Index: index, ...(typeof username === 'string' ? { Username: username } : {}), Status: 'FAILED', ErrorCode: error instanceof ImportRecordError ? error.code : error.name, Message: error.message };
        } else throw error;
      }
    }

    // 2. Against each other: the first record holding a username, sub or alias keeps it.
    const inBatch = new Map<string, number>();
    const unique: Candidate[] = [];
    for (const c of parsed) {
      const claims = [`u:${c.keys.usernameKey}`, `s:${c.user.id}`, ...KEY_COLUMNS.flatMap((col) => (keyOf(c, col) === null ? [] : [`${col}:${keyOf(c, col)}`]))];
      const taken = claims.find((k) => inBatch.has(k));
      if (taken) {
        fail(c.index, taken.startsWith('u:') || taken.startsWith('s:') ? 'UsernameExistsException' : 'AliasExistsException', `Record ${inBatch.get(taken)} of this batch already holds the same ${describeClaim(taken)}.`, c);
        continue;
      }
      for (const k of claims) inBatch.set(k, c.index);
      unique.push(c);
    }

    // 3. Against the stored users.
    const existing = await this.deps.store.userTransfer.existing(pool.id, {
      usernameKeys: unique.map((c) => c.keys.usernameKey),
      ids: unique.map((c) => c.user.id),
      emailKeys: unique.flatMap((c) => (c.keys.emailKey === null ? [] : [c.keys.emailKey])),
      phoneKeys: unique.flatMap((c) => (c.keys.phoneKey === null ? [] : [c.keys.phoneKey])),
      preferredUsernameKeys: unique.flatMap((c) => (c.keys.preferredUsernameKey === null ? [] : [c.keys.preferredUsernameKey])),
    });
    const stored = indexExisting(pool, existing);
    const toWrite: Candidate[] = [];
    for (const c of unique) {
      const outcome = this.decide(pool, c, stored, onConflict);
      if (outcome === 'write') toWrite.push(c);
      else if (outcome === 'skip') results[c.index] = { Index: c.index, Username: c.user.username, Sub: c.user.id, Status: 'SKIPPED' };
      else fail(c.index, outcome.code, outcome.message, c);
    }

    // 4. Groups, then the users (one by one where a concurrent write got in between).
    const referenced = new Set(toWrite.flatMap((c) => c.groups));
    const bare = [...referenced].filter((name) => !definitions.some((d) => d.name === name)).map((name) => groupOf(pool, { GroupName: name }, now));
    // Only the definitions are rewritten with OVERWRITE: a group merely named by a user keeps its settings.
    await this.deps.store.userTransfer.ensureGroups(definitions, onConflict === 'OVERWRITE');
    await this.deps.store.userTransfer.ensureGroups(bare, false);
    const written = await this.write(pool, toWrite);
    for (const c of toWrite) {
      const conflict = written.get(c.index);
      if (conflict) fail(c.index, conflict.code, conflict.message, c);
      else results[c.index] = { Index: c.index, Username: c.user.username, Sub: c.user.id, Status: c.replaceId ? 'OVERWRITTEN' : 'IMPORTED' };
    }

    const count = (status: ImportStatus) => results.filter((r) => r.Status === status).length;
    return { Results: results, Imported: count('IMPORTED'), Overwritten: count('OVERWRITTEN'), Skipped: count('SKIPPED'), Failed: count('FAILED') };
  }

  /** What to do with a record given the stored users it collides with. */
  private decide(pool: UserPool, c: Candidate, stored: StoredIndex, onConflict: OnConflict): 'write' | 'skip' | { code: string; message: string } {
    const bySub = stored.byId.get(c.user.id);
    if (bySub && bySub.userPoolId !== pool.id) {
      return { code: 'UsernameExistsException', message: `Sub ${c.user.id} belongs to a user of another user pool (subs are unique on a server).` };
    }
    const byUsername = stored.byKey.get(`username_key:${c.keys.usernameKey}`);
    const same = byUsername ?? bySub;
    if (same) {
      if (onConflict === 'SKIP') return 'skip';
      if (onConflict === 'FAIL') return { code: 'UsernameExistsException', message: 'User already exists' };
      if (byUsername && bySub && byUsername.id !== bySub.id) {
        return { code: 'UsernameExistsException', message: 'The username and the sub belong to two different existing users.' };
      }
      c.replaceId = same.id;
    }
    for (const column of KEY_COLUMNS) {
      const key = keyOf(c, column);
      if (key === null) continue;
      const holder = stored.byKey.get(`${column}:${key}`);
      if (holder && holder.id !== c.replaceId) return conflictMessage(pool, column);
    }
    return 'write';
  }

  /**
   * Writes the users a transaction per WRITE_CHUNK, yielding to the event loop in between: on
   * SQLite every statement runs synchronously, and one transaction for a whole request would hold
   * the node's other requests for its full length. Each user is in exactly one transaction.
   * Returns the per-user conflicts found when a chunk had to fall back to one user at a time.
   */
  private async write(pool: UserPool, batch: Candidate[]): Promise<Map<number, { code: string; message: string }>> {
    const conflicts = new Map<number, { code: string; message: string }>();
    const store = this.deps.store.userTransfer;
    const asBatch = (users: Candidate[]) => ({ userPoolId: pool.id, replaceIds: users.flatMap((c) => (c.replaceId ? [c.replaceId] : [])), users });
    for (let i = 0; i < batch.length; i += WRITE_CHUNK) {
      const chunk = batch.slice(i, i + WRITE_CHUNK);
      if (i > 0) await yieldToEventLoop();
      try {
        await store.writeBatch(asBatch(chunk));
        continue;
      } catch {
        // A concurrent writer took a key between the checks and the write: find out who, one by one.
      }
      for (const c of chunk) {
        const result = await store.writeOne(asBatch([c]));
        if (result !== 'ok') conflicts.set(c.index, conflictMessage(pool, result.conflict));
      }
    }
    return conflicts;
  }
}

/** Users per write transaction: a few tens of milliseconds of SQLite work (smaller costs more commits). */
const WRITE_CHUNK = 250;
/** Records checked between two turns of the event loop. */
const PARSE_CHUNK = 100;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The stored users a batch collides with, by sub and by `<column>:<key>` (keys within the pool). */
interface StoredIndex {
  byId: Map<string, ExistingUser>;
  byKey: Map<string, ExistingUser>;
}

function indexExisting(pool: UserPool, existing: ExistingUser[]): StoredIndex {
  const byId = new Map<string, ExistingUser>();
  const byKey = new Map<string, ExistingUser>();
  for (const e of existing) {
    byId.set(e.id, e);
    if (e.userPoolId !== pool.id) continue;
    for (const column of ['username_key', ...KEY_COLUMNS] as const) {
      const key = existingKeyOf(e, column);
      if (key !== null) byKey.set(`${column}:${key}`, e);
    }
  }
  return { byId, byKey };
}

function conflictMessage(pool: UserPool, column: ImportConflict): { code: string; message: string } {
  const usernameAttributes = pool.settings.UsernameAttributes ?? [];
  switch (column) {
    case 'email_key':
      return { code: usernameAttributes.includes('email') ? 'UsernameExistsException' : 'AliasExistsException', message: 'An account with the given email already exists.' };
    case 'phone_key':
      return { code: usernameAttributes.includes('phone_number') ? 'UsernameExistsException' : 'AliasExistsException', message: 'An account with the given phone_number already exists.' };
    case 'preferred_username_key':
      return { code: 'AliasExistsException', message: 'An account with the given preferred_username already exists.' };
    case 'id':
      return { code: 'UsernameExistsException', message: 'A user with this sub already exists.' };
    case 'group':
      return { code: 'ResourceNotFoundException', message: 'A group of the user was deleted during the import.' };
    default:
      return { code: 'UsernameExistsException', message: 'User already exists' };
  }
}

function describeClaim(claim: string): string {
  if (claim.startsWith('u:')) return 'username';
  if (claim.startsWith('s:')) return 'sub';
  return claim.slice(0, claim.indexOf(':')).replace('_key', '');
}

function groupOf(pool: UserPool, g: TransferGroup, now: Date): Group {
  if (g.Precedence !== undefined && (!Number.isInteger(g.Precedence) || g.Precedence < 0 || g.Precedence > MAX_PRECEDENCE)) {
    throw new InvalidParameterException(`Group ${g.GroupName}: Precedence must be an integer from 0 to ${MAX_PRECEDENCE}.`);
  }
  return {
    userPoolId: pool.id,
    name: g.GroupName,
    ...(g.Description !== undefined ? { description: g.Description } : {}),
    ...(g.RoleArn !== undefined ? { roleArn: g.RoleArn } : {}),
    ...(g.Precedence !== undefined ? { precedence: g.Precedence } : {}),
    createdAt: now,
    updatedAt: now,
  };
}
