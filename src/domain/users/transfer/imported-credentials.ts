import { needsRehash } from '../../../crypto/password-hash.js';
import { parseImportedHash, verifyImportedHash, InvalidImportedHashError, type ImportedHashScheme } from '../../../crypto/imported-password-hash.js';
import { passwordMatchesVerifierAsync } from '../../../crypto/srp/srp-pool.js';
import { N, parseHex } from '../../../crypto/srp/group.js';
import type { UserPool } from '../../user-pools/user-pool.js';
import { poolShortName } from '../password-credentials.js';
import type { PasswordCredential } from '../user.js';
import type { TransferPassword } from './transfer-format.js';

// Password credentials in and out of the transfer format. What an import keeps as it is (the pool's
// own kind of credential) and what it holds as `imported` until the next password sign-in
// replaces it (credential-upgrade.ts):
//
//   SRP verifier made for a pool of this pool's short name  → the pool's own SRP credential
//   SRP verifier made for another pool name                 → imported (the name is mixed into it)
//   Argon2id hash with Frontdesk's parameters, SRP-off pool → the pool's own Argon2id credential
//   any other accepted hash                                  → imported

type Imported = Extract<PasswordCredential, { kind: 'imported' }>;

const POOL_NAME = /^[0-9a-zA-Z]{1,55}$/;
const HEX = /^[0-9a-fA-F]+$/;

/** The credential an import stores for a record's Password; throws InvalidImportedHashError. */
export function credentialFromTransfer(pool: UserPool, password: unknown): PasswordCredential {
  if (typeof password !== 'object' || password === null || Array.isArray(password)) {
    throw new InvalidImportedHashError('Password must be an object with Type SRP or HASH.');
  }
  const p = password as Record<string, unknown>;
  if (p.Type === 'SRP') {
    const { PoolName: name, Salt: salt, Verifier: verifier } = p;
    if (typeof name !== 'string' || !POOL_NAME.test(name)) throw new InvalidImportedHashError('Password.PoolName must be a pool short name (letters and digits).');
    if (typeof salt !== 'string' || !HEX.test(salt) || salt.length > 256) throw new InvalidImportedHashError('Password.Salt must be hex (at most 256 digits).');
    if (typeof verifier !== 'string' || !HEX.test(verifier) || verifier.length < 64 || verifier.length > 770) {
      throw new InvalidImportedHashError('Password.Verifier must be a 3072-bit SRP verifier in hex.');
    }
    // A verifier of 0, 1 or N-1 (mod N) would make the SRP session key guessable without the password.
    const v = parseHex(verifier);
    if (v === undefined || v % N <= 1n || v % N === N - 1n) throw new InvalidImportedHashError('Password.Verifier is not a usable SRP verifier.');
    if (parseHex(salt) === undefined || parseHex(salt) === 0n) throw new InvalidImportedHashError('Password.Salt must be a non-zero hex number.');
    if (name === poolShortName(pool.id)) return { kind: 'srp', salt: salt.toLowerCase(), verifier: verifier.toLowerCase() };
    return { kind: 'imported', scheme: 'srp', encoded: `${name}$${salt.toLowerCase()}$${verifier.toLowerCase()}` };
  }
  if (p.Type === 'HASH') {
    const hash = parseImportedHash(p.Hash);
    if (hash.scheme === 'argon2id' && pool.settings.FrontdeskOptions?.SrpDisabled && !needsRehash(hash.encoded)) {
      return { kind: 'argon2id', hash: hash.encoded };
    }
    return { kind: 'imported', scheme: hash.scheme, encoded: hash.encoded };
  }
  throw new InvalidImportedHashError('Password.Type must be SRP or HASH.');
}

/** A stored credential as the transfer format writes it (unsealed: the export is a secret). */
export function credentialToTransfer(pool: UserPool, credential: PasswordCredential, setAt: Date | undefined): TransferPassword {
  const setDate = setAt ? { SetDate: setAt.toISOString() } : {};
  switch (credential.kind) {
    case 'srp':
      return { Type: 'SRP', PoolName: poolShortName(pool.id), Salt: credential.salt, Verifier: credential.verifier, ...setDate };
    case 'argon2id':
      return { Type: 'HASH', Hash: credential.hash, ...setDate };
    case 'imported': {
      if (credential.scheme !== 'srp') return { Type: 'HASH', Hash: credential.encoded, ...setDate };
      const [poolName = '', salt = '', verifier = ''] = credential.encoded.split('$');
      return { Type: 'SRP', PoolName: poolName, Salt: salt, Verifier: verifier, ...setDate };
    }
  }
}

/** Checks a plain password against an imported credential, off the event loop. */
export async function importedPasswordMatches(credential: Imported, username: string, password: string): Promise<boolean> {
  if (credential.scheme === 'srp') {
    const [poolName = '', salt = '', verifier = ''] = credential.encoded.split('$');
    return passwordMatchesVerifierAsync(poolName, username, password, salt, verifier);
  }
  return verifyImportedHash({ scheme: credential.scheme as ImportedHashScheme, encoded: credential.encoded }, password);
}
