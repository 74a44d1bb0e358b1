import type {
  AttributeType,
  CodeDeliveryDetailsType,
  GetUserResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import { InvalidParameterException, LimitExceededException, NotAuthorizedException } from '../../generated/exceptions.js';
import type { TokenService } from '../tokens/token-service.js';
import type { UserPoolClientService } from '../clients/user-pool-client-service.js';
import type { UserPool } from '../user-pools/user-pool.js';
import type { Lockout } from '../auth/lockout.js';
import type { Clock } from '../clock.js';
import type { AccessTokenCaller, AccessTokenGuard } from './access-token-guard.js';
import { checkAttributeWrites, checkMutable, checkRequiredAttributes } from './attribute-rules.js';
import type { CodeDelivery, VerificationChannel } from './code-delivery.js';
import { checkPasswordPolicy } from './password-policy.js';
import { credentialFor, passwordMatches } from './password-credentials.js';
import type { UserDirectory } from './user-directory.js';
import { toGetUser } from './user-views.js';
import type { VerificationCodes } from './verification-codes.js';
import type { MessageContext } from '../triggers/cognito/custom-message.js';
import type { User } from './user.js';
import type { AccountEvents } from '../risk/account-events.js';
import type { RequestOrigin } from '../auth/auth-service.js';

const VERIFIABLE: Record<string, VerificationChannel> = {
  email: { medium: 'EMAIL', attribute: 'email' },
  phone_number: { medium: 'SMS', attribute: 'phone_number' },
};

export interface SelfServiceDeps {
  guard: AccessTokenGuard;
  clients: UserPoolClientService;
  users: UserDirectory;
  codes: VerificationCodes;
  delivery: CodeDelivery;
  tokens: TokenService;
  lockout: Lockout;
  clock: Clock;
  /** Threat protection: the compromised-credentials check (PASSWORD_CHANGE) and PasswordChange events. */
  accountEvents?: AccountEvents;
}

/** What a signed-in user does with their access token. */
export class SelfService {
  constructor(private readonly deps: SelfServiceDeps) {}

  async getUser(accessToken: string): Promise<GetUserResponse> {
    const caller = await this.deps.guard.authenticate(accessToken);
    return toGetUser(caller.user, await this.clientOf(caller));
  }

  /**
   * Changes attributes. A changed email or phone number loses its verified flag and, when the pool
   * auto-verifies it, gets a code; with AttributesRequireVerificationBeforeUpdate the old value
   * stays in force until the new one is verified.
   */
  async updateUserAttributes(accessToken: string, attributes: AttributeType[], clientMetadata?: Record<string, string>): Promise<CodeDeliveryDetailsType[]> {
    const caller = await this.deps.guard.authenticate(accessToken);
    const client = await this.clientOf(caller);
    const written = checkAttributeWrites(caller.pool, attributes, 'self', client);
    for (const verified of ['email_verified', 'phone_number_verified']) {
      if (verified in written) throw new NotAuthorizedException('A client attempted to write unauthorized attribute');
    }
    checkMutable(caller.pool, Object.keys(written));
    const holdUntilVerified = new Set<string>(caller.pool.settings.UserAttributeUpdateSettings?.AttributesRequireVerificationBeforeUpdate ?? []);
    const autoVerified = new Set<string>(caller.pool.settings.AutoVerifiedAttributes ?? []);
    const toVerify: VerificationChannel[] = [];

    const updated = await this.deps.users.update(caller.pool, caller.user.id, (user) => {
      const next: User = { ...user, attributes: { ...user.attributes }, pendingAttributes: { ...user.pendingAttributes } };
      for (const [name, value] of Object.entries(written)) {
        const channel = VERIFIABLE[name];
        if (channel && user.attributes[name] === value) continue;
        if (channel && holdUntilVerified.has(name) && user.attributes[`${name}_verified`] === 'true') {
          next.pendingAttributes![name] = value;
        } else {
          next.attributes[name] = value;
          if (channel) {
            next.attributes[`${name}_verified`] = 'false';
            delete next.pendingAttributes![name];
          }
        }
        if (channel && autoVerified.has(name)) toVerify.push(channel);
      }
      checkRequiredAttributes(caller.pool, next.attributes);
      return next;
    });

    const deliveries: CodeDeliveryDetailsType[] = [];
    for (const channel of toVerify) {
      deliveries.push(
        await this.sendAttributeCode(caller.pool, client, updated, channel, { triggerSource: 'CustomMessage_UpdateUserAttribute', clientId: client?.id, clientMetadata }),
      );
    }
    return deliveries;
  }

  async deleteUserAttributes(accessToken: string, names: string[]): Promise<void> {
    const caller = await this.deps.guard.authenticate(accessToken);
    const client = await this.clientOf(caller);
    checkAttributeWrites(caller.pool, names.map((Name) => ({ Name, Value: '' })), 'self', client);
    checkMutable(caller.pool, names);
    await this.deps.users.update(caller.pool, caller.user.id, (user) => {
      const attributes = { ...user.attributes };
      for (const name of names) {
        delete attributes[name];
        if (VERIFIABLE[name]) delete attributes[`${name}_verified`];
      }
      checkRequiredAttributes(caller.pool, attributes);
      return { ...user, attributes };
    });
  }

  async getUserAttributeVerificationCode(
    accessToken: string,
    attributeName: string,
    clientMetadata?: Record<string, string>,
  ): Promise<CodeDeliveryDetailsType> {
    const caller = await this.deps.guard.authenticate(accessToken);
    const channel = VERIFIABLE[attributeName];
    if (!channel) throw new InvalidParameterException(`Attribute ${attributeName} cannot be verified.`);
    const value = caller.user.pendingAttributes?.[attributeName] ?? caller.user.attributes[attributeName];
    if (!value) throw new InvalidParameterException(`The user has no ${attributeName} to verify.`);
    const client = await this.clientOf(caller);
    return this.sendAttributeCode(caller.pool, client, caller.user, channel, {
      triggerSource: 'CustomMessage_VerifyUserAttribute',
      clientId: client?.id,
      clientMetadata,
    });
  }

  /** Proves an email or phone number: it becomes verified (and, if it was pending, takes effect). */
  async verifyUserAttribute(accessToken: string, attributeName: string, code: string): Promise<void> {
    const caller = await this.deps.guard.authenticate(accessToken);
    if (!VERIFIABLE[attributeName]) throw new InvalidParameterException(`Attribute ${attributeName} cannot be verified.`);
    const verified = (user: User): User => {
      const attributes = { ...user.attributes };
      const pendingAttributes = { ...user.pendingAttributes };
      if (pendingAttributes[attributeName] !== undefined) {
        attributes[attributeName] = pendingAttributes[attributeName]!;
        delete pendingAttributes[attributeName];
      }
      attributes[`${attributeName}_verified`] = 'true';
      return { ...user, attributes, pendingAttributes };
    };
    // An alias another account holds is reported before the code is used up (AliasExistsException).
    await this.deps.codes.consume(caller.user.id, `verify:${attributeName}`, code, () =>
      this.deps.users.checkAliasesFree(caller.pool, verified(caller.user)),
    );
    await this.deps.users.update(caller.pool, caller.user.id, verified);
  }

  async changePassword(accessToken: string, previousPassword: string | undefined, proposedPassword: string, origin: RequestOrigin = {}): Promise<void> {
    const caller = await this.deps.guard.authenticate(accessToken);
    const { pool, user } = caller;
    const activity = { pool, clientId: caller.clientId, ...origin };
    // The same back-off as sign-in, but ChangePassword reports it as Cognito does here.
    await this.deps.lockout.check(pool.id, user.id).catch((error: unknown) => {
      if (error instanceof NotAuthorizedException) throw new LimitExceededException('Attempt limit exceeded, please try after some time.');
      throw error;
    });
    if (previousPassword === undefined || !(await passwordMatches(pool, user, previousPassword))) {
      await this.deps.lockout.recordFailure(pool.id, user.id);
      await this.deps.accountEvents?.record(activity, user, 'PasswordChange', { eventResponse: 'Fail', signals: ['wrong previous password'] });
      throw new NotAuthorizedException('Incorrect username or password.');
    }
    checkPasswordPolicy(pool.settings.Policies?.PasswordPolicy, proposedPassword);
    const finding = await this.deps.accountEvents?.checkChosenPassword(activity, 'PASSWORD_CHANGE', proposedPassword, { user, eventType: 'PasswordChange' });
    const credential = await credentialFor(pool, user.username, proposedPassword);
    await this.deps.users.update(pool, user.id, (current) => ({
      ...current,
      password: credential,
      passwordSetAt: this.deps.clock.now(),
    }));
    await this.deps.lockout.recordSuccess(pool.id, user.id);
    if (finding) await this.deps.accountEvents?.recordWithFinding(activity, user, 'PasswordChange', finding);
  }

  async deleteUser(accessToken: string): Promise<void> {
    const caller = await this.deps.guard.authenticate(accessToken);
    // Deleting the user deletes its token families, so every token it holds stops working.
    await this.deps.users.delete(caller.pool, caller.user.id);
  }

  async globalSignOut(accessToken: string): Promise<void> {
    const caller = await this.deps.guard.authenticate(accessToken);
    await this.deps.tokens.revokeAllForUser(caller.user.id);
  }

  private async sendAttributeCode(
    pool: UserPool,
    client: Awaited<ReturnType<SelfService['clientOf']>>,
    user: User,
    channel: VerificationChannel,
    context: MessageContext,
  ): Promise<CodeDeliveryDetailsType> {
    const code = await this.deps.codes.issue(user.id, `verify:${channel.attribute}`);
    const target = { ...user, attributes: { ...user.attributes, ...user.pendingAttributes } };
    return this.deps.delivery.sendVerificationCode(pool, client, target, channel, code, context);
  }

  private async clientOf(caller: AccessTokenCaller) {
    return this.deps.clients.find(caller.pool.id, caller.clientId);
  }
}
