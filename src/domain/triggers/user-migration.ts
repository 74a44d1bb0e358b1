import { UsernameExistsException } from '../../generated/exceptions.js';
import type { UserPool } from '../user-pools/user-pool.js';
import type { UserPoolClient } from '../clients/user-pool-client.js';
import type { User } from '../users/user.js';
import type { UserDirectory } from '../users/user-directory.js';
import { checkAttributeWrites, checkRequiredAttributes } from '../users/attribute-rules.js';
import { credentialFor } from '../users/password-credentials.js';
import { resolveNewUserName } from '../users/sign-in-names.js';
import type { Triggers } from './triggers.js';
import { runUserMigration } from './cognito/user-migration.js';

/**
 * The UserMigration trigger's effect: a user the pool does not know is looked up by the function
 * and, when it answers with attributes, created (with the sign-in's password, or none on
 * ForgotPassword) in the status it asks for.
 *
 * DEVIATION: Cognito sends migrated users a welcome message unless messageAction is SUPPRESS;
 * Frontdesk validates messageAction and desiredDeliveryMediums but sends no welcome message
 * (a ForgotPassword migration still gets its code). enableSMSMFA is validated and not applied.
 */
export class UserMigration {
  constructor(private readonly deps: { triggers: Triggers; users: UserDirectory }) {}

  configured(pool: UserPool): boolean {
    return this.deps.triggers.arnOf(pool, 'UserMigration') !== undefined;
  }

  /** UserMigration_Authentication: answers the created (or concurrently created) user, if any. */
  async onSignIn(
    pool: UserPool,
    client: UserPoolClient,
    name: string,
    password: string,
    clientMetadata: Record<string, string> | undefined,
  ): Promise<User | undefined> {
    const migrated = await runUserMigration(this.deps.triggers, pool, {
      triggerSource: 'UserMigration_Authentication',
      userName: name,
      clientId: client.id,
      password,
      clientMetadata,
    });
    if (!migrated) return undefined;
    return this.create(pool, name, migrated.attributes, migrated.finalUserStatus, migrated.forceAliasCreation, password);
  }

  /** UserMigration_ForgotPassword: the created user (RESET_REQUIRED, no password), if any. */
  async onForgotPassword(
    pool: UserPool,
    client: UserPoolClient,
    name: string,
    clientMetadata: Record<string, string> | undefined,
  ): Promise<User | undefined> {
    const migrated = await runUserMigration(this.deps.triggers, pool, {
      triggerSource: 'UserMigration_ForgotPassword',
      userName: name,
      clientId: client.id,
      clientMetadata,
    });
    if (!migrated) return undefined;
    return this.create(pool, name, migrated.attributes, 'RESET_REQUIRED', migrated.forceAliasCreation);
  }

  private async create(
    pool: UserPool,
    name: string,
    returned: Record<string, string>,
    status: 'CONFIRMED' | 'RESET_REQUIRED',
    forceAlias: boolean,
    password?: string,
  ): Promise<User> {
    const written = checkAttributeWrites(
      pool,
      Object.entries(returned).map(([Name, Value]) => ({ Name, Value })),
      'admin',
    );
    const sub = this.deps.users.newSub();
    const { username, attributes } = resolveNewUserName(pool, name, written, sub);
    checkRequiredAttributes(pool, attributes);
    const user = this.deps.users.newUser(pool, username, sub, attributes, status);
    if (password !== undefined) {
      user.password = await credentialFor(pool, username, password);
      user.passwordSetAt = user.createdAt;
    }
    if (forceAlias) {
      for (const attribute of ['email', 'phone_number'] as const) {
        if (attributes[attribute] && attributes[`${attribute}_verified`] === 'true') {
          await this.deps.users.releaseAlias(pool, attribute, attributes[attribute]!, sub);
        }
      }
    }
    try {
      await this.deps.users.insert(pool, user);
    } catch (error) {
      // Two sign-ins migrating the same user at once: the other one created it; use theirs.
      if (error instanceof UsernameExistsException) {
        const existing = await this.deps.users.find(pool, name);
        if (existing) return existing;
      }
      throw error;
    }
    return user;
  }
}
