import { hash, parseOptions, verify, type Algorithm, type Options } from '@node-rs/argon2';

/**
 * Argon2id password hashes, for pools that turn SRP off (with SRP on, the encrypted SRP
 * verifier is the password record; see ARCHITECTURE.md "Security baseline").
 *
 * Parameters: OWASP Password Storage Cheat Sheet, first Argon2id configuration —
 * m = 19 MiB (19456 KiB), t = 2 iterations, p = 1 — with a 16-byte random salt and a 32-byte
 * output, encoded as a PHC string (`$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`), so the
 * parameters travel with each hash and can be raised later (see `needsRehash`). Hashing runs on
 * libuv's thread pool, not the event loop.
 */

// @node-rs/argon2 declares these as `const enum`s that are empty objects at run time, so the
// numeric values are spelled out (Argon2id = 2, Version 0x13 = 1).
const ARGON2ID = 2 as Algorithm;

export const PASSWORD_HASH_PARAMETERS = Object.freeze({
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
  outputLen: 32,
});

const OPTIONS: Options = { ...PASSWORD_HASH_PARAMETERS, algorithm: ARGON2ID };

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/**
 * Constant-time check (the library compares the derived hash in constant time). A stored value
 * that is not an Argon2 PHC string is a data bug and throws rather than reading as a wrong
 * password.
 */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  if (!passwordHash.startsWith('$argon2')) throw new Error('stored password hash is not an Argon2 PHC string');
  return verify(passwordHash, password);
}

/** True when the hash was made with other (older, weaker) parameters: rehash after a successful sign-in. */
export function needsRehash(passwordHash: string): boolean {
  let parsed;
  try {
    parsed = parseOptions(passwordHash);
  } catch {
    return true;
  }
  return (
    parsed.algorithm !== ARGON2ID ||
    parsed.version !== 1 ||
    parsed.memoryCost !== PASSWORD_HASH_PARAMETERS.memoryCost ||
    parsed.timeCost !== PASSWORD_HASH_PARAMETERS.timeCost ||
    parsed.parallelism !== PASSWORD_HASH_PARAMETERS.parallelism ||
    parsed.outputLen !== PASSWORD_HASH_PARAMETERS.outputLen ||
    parsed.saltLen < 16
  );
}

let decoyHash: Promise<string> | undefined;

/**
 * Spends the same time as `verifyPassword` for a user that does not exist, so sign-in timing
 * does not reveal which usernames exist (PreventUserExistenceErrors = ENABLED). Always false.
 */
export async function verifyPasswordForUnknownUser(password: string): Promise<false> {
  decoyHash ??= hashPassword('frontdesk decoy password');
  await verify(await decoyHash, password);
  return false;
}
