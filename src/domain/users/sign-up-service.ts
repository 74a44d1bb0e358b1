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
import type { Triggers } from '../triggers/triggers.js';
import { attributeMap, runPreSignUp } from '../triggers/cognito/pre-sign-up.js';
import { runPostConfirmation } from '../triggers/cognito/post-confirmation.js';
import type { MessageContext } from '../triggers/cognito/custom-message.js';
import type { AccountEvents } from '../risk/account-events.js';
import type { RequestOrigin } from '../auth/auth-service.js';

export interface SignUpDeps {
  userPools: UserPoolService;
  clients: UserPoolClientService;
  users: UserDirectory;
  codes: VerificationCodes;
  delivery: CodeDelivery;
  /** Lambda triggers (PreSignUp, PostConfirmation); none configured when absent. */
  triggers?: Triggers;
  /** Threat protection: the compromised-credentials check (SIGN_UP) and the SignUp / ResendCode events. */
  accountEvents?: AccountEvents;
}

/** Self-service registration: SignUp, ConfirmSignUp, ResendConfirmationCode. */
export class SignUpService {
  constructor(private readonly deps: SignUpDeps) {}

  async signUp(input: SignUpRequest, origin: RequestOrigin = {}): Promise<SignUpResponse> {
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
    const activity = { pool, clientId: client.id, ...origin };
    const finding = await this.deps.accountEvents?.checkChosenPassword(activity, 'SIGN_UP', input.Password);
    const written = checkAttributeWrites(pool, input.UserAttributes, 'self', client);
    for (const verified of ['email_verified', 'phone_number_verified']) delete written[verified];

    const sub = this.deps.users.newSub();
    const { username, attributes } = resolveNewUserName(pool, input.Username!, written, sub);
    checkRequiredAttributes(pool, attributes);
    // PreSignUp runs before anything is written: a refusal leaves no trace.
    const decision = this.deps.triggers
      ? await runPreSignUp(this.deps.triggers, pool, {
          triggerSource: 'PreSignUp_SignUp',
          userName: username,
          clientId: client.id,
          userAttributes: attributes,
          validationData: attributeMap(input.ValidationData),
          clientMetadata: input.ClientMetadata,
        })
      : undefined;
    const confirmed = decision?.autoConfirmUser === true;
    const user = this.deps.users.newUser(pool, username, sub, attributes, confirmed ? 'CONFIRMED' : 'UNCONFIRMED');
    if (decision?.autoVerifyEmail && attributes.email) user.attributes.email_verified = 'true';
    if (decision?.autoVerifyPhone && attributes.phone_number) user.attributes.phone_number_verified = 'true';
    user.password = await credentialFor(pool, username, input.Password);
    user.passwordSetAt = user.createdAt;
    await this.deps.users.insert(pool, user);

    let delivery: CodeDeliveryDetailsType | undefined;
    try {
      if (confirmed) {
        // Auto-confirmed: no code; the user is confirmed now, so PostConfirmation runs now.
        if (this.deps.triggers) {
          await runPostConfirmation(this.deps.triggers, pool, {
            triggerSource: 'PostConfirmation_ConfirmSignUp',
            user,
            clientId: client.id,
            clientMetadata: input.ClientMetadata,
          });
        }
      } else {
        delivery = await this.sendConfirmationCode(pool, client, user, { triggerSource: 'CustomMessage_SignUp', clientId: client.id, clientMetadata: input.ClientMetadata });
      }
    } catch (error) {
      // A sign-up whose code could not be sent (or whose PostConfirmation failed) is undone, so
      // the name is free to try again.
      await this.deps.users.delete(pool, user.id).catch(() => undefined);
      throw error;
    }
    if (finding) await this.deps.accountEvents?.recordWithFinding(activity, user, 'SignUp', finding);
    return { UserConfirmed: confirmed, UserSub: sub, ...(delivery ? { CodeDeliveryDetails: delivery } : {}) };
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
      // Before the code is used up: a failing PostConfirmation leaves code and user for a retry.
      if (this.deps.triggers) {
        await runPostConfirmation(this.deps.triggers, pool, {
          triggerSource: 'PostConfirmation_ConfirmSignUp',
          user: { ...this.asConfirmed(pool, user), status: 'CONFIRMED' },
          clientId: client.id,
          clientMetadata: input.ClientMetadata,
        });
      }
    });
    await this.confirm(pool, user, forceAlias);
  }

  /** The user as confirmation would leave it: the attribute the code went to, verified. */
  private asConfirmed(pool: UserPool, user: User): User {
    const channel = verificationChannel(pool, user);
    return channel ? { ...user, attributes: { ...user.attributes, [`${channel.attribute}_verified`]: 'true' } } : user;
  }

  async resendConfirmationCode(input: ResendConfirmationCodeRequest, origin: RequestOrigin = {}): Promise<CodeDeliveryDetailsType | undefined> {
    const { pool, client, user } = await resolvePublicCaller(this.deps, input.ClientId!, input.Username!, input.SecretHash);
    if (!user) {
      if (client.settings.PreventUserExistenceErrors === 'ENABLED') return this.plausibleDelivery(pool, input.Username!);
      throw new UserNotFoundException('Username/client id combination not found.');
    }
    if (user.status !== 'UNCONFIRMED') throw new InvalidParameterException('User is already confirmed.');
    const delivery = await this.sendConfirmationCode(pool, client, user, {
      triggerSource: 'CustomMessage_ResendCode',
      clientId: client.id,
      clientMetadata: input.ClientMetadata,
    });
    if (!delivery) {
      throw new InvalidParameterException('Auto verification not turned on.');
    }
    await this.deps.accountEvents?.record({ pool, clientId: client.id, ...origin }, user, 'ResendCode');
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

  private async sendConfirmationCode(
    pool: UserPool,
    client: UserPoolClient,
    user: User,
    context: MessageContext,
  ): Promise<CodeDeliveryDetailsType | undefined> {
    const channel = verificationChannel(pool, user);
    if (!channel) return undefined;
    const code = await this.deps.codes.issue(user.id, 'sign_up');
    return this.deps.delivery.sendVerificationCode(pool, client, user, channel, code, context);
  }

  /** For an unknown user under PreventUserExistenceErrors: details shaped like a real delivery. */
  private plausibleDelivery(pool: UserPool, name: string): CodeDeliveryDetailsType | undefined {
    return this.deps.delivery.plausibleDetails(pool, name);
  }
}
