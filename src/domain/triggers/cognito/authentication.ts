import type { UserPool } from '../../user-pools/user-pool.js';
import type { User } from '../../users/user.js';
import { optionalMap, type Triggers } from '../triggers.js';
import { eventAttributes } from './user-attributes.js';

// Pre authentication: https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-authentication.html
// Post authentication: https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-post-authentication.html

/**
 * PreAuthentication_Authentication: when a sign-in starts (InitiateAuth / AdminInitiateAuth with a
 * password, SRP or custom flow; not refreshes). The ClientMetadata of the call arrives as
 * validationData. For a user who does not exist it runs only where the client hides existence
 * (PreventUserExistenceErrors ENABLED), with userNotFound: true.
 */
export async function runPreAuthentication(
  triggers: Triggers,
  pool: UserPool,
  input: { userName: string; user: User | undefined; clientId: string; clientMetadata: Record<string, string> | undefined },
): Promise<void> {
  const arn = triggers.arnOf(pool, 'PreAuthentication');
  if (!arn) return;
  await triggers.run(pool, 'PreAuthentication', arn, {
    userName: input.user?.username ?? input.userName,
    clientId: input.clientId,
    triggerSource: 'PreAuthentication_Authentication',
    request: {
      userAttributes: input.user ? eventAttributes(input.user) : {},
      validationData: input.clientMetadata ?? null,
      ...(input.user ? {} : { userNotFound: true }),
    },
    response: {},
  });
}

/**
 * PostAuthentication_Authentication: after the user has proven every factor, before tokens are
 * issued; a failing function fails the sign-in.
 */
export async function runPostAuthentication(
  triggers: Triggers,
  pool: UserPool,
  input: { user: User; clientId: string; clientMetadata: Record<string, string> | undefined; newDeviceUsed: boolean },
): Promise<void> {
  const arn = triggers.arnOf(pool, 'PostAuthentication');
  if (!arn) return;
  await triggers.run(pool, 'PostAuthentication', arn, {
    userName: input.user.username,
    clientId: input.clientId,
    triggerSource: 'PostAuthentication_Authentication',
    request: { userAttributes: eventAttributes(input.user), newDeviceUsed: input.newDeviceUsed, ...optionalMap('clientMetadata', input.clientMetadata) },
    response: {},
  });
}
