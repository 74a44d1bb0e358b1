import { randomInt } from 'node:crypto';
import type {
  AdminCreateUserRequest,
  AdminSetUserPasswordRequest,
  AttributeType,
  UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  AliasExistsException,
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
import { checkAttributeWrites, checkMutable } from './attribute-rules.js';
import { passwordResetChannel, type CodeDelivery } from './code-delivery.js';
import { applyAdminAttributeWrite, checkAdminAttributeWrites, checkAttributeNames, withoutAttributes } from './admin-attributes.js';
import type { VerificationCodes } from './verification-codes.js';
import { checkPasswordPolicy, generateTemporaryPassword } from './password-policy.js';
import { credentialFor } from './password-credentials.js';
import { resolveNewUserName } from './sign-in-names.js';
import type { UserDirectory } from './user-directory.js';
import { toAdminGetUser, toUserType } from './user-views.js';
import type { User } from './user.js';
import type { Triggers } from '../triggers/triggers.js';
import { attributeMap, runPreSignUp } from '../triggers/cognito/pre-sign-up.js';
import { runPostConfirmation } from '../triggers/cognito/post-confirmation.js';

/** The administrator's side of the directory (SigV4 callers). */
export class AdminUsers {
  constructor(
    private readonly deps: {
      userPools: UserPoolService;
      users: UserDirectory;
      delivery: CodeDelivery;
      codes: VerificationCodes;
      tokens: TokenService;
      lockout: Lockout;
      clock: Clock;
      /** Lambda triggers (PreSignUp, PostConfirmation); none configured when absent. */
      triggers?: Triggers;
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
    // PreSignUp runs before anything is written (ForceAliasCreation's takeover included). Its
    // autoConfirmUser / autoVerify* answers do not apply to AdminCreateUser, as in Cognito.
    if (this.deps.triggers) {
      await runPreSignUp(this.deps.triggers, pool, {
        triggerSource: 'PreSignUp_AdminCreateUser',
        userName: username,
        clientId: undefined,
        userAttributes: attributes,
        validationData: attributeMap(input.ValidationData),
        clientMetadata: input.ClientMetadata,
      });
    }
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

  async confirmSignUp(poolId: string, name: string, clientMetadata?: Record<string, string>): Promise<void> {
    const { pool, user } = await this.userOf(poolId, name);
    if (user.status !== 'UNCONFIRMED') {
      throw new NotAuthorizedException(`User cannot be confirmed. Current status is ${user.status}`);
    }
    // Before the confirmation is written: a failing PostConfirmation leaves the user unconfirmed.
    if (this.deps.triggers) {
      await runPostConfirmation(this.deps.triggers, pool, {
        triggerSource: 'PostConfirmation_ConfirmSignUp',
        user: { ...user, status: 'CONFIRMED' },
        clientId: undefined,
        clientMetadata,
      });
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

  /** A disabled user cannot sign in, and every session they hold ends now (as in Cognito). */
  async disableUser(poolId: string, name: string): Promise<void> {
    const { pool, user } = await this.userOf(poolId, name);
    await this.deps.users.update(pool, user.id, (current) => ({ ...current, enabled: false }));
    await this.deps.tokens.revokeAllForUser(user.id);
  }

  /** Sign-in works again; sessions ended by disabling stay ended. */
  async enableUser(poolId: string, name: string): Promise<void> {
    const { pool, user } = await this.userOf(poolId, name);
    await this.deps.users.update(pool, user.id, (current) => ({ ...current, enabled: true }));
  }

  /**
   * RESET_REQUIRED plus a forgot-password code to the recovery channel; the user completes it with
   * ConfirmForgotPassword. Refused, with nothing changed, where ForgotPassword would be refused
   * (recovery by administrator only, no verified email or phone) and for users who have no
   * password of their own yet. Existing sessions are left alone, as in Cognito
   * (AdminUserGlobalSignOut ends them).
   */
  async resetUserPassword(poolId: string, name: string, clientMetadata?: Record<string, string>): Promise<void> {
    const { pool, user } = await this.userOf(poolId, name);
    if (user.status === 'FORCE_CHANGE_PASSWORD' || user.status === 'UNCONFIRMED') {
      throw new NotAuthorizedException('User password cannot be reset in the current state.');
    }
    const channel = passwordResetChannel(pool, user);
    // The code goes out before the status changes: a failed delivery leaves the user as they were.
    const code = await this.deps.codes.issue(user.id, 'forgot_password');
    await this.deps.delivery.sendForgotPassword(pool, user, channel, code, { triggerSource: 'CustomMessage_ForgotPassword', clientMetadata });
    await this.deps.users.update(pool, user.id, (current) => ({ ...current, status: 'RESET_REQUIRED' }));
  }

  /**
   * Any schema attribute, developer-only ones and the verified flags included (see
   * applyAdminAttributeWrite). In an alias pool, marking an email or phone number verified takes the
   * alias from any other user who holds it (that user's value becomes unverified), as Cognito does;
   * where the email or phone number is the username, another user's value is AliasExistsException.
   */
  async updateUserAttributes(poolId: string, name: string, attributes: AttributeType[], clientMetadata?: Record<string, string>): Promise<void> {
    const { pool, user } = await this.userOf(poolId, name);
    const write = checkAdminAttributeWrites(pool, attributes);
    // A dry run first: an invalid request must not take an alias from anyone.
    const planned = applyAdminAttributeWrite(pool, user, write);
    const aliases = pool.settings.AliasAttributes ?? [];
    for (const attribute of planned.newlyVerified) {
      if (aliases.includes(attribute)) await this.deps.users.releaseAlias(pool, attribute, planned.next.attributes[attribute]!, user.id);
    }
    let toVerify = planned.toVerify;
    const updated = await this.deps.users
      .update(pool, user.id, (current) => {
        const change = applyAdminAttributeWrite(pool, current, write);
        toVerify = change.toVerify;
        return change.next;
      })
      .catch((error: unknown) => {
        // The username never changes here, so a taken email or phone number is an alias conflict.
        if (error instanceof UsernameExistsException && error.message.startsWith('An account with the given')) {
          throw new AliasExistsException(error.message);
        }
        throw error;
      });
    for (const channel of toVerify) {
      const code = await this.deps.codes.issue(updated.id, `verify:${channel.attribute}`);
      const target = { ...updated, attributes: { ...updated.attributes, ...updated.pendingAttributes } };
      await this.deps.delivery.sendVerificationCode(pool, undefined, target, channel, code, {
        triggerSource: 'CustomMessage_UpdateUserAttribute',
        clientMetadata,
      });
    }
  }

  /** Required and immutable attributes cannot be deleted; an email or phone number takes its verified flag along. */
  async deleteUserAttributes(poolId: string, name: string, names: string[]): Promise<void> {
    const { pool, user } = await this.userOf(poolId, name);
    checkAttributeNames(pool, names);
    checkMutable(pool, names);
    await this.deps.users.update(pool, user.id, (current) => withoutAttributes(pool, current, names));
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
      await this.deps.delivery.sendInvitation(pool, user, medium as 'EMAIL' | 'SMS', input.Username!, temporaryPassword, {
        triggerSource: 'CustomMessage_AdminCreateUser',
        clientMetadata: input.ClientMetadata,
      });
    }
  }
}
