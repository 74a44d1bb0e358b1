import { randomUUID } from 'node:crypto';
import type { UserStatusType } from '@aws-sdk/client-cognito-identity-provider';
import {
  AliasExistsException,
  ConcurrentModificationException,
  UserNotFoundException,
  UsernameExistsException,
} from '../../generated/exceptions.js';
import type { Store } from '../../store/store.js';
import type { LookupColumn } from '../../store/user-store.js';
import type { Clock } from '../clock.js';
import type { UserPool } from '../user-pools/user-pool.js';
import type { User } from './user.js';
import { findUserBySignInName, lookupKeysOf } from './sign-in-names.js';

const MAX_WRITE_ATTEMPTS = 5;

/** Reading and writing users, with uniqueness conflicts turned into Cognito's exceptions. */
export class UserDirectory {
  constructor(private readonly deps: { store: Store; clock: Clock }) {}

  newUser(pool: UserPool, username: string, sub: string, attributes: Record<string, string>, status: UserStatusType): User {
    const now = this.deps.clock.now();
    return { id: sub, userPoolId: pool.id, username, status, enabled: true, attributes, version: 1, createdAt: now, updatedAt: now };
  }

  newSub(): string {
    return randomUUID();
  }

  async insert(pool: UserPool, user: User): Promise<void> {
    const result = await this.deps.store.users.insert(user, lookupKeysOf(pool, user));
    if (result !== 'ok') throw conflictError(pool, result === 'stale' ? 'username_key' : result.conflict);
  }

  async find(pool: UserPool, name: string): Promise<User | undefined> {
    return findUserBySignInName(this.deps.store.users, pool, name);
  }

  /** Cognito's answer for a name nobody has, where existence may be revealed. */
  async require(pool: UserPool, name: string): Promise<User> {
    const user = await this.find(pool, name);
    if (!user) throw new UserNotFoundException('User does not exist.');
    return user;
  }

  async byId(pool: UserPool, id: string): Promise<User | undefined> {
    return this.deps.store.users.get(pool.id, id);
  }

  /**
   * Read-modify-write of one user under optimistic concurrency; `change` may run more than once.
   */
  async update(pool: UserPool, userId: string, change: (user: User) => User | Promise<User>): Promise<User> {
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      const current = await this.deps.store.users.get(pool.id, userId);
      if (!current) throw new UserNotFoundException('User does not exist.');
      const changed = await change(structuredClone(current));
      const next: User = { ...changed, version: current.version + 1, updatedAt: this.deps.clock.now() };
      const result = await this.deps.store.users.update(next, lookupKeysOf(pool, next));
      if (result === 'ok') return next;
      if (result !== 'stale') throw conflictError(pool, result.conflict);
    }
    throw new ConcurrentModificationException('The user is being modified concurrently; try again.');
  }

  async delete(pool: UserPool, userId: string): Promise<void> {
    if (!(await this.deps.store.users.delete(pool.id, userId))) throw new UserNotFoundException('User does not exist.');
  }

  /**
   * Fails as a write of `user` would if another user already holds one of its email, phone or
   * preferred_username keys, without writing anything.
   */
  async checkAliasesFree(pool: UserPool, user: User): Promise<void> {
    const keys = lookupKeysOf(pool, user);
    const taken: [LookupColumn, string | null][] = [
      ['email_key', keys.emailKey],
      ['phone_key', keys.phoneKey],
      ['preferred_username_key', keys.preferredUsernameKey],
    ];
    for (const [column, key] of taken) {
      if (key === null) continue;
      const holder = await this.deps.store.users.findBy(pool.id, column, key);
      if (holder && holder.id !== user.id) throw conflictError(pool, column);
    }
  }

  /** Removes an alias from whoever holds it, so another user can claim it (ForceAliasCreation). */
  async releaseAlias(pool: UserPool, attribute: 'email' | 'phone_number', value: string, exceptUserId: string): Promise<void> {
    const column: LookupColumn = attribute === 'email' ? 'email_key' : 'phone_key';
    const holder = await this.deps.store.users.findBy(pool.id, column, attribute === 'email' ? value.toLowerCase() : value);
    if (!holder || holder.id === exceptUserId) return;
    await this.update(pool, holder.id, (user) => ({
      ...user,
      attributes: { ...user.attributes, [`${attribute}_verified`]: 'false' },
    }));
  }
}

function conflictError(pool: UserPool, column: LookupColumn): Error {
  const usernameAttributes = pool.settings.UsernameAttributes ?? [];
  switch (column) {
    case 'email_key':
      return usernameAttributes.includes('email')
        ? new UsernameExistsException('An account with the given email already exists.')
        : new AliasExistsException('An account with the given email already exists.');
    case 'phone_key':
      return usernameAttributes.includes('phone_number')
        ? new UsernameExistsException('An account with the given phone_number already exists.')
        : new AliasExistsException('An account with the given phone_number already exists.');
    case 'preferred_username_key':
      return new AliasExistsException('An account with the given preferred_username already exists.');
    default:
      return new UsernameExistsException('User already exists');
  }
}
