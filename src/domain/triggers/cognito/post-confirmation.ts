import type { UserPool } from '../../user-pools/user-pool.js';
import type { User } from '../../users/user.js';
import { optionalMap, type Triggers } from '../triggers.js';
import { eventAttributes } from './user-attributes.js';

// Post confirmation: https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-post-confirmation.html
// The response is empty; a failure fails the API call.
// DEVIATION: Frontdesk runs it before the confirmation is written (and, for codes, before the code
// is used up), so a failing function leaves the user as they were and the code valid for a retry;
// Cognito confirms the user and then reports the function's error. An auto-confirming PreSignUp
// (no code) creates the user, runs this trigger, and removes the user again if it fails.

export async function runPostConfirmation(
  triggers: Triggers,
  pool: UserPool,
  input: {
    triggerSource: 'PostConfirmation_ConfirmSignUp' | 'PostConfirmation_ConfirmForgotPassword';
    /** The user as the confirmation leaves them. */
    user: Pick<User, 'id' | 'username' | 'attributes' | 'status'>;
    clientId: string | undefined;
    clientMetadata: Record<string, string> | undefined;
  },
): Promise<void> {
  const arn = triggers.arnOf(pool, 'PostConfirmation');
  if (!arn) return;
  await triggers.run(pool, 'PostConfirmation', arn, {
    userName: input.user.username,
    clientId: input.clientId,
    triggerSource: input.triggerSource,
    request: { userAttributes: eventAttributes(input.user), ...optionalMap('clientMetadata', input.clientMetadata) },
    response: {},
  });
}
