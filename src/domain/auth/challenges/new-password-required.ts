import { InvalidParameterException, NotAuthorizedException } from '../../../generated/exceptions.js';
import { checkSecretHash } from '../../clients/secret-hash.js';
import type { UserPool } from '../../user-pools/user-pool.js';
import type { UserDirectory } from '../../users/user-directory.js';
import type { User } from '../../users/user.js';
import { checkAttributeWrites, checkRequiredAttributes } from '../../users/attribute-rules.js';
import { checkPasswordPolicy } from '../../users/password-policy.js';
import { credentialFor } from '../../users/password-credentials.js';
import type { Clock } from '../../clock.js';
import type { AuthContext, AuthStep } from '../auth-service.js';
import type { SessionState } from '../auth-session.js';

const PREFIX = 'userAttributes.';

/**
 * NEW_PASSWORD_REQUIRED, for users created by an administrator with a temporary password. The
 * challenge lists the required attributes the user still lacks and the attributes they have;
 * the answer sets a password that meets the policy and fills those attributes.
 */
export function newPasswordChallenge(pool: UserPool, user: User): AuthStep {
  const required = pool.settings.SchemaAttributes.filter((a) => a.Required && a.Name !== 'sub' && !user.attributes[a.Name!]).map(
    (a) => `${PREFIX}${a.Name}`,
  );
  return {
    kind: 'challenge',
    name: 'NEW_PASSWORD_REQUIRED',
    parameters: {
      USER_ID_FOR_SRP: user.username,
      requiredAttributes: JSON.stringify(required),
      userAttributes: JSON.stringify(user.attributes),
    },
    state: { challenge: 'NEW_PASSWORD_REQUIRED', userId: user.id, signInName: user.username },
  };
}

export class NewPasswordChallenge {
  constructor(private readonly deps: { users: UserDirectory; clock: Clock }) {}

  async answer(ctx: AuthContext, responses: Record<string, string>, state: SessionState): Promise<AuthStep> {
    const newPassword = responses.NEW_PASSWORD;
    if (!newPassword) throw new InvalidParameterException('Missing required parameter NEW_PASSWORD');
    const user = state.userId ? await this.deps.users.byId(ctx.pool, state.userId) : undefined;
    if (!user || user.status !== 'FORCE_CHANGE_PASSWORD') throw new NotAuthorizedException('Invalid session for the user.');
    const named = responses.USERNAME;
    if (named !== undefined && named !== user.username && named !== state.signInName) {
      const byName = await this.deps.users.find(ctx.pool, named);
      if (byName?.id !== user.id) throw new NotAuthorizedException('Invalid session for the user.');
    }
    checkSecretHash(ctx.client, responses.SECRET_HASH, [named ?? user.username, user.username, state.signInName]);
    checkPasswordPolicy(ctx.pool.settings.Policies?.PasswordPolicy, newPassword);

    const given = Object.entries(responses)
      .filter(([key]) => key.startsWith(PREFIX))
      .map(([key, value]) => ({ Name: key.slice(PREFIX.length), Value: value }));
    const written = checkAttributeWrites(ctx.pool, given, ctx.admin ? 'admin' : 'self', ctx.client);
    for (const verified of ['email_verified', 'phone_number_verified']) delete written[verified];
    const credential = await credentialFor(ctx.pool, user.username, newPassword);
    const updated = await this.deps.users.update(ctx.pool, user.id, (current) => {
      const attributes = { ...current.attributes, ...written };
      checkRequiredAttributes(ctx.pool, attributes);
      return {
        ...current,
        attributes,
        password: credential,
        passwordSetAt: this.deps.clock.now(),
        status: 'CONFIRMED',
      };
    });
    return { kind: 'firstFactor', user: updated };
  }
}
