import { createPasswordVerifierAsync, passwordMatchesVerifierAsync } from '../../crypto/srp/srp-pool.js';
import { hashPassword, verifyPassword } from '../../crypto/password-hash.js';
import type { UserPool } from '../user-pools/user-pool.js';
import type { PasswordCredential, User } from './user.js';
import { importedPasswordMatches } from './transfer/imported-credentials.js';

/** The part of the pool id after the region, which Cognito's SRP mixes into every verifier. */
export const poolShortName = (poolId: string) => poolId.slice(poolId.indexOf('_') + 1);

/**
 * SRP pools (all Cognito pools) keep the SRP verifier — sealed by the store — and check plain
 * passwords against it too; pools with SRP turned off (a Frontdesk extension) keep Argon2id.
 */
export async function credentialFor(pool: UserPool, username: string, password: string): Promise<PasswordCredential> {
  if (pool.settings.FrontdeskOptions?.SrpDisabled) return { kind: 'argon2id', hash: await hashPassword(password) };
  const { salt, verifier } = await createPasswordVerifierAsync(poolShortName(pool.id), username, password);
  return { kind: 'srp', salt, verifier };
}

export async function passwordMatches(pool: UserPool, user: User, password: string): Promise<boolean> {
  const credential = user.password;
  if (!credential) return false;
  if (credential.kind === 'argon2id') return verifyPassword(credential.hash, password);
  if (credential.kind === 'imported') return importedPasswordMatches(credential, user.username, password);
  return passwordMatchesVerifierAsync(poolShortName(pool.id), user.username, password, credential.salt, credential.verifier);
}
