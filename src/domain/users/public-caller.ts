import { CodeMismatchException, UserNotFoundException } from '../../generated/exceptions.js';
import type { UserPoolClientService } from '../clients/user-pool-client-service.js';
import type { UserPoolClient } from '../clients/user-pool-client.js';
import { checkSecretHash } from '../clients/secret-hash.js';
import type { UserPool } from '../user-pools/user-pool.js';
import type { UserDirectory } from './user-directory.js';
import type { User } from './user.js';

export interface PublicCaller {
  pool: UserPool;
  client: UserPoolClient;
  /** Undefined when nobody has the name; the caller decides how much to reveal. */
  user?: User;
}

/**
 * The common start of the public user operations (ConfirmSignUp, ForgotPassword, …): the client and
 * its pool from the ClientId, the user the name refers to, and the client's SECRET_HASH, which may
 * be computed over the name sent or the internal username.
 */
export async function resolvePublicCaller(
  deps: { clients: UserPoolClientService; users: UserDirectory },
  clientId: string,
  name: string,
  secretHash: string | undefined,
): Promise<PublicCaller> {
  const { pool, client } = await deps.clients.resolvePublicClient(clientId);
  const user = await deps.users.find(pool, name);
  checkSecretHash(client, secretHash, [name, ...(user ? [user.username] : [])]);
  return { pool, client, ...(user ? { user } : {}) };
}

/**
 * A code presented for a name nobody has: indistinguishable from a wrong code when the client hides
 * user existence, Cognito's "not found" otherwise.
 */
export function unknownUserForCode(client: UserPoolClient): Error {
  return client.settings.PreventUserExistenceErrors === 'ENABLED'
    ? new CodeMismatchException('Invalid verification code provided, please try again.')
    : new UserNotFoundException('Username/client id combination not found.');
}
