import { NotAuthorizedException, UserNotFoundException } from '../../generated/exceptions.js';
import type { UserPoolClient } from '../clients/user-pool-client.js';

/** Cognito's answer to a name nobody has: hidden behind "Incorrect username or password." when the client asks. */
export function unknownUserError(client: UserPoolClient): Error {
  return client.settings.PreventUserExistenceErrors === 'ENABLED'
    ? new NotAuthorizedException('Incorrect username or password.')
    : new UserNotFoundException('User does not exist.');
}
