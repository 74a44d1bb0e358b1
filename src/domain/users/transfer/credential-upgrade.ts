import type { UserPool } from '../../user-pools/user-pool.js';
import { credentialFor } from '../password-credentials.js';
import type { UserDirectory } from '../user-directory.js';
import type { User } from '../user.js';

/**
 * After a plain-password sign-in proved an imported credential (a bcrypt, scrypt, Argon2id or
 * PBKDF2 hash from another system, or an SRP verifier made for another pool), replaces it with the
 * pool's own credential made from the password just proven: the SRP verifier (so USER_SRP_AUTH
 * works from now on) or, in pools with SRP off, Frontdesk's Argon2id hash. The password and its
 * set date stay what they were.
 *
 * The write is conditional on the imported credential still being there, so a password changed
 * meanwhile is never overwritten. A failed upgrade does not fail the sign-in that was proven: the
 * next sign-in tries again.
 */
export async function upgradeImportedCredential(users: UserDirectory, pool: UserPool, user: User, password: string): Promise<User> {
  const imported = user.password;
  if (imported?.kind !== 'imported') return user;
  try {
    const fresh = await credentialFor(pool, user.username, password);
    return await users.update(pool, user.id, (current) => {
      const still = current.password?.kind === 'imported' && current.password.encoded === imported.encoded;
      return still ? { ...current, password: fresh } : current;
    });
  } catch {
    return user;
  }
}
