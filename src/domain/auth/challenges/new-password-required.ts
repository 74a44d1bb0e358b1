import { InvalidParameterException, NotAuthorizedException } from '../../../generated/exceptions.js';
import { checkSecretHash } from '../../clients/secret-hash.js';
import type { UserPool } from '../../user-pools/user-pool.js';
import type { UserDirectory } from '../../users/user-directory.js';
import type { User } from '../../users/user.js';
import { checkAttributeWrites, missingRequiredAttributes } from '../../users/attribute-rules.js';
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

/**
 * Threat protection's view of the password chosen here (a password change): `check` runs before
 * anything is written and may refuse it; `changed` runs once it is set.
 */
export interface ChosenPasswordWatcher {
  check(ctx: AuthContext, user: User, password: string): Promise<{ compromised: boolean; signals: string[] } | undefined>;
  changed(ctx: AuthContext, user: User, finding: { compromised: boolean; signals: string[] }): Promise<void>;
}

export class NewPasswordChallenge {
  private readonly watchers: ChosenPasswordWatcher[] = [];

  constructor(private readonly deps: { users: UserDirectory; clock: Clock }) {}

  watchChosenPasswords(watcher: ChosenPasswordWatcher): void {
    this.watchers.push(watcher);
  }

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
    const findings = [];
    for (const watcher of this.watchers) findings.push({ watcher, finding: await watcher.check(ctx, user, newPassword) });
    // The sign-in this answer completes is logged with the finding too.
    if (findings.some((f) => f.finding?.compromised)) ctx.compromisedCredentials = true;

    const given = Object.entries(responses)
      .filter(([key]) => key.startsWith(PREFIX))
      .map(([key, value]) => ({ Name: key.slice(PREFIX.length), Value: value }));
    const written = checkAttributeWrites(ctx.pool, given, ctx.admin ? 'admin' : 'self', ctx.client);
    // Cognito: a required attribute that already has a value cannot be changed here. Sending the
    // same value back (as client libraries' examples do) changes nothing and is accepted.
    for (const attribute of ctx.pool.settings.SchemaAttributes) {
      const name = attribute.Name!;
      if (attribute.Required && user.attributes[name] && written[name] !== undefined && written[name] !== user.attributes[name]) {
        throw new NotAuthorizedException(`Cannot modify an already provided ${name}`);
      }
    }
    for (const verified of ['email_verified', 'phone_number_verified']) delete written[verified];
    checkChallengeAttributes(ctx.pool, { ...user.attributes, ...written });
    const credential = await credentialFor(ctx.pool, user.username, newPassword);
    const updated = await this.deps.users.update(ctx.pool, user.id, (current) => {
      const attributes = { ...current.attributes, ...written };
      checkChallengeAttributes(ctx.pool, attributes);
      return {
        ...current,
        attributes,
        password: credential,
        passwordSetAt: this.deps.clock.now(),
        status: 'CONFIRMED',
      };
    });
    for (const { watcher, finding } of findings) if (finding) await watcher.changed(ctx, updated, finding);
    return { kind: 'firstFactor', user: updated };
  }
}

/**
 * The challenge's own wording for required attributes still missing from the answer (observed
 * from Cognito: "Invalid attributes given, name is missing", "…, name and address is missing"),
 * unlike SignUp's "Attributes did not conform to the schema".
 */
function checkChallengeAttributes(pool: UserPool, attributes: Record<string, string>): void {
  const missing = missingRequiredAttributes(pool, attributes);
  if (missing.length === 0) return;
  const list = missing.length === 1 ? missing[0] : `${missing.slice(0, -1).join(', ')} and ${missing[missing.length - 1]}`;
  throw new InvalidParameterException(`Invalid attributes given, ${list} is missing`);
}
