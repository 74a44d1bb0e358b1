import { hash } from '@node-rs/argon2';
import { describe, expect, it } from 'vitest';
import {
  PASSWORD_HASH_PARAMETERS,
  hashPassword,
  needsRehash,
  verifyPassword,
  verifyPasswordForUnknownUser,
} from '../src/crypto/password-hash.js';

describe('Argon2id password hashes', () => {
  it('hashes with the OWASP parameters in PHC form, salted', async () => {
    const h = await hashPassword('Correct-Horse-Battery-1');
    expect(h).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(PASSWORD_HASH_PARAMETERS).toEqual({ memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 });
    expect(await hashPassword('Correct-Horse-Battery-1')).not.toBe(h);
  });

  it('verifies the password and nothing else', async () => {
    const password = 'pässwörd ✓ 🔑';
    const h = await hashPassword(password);
    expect(await verifyPassword(h, password)).toBe(true);
    expect(await verifyPassword(h, 'pässwörd ✓ 🔐')).toBe(false);
    expect(await verifyPassword(h, '')).toBe(false);
    expect(await verifyPassword(h, password.normalize('NFD'))).toBe(false);
    expect(await verifyPassword(await hashPassword(''), '')).toBe(true);
  });

  it('treats a stored value that is not an Argon2 hash as a bug', async () => {
    await expect(verifyPassword('plaintext', 'plaintext')).rejects.toThrow(/Argon2/);
  });

  it('needsRehash flags hashes made with other parameters', async () => {
    expect(needsRehash(await hashPassword('pw'))).toBe(false);
    expect(needsRehash(await hash('pw', { memoryCost: 4096, timeCost: 3, parallelism: 1 }))).toBe(true);
    expect(needsRehash(await hash('pw', { ...PASSWORD_HASH_PARAMETERS, algorithm: 1 as never }))).toBe(true);
    expect(needsRehash('not a hash')).toBe(true);
  });

  it('spends a verification on unknown users and always fails', async () => {
    expect(await verifyPasswordForUnknownUser('frontdesk decoy password')).toBe(false);
    expect(await verifyPasswordForUnknownUser('anything')).toBe(false);
  });
});
