import { randomInt } from 'node:crypto';
import type {
  AdminCreateUserRequest,
  AdminSetUserPasswordRequest,
  UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  InvalidParameterException,
  NotAuthorizedException,
  UnsupportedUserStateException,
  UserNotFoundException,
  UsernameExistsException,
} from '../../generated/exceptions.js';
import type { UserPoolService } from '../user-pools/user-pool-service.js';
import type { UserPool } from '../user-pools/user-pool.js';
import type { TokenService } from '../tokens/token-service.js';
import type { Lockout } from '../auth/lockout.js';
import type { Clock } from '../clock.js';
import { checkAttributeWrites } from './attribute-rules.js';
import type { CodeDelivery } from './code-delivery.js';
import { checkPasswordPolicy, generateTemporaryPassword } from './password-policy.js';
import { credentialFor } from './password-credentials.js';
import { resolveNewUserName } from './sign-in-names.js';
import type { UserDirectory } from './user-directory.js';
import { toAdminGetUser, toUserType } from './user-views.js';
import type { User } from './user.js';

/** The administrator's side of the directory (SigV4 callers). */
export class AdminUsers {
  constructor(
    private readonly deps: {
      userPools: UserPoolService;
      users: UserDirectory;
      delivery: CodeDelivery;
      tokens: TokenService;
      lockout: Lockout;
      clock: Clock;
    },
  ) {}

  async userOf(poolId: string, name: string): Promise<{ pool: UserPool; user: User }> {
    const pool = await this.deps.userPools.get(poolId);
    const user = await this.deps.users.find(pool, name);
    if (!user) throw new UserNotFoundException('User does not exist.');
    return { pool, user };
  }

  /**
   * A new user with a temporary password (given or generated to satisfy the policy), in
   * FORCE_CHANGE_PASSWORD, invited by email/SMS unless MessageAction is SUPPRESS; RESEND issues a
   * fresh temporary password to an existing FORCE_CHANGE_PASSWORD user.
   */
  async createUser(input: AdminCreateUserRequest): Promise<UserType> {
    const pool = await this.deps.userPools.get(input.UserPoolId!);
    const policy = pool.settings.Policies?.PasswordPolicy;
    const temporaryPassword = input.TemporaryPassword ?? generateTemporaryPassword(policy, (n) => randomInt(n));
    if (input.TemporaryPassword !== undefined) checkPasswordPolicy(policy, input.TemporaryPassword);

    if (input.MessageAction === 'RESEND') {
      const existing = await this.deps.users.find(pool, input.Username!);
      if (!existing) throw new UserNotFoundException('User does not exist.');
      if (existing.status !== 'FORCE_CHANGE_PASSWORD') {
        throw new UnsupportedUserStateException('Resend not possible. ' + existing.username + ' status is not FORCE_CHANGE_PASSWORD');
      }
      const credential = await credentialFor(pool, existing.username, temporaryPassword);
      const user = await this.deps.users.update(pool, existing.id, (current) => ({
        ...current,
        password: credential,
        passwordSetAt: this.deps.clock.now(),
      }));
      await this.invite(pool, user, input, temporaryPassword);
      return toUserType(user);
    }

    const written = checkAttributeWrites(pool, input.UserAttributes, 'admin');
    const sub = this.deps.users.newSub();
    const { username, attributes } = resolveNewUserName(pool, input.Username!, written, sub);
    const user = this.deps.users.newUser(pool, username, sub, attributes, 'FORCE_CHANGE_PASSWORD');
    user.password = await credentialFor(pool, username, temporaryPassword);
    user.passwordSetAt = user.createdAt;
    if (input.ForceAliasCreation) {
      for (const attribute of ['email', 'phone_number'] as const) {
        if (attributes[attribute] && attributes[`${attribute}_verified`] === 'true') {
          await this.deps.users.releaseAlias(pool, attribute, attributes[attribute]!, sub);
        }
      }
    }
    await this.deps.users.insert(pool, user).catch((error: unknown) => {
      // AdminCreateUser words a taken username its own way (SignUp says "User already exists").
      if (error instanceof UsernameExistsException && username === input.Username) {
        throw new UsernameExistsException('User account already exists');
      }
      throw error;
    });
    try {
      await this.invite(pool, user, input, temporaryPassword);
    } catch (error) {
      // No half-created user: an invitation that could not go out undoes the creation.
      await this.deps.users.delete(pool, user.id).catch(() => undefined);
      throw error;
    }
    return toUserType(user);
  }

  async getUser(poolId: string, name: string) {
    const { user } = await this.userOf(poolId, name);
    return toAdminGetUser(user);
  }

  async deleteUser(poolId: string, name: string): Promise<void> {
    const { pool, user } = await this.userOf(poolId, name);
    await this.deps.users.delete(pool, user.id);
  }

  async confirmSignUp(poolId: string, name: string): Promise<void> {
    const { pool, user } = await this.userOf(poolId, name);
    if (user.status !== 'UNCONFIRMED') {
      throw new NotAuthorizedException(`User cannot be confirmed. Current status is ${user.status}`);
    }
    await this.deps.users.update(pool, user.id, (current) => ({ ...current, status: 'CONFIRMED' }));
  }

  /** Permanent: the user signs in with it as is; otherwise it is temporary (FORCE_CHANGE_PASSWORD). */
  async setUserPassword(input: AdminSetUserPasswordRequest): Promise<void> {
    const { pool, user } = await this.userOf(input.UserPoolId!, input.Username!);
    checkPasswordPolicy(pool.settings.Policies?.PasswordPolicy, input.Password!);
    const credential = await credentialFor(pool, user.username, input.Password!);
    await this.deps.users.update(pool, user.id, (current) => ({
      ...current,
      password: credential,
      passwordSetAt: this.deps.clock.now(),
      status: input.Permanent ? 'CONFIRMED' : 'FORCE_CHANGE_PASSWORD',
    }));
    await this.deps.lockout.recordSuccess(pool.id, user.id);
  }

  async globalSignOut(poolId: string, name: string): Promise<void> {
    const { user } = await this.userOf(poolId, name);
    await this.deps.tokens.revokeAllForUser(user.id);
  }

  /**
   * Sends the invitation to each requested medium (SMS when none is named, as in Cognito). A
   * medium the administrator named explicitly but the user has no address for is an error; the
   * default one is skipped quietly.
   */
  private async invite(pool: UserPool, user: User, input: AdminCreateUserRequest, temporaryPassword: string): Promise<void> {
    if (input.MessageAction === 'SUPPRESS') return;
    const explicit = input.DesiredDeliveryMediums?.length ? input.DesiredDeliveryMediums : undefined;
    for (const medium of explicit ?? ['SMS']) {
      const attribute = medium === 'EMAIL' ? 'email' : 'phone_number';
      if (!user.attributes[attribute]) {
        if (explicit) throw new InvalidParameterException(`User has no attribute ${attribute} to deliver the invitation to.`);
        continue;
      }
      await this.deps.delivery.sendInvitation(pool, user, medium as 'EMAIL' | 'SMS', input.Username!, temporaryPassword);
    }
  }
}
