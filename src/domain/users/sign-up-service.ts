import type {
  CodeDeliveryDetailsType,
  ConfirmSignUpRequest,
  ResendConfirmationCodeRequest,
  SignUpRequest,
  SignUpResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  InvalidParameterException,
  NotAuthorizedException,
  UserNotFoundException,
} from '../../generated/exceptions.js';
import type { UserPool } from '../user-pools/user-pool.js';
import type { UserPoolClient } from '../clients/user-pool-client.js';
import type { UserPoolService } from '../user-pools/user-pool-service.js';
import type { UserPoolClientService } from '../clients/user-pool-client-service.js';
import { checkSecretHash } from '../clients/secret-hash.js';
import { resolvePublicCaller, unknownUserForCode } from './public-caller.js';
import { checkAttributeWrites, checkRequiredAttributes } from './attribute-rules.js';
import { checkPasswordPolicy } from './password-policy.js';
import { credentialFor } from './password-credentials.js';
import { resolveNewUserName } from './sign-in-names.js';
import type { UserDirectory } from './user-directory.js';
import type { VerificationCodes } from './verification-codes.js';
import { verificationChannel, type CodeDelivery } from './code-delivery.js';
import type { User } from './user.js';

export interface SignUpDeps {
  userPools: UserPoolService;
  clients: UserPoolClientService;
  users: UserDirectory;
  codes: VerificationCodes;
  delivery: CodeDelivery;
}

/** Self-service registration: SignUp, ConfirmSignUp, ResendConfirmationCode. */
export class SignUpService {
  constructor(private readonly deps: SignUpDeps) {}

  async signUp(input: SignUpRequest): Promise<SignUpResponse> {
    const { pool, client } = await this.deps.clients.resolvePublicClient(input.ClientId!);
    checkSecretHash(client, input.SecretHash, [input.Username!]);
    if (pool.settings.AdminCreateUserConfig?.AllowAdminCreateUserOnly) {
      throw new NotAuthorizedException('SignUp is not permitted for this user pool');
    }
    if (input.Password === undefined) {
      // DEVIATION: passwordless sign-up (Cognito's ESSENTIALS choice-based sign-in) is not built yet.
      throw new InvalidParameterException('Password is required.');
    }
    checkPasswordPolicy(pool.settings.Policies?.PasswordPolicy, input.Password);
    const written = checkAttributeWrites(pool, input.UserAttributes, 'self', client);
    for (const verified of ['email_verified', 'phone_number_verified']) delete written[verified];

    const sub = this.deps.users.newSub();
    const { username, attributes } = resolveNewUserName(pool, input.Username!, written, sub);
    checkRequiredAttributes(pool, attributes);
    const user = this.deps.users.newUser(pool, username, sub, attributes, 'UNCONFIRMED');
    user.password = await credentialFor(pool, username, input.Password);
    user.passwordSetAt = user.createdAt;
    await this.deps.users.insert(pool, user);

    let delivery: CodeDeliveryDetailsType | undefined;
    try {
      delivery = await this.sendConfirmationCode(pool, client, user);
    } catch (error) {
      // A sign-up whose code could not be sent is undone, so the name is free to try again.
      await this.deps.users.delete(pool, user.id).catch(() => undefined);
      throw error;
    }
    return { UserConfirmed: false, UserSub: sub, ...(delivery ? { CodeDeliveryDetails: delivery } : {}) };
  }

  async confirmSignUp(input: ConfirmSignUpRequest): Promise<void> {
    const { pool, client, user } = await resolvePublicCaller(this.deps, input.ClientId!, input.Username!, input.SecretHash);
    if (!user) throw unknownUserForCode(client);
    if (user.status !== 'UNCONFIRMED') {
      throw new NotAuthorizedException(`User cannot be confirmed. Current status is ${user.status}`);
    }
    const forceAlias = input.ForceAliasCreation === true;
    // An alias held by someone else is reported before the code is used up, so the user can
    // retry with ForceAliasCreation and the same code, as Cognito's documented flow does.
    await this.deps.codes.consume(user.id, 'sign_up', input.ConfirmationCode!, async () => {
      if (!forceAlias) await this.deps.users.checkAliasesFree(pool, this.asConfirmed(pool, user));
    });
    await this.confirm(pool, user, forceAlias);
  }

  /** The user as confirmation would leave it: the attribute the code went to, verified. */
  private asConfirmed(pool: UserPool, user: User): User {
    const channel = verificationChannel(pool, user);
    return channel ? { ...user, attributes: { ...user.attributes, [`${channel.attribute}_verified`]: 'true' } } : user;
  }

  async resendConfirmationCode(input: ResendConfirmationCodeRequest): Promise<CodeDeliveryDetailsType | undefined> {
    const { pool, client, user } = await resolvePublicCaller(this.deps, input.ClientId!, input.Username!, input.SecretHash);
    if (!user) {
      if (client.settings.PreventUserExistenceErrors === 'ENABLED') return this.plausibleDelivery(pool, input.Username!);
      throw new UserNotFoundException('Username/client id combination not found.');
    }
    if (user.status !== 'UNCONFIRMED') throw new InvalidParameterException('User is already confirmed.');
    const delivery = await this.sendConfirmationCode(pool, client, user);
    if (!delivery) {
      throw new InvalidParameterException('Auto verification not turned on.');
    }
    return delivery;
  }

  /**
   * Marks the user CONFIRMED and the attribute the code went to as verified. A verified alias that
   * another user already holds fails with AliasExistsException, unless `forceAlias` moves it.
   */
  async confirm(pool: UserPool, user: User, forceAlias: boolean): Promise<User> {
    const channel = verificationChannel(pool, user);
    if (channel && forceAlias) {
      await this.deps.users.releaseAlias(pool, channel.attribute, user.attributes[channel.attribute]!, user.id);
    }
    return this.deps.users.update(pool, user.id, (current) => ({
      ...current,
      status: current.status === 'UNCONFIRMED' ? 'CONFIRMED' : current.status,
      attributes: channel ? { ...current.attributes, [`${channel.attribute}_verified`]: 'true' } : current.attributes,
    }));
  }

  private async sendConfirmationCode(pool: UserPool, client: UserPoolClient, user: User): Promise<CodeDeliveryDetailsType | undefined> {
    const channel = verificationChannel(pool, user);
    if (!channel) return undefined;
    const code = await this.deps.codes.issue(user.id, 'sign_up');
    return this.deps.delivery.sendVerificationCode(pool, client, user, channel, code);
  }

  /** For an unknown user under PreventUserExistenceErrors: details shaped like a real delivery. */
  private plausibleDelivery(pool: UserPool, name: string): CodeDeliveryDetailsType | undefined {
    return this.deps.delivery.plausibleDetails(pool, name);
  }
}
