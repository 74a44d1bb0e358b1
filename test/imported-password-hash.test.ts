import { describe, expect, it } from 'vitest';
import { hash as bcryptHash } from '@node-rs/bcrypt';
import { InvalidImportedHashError, parseImportedHash, verifyImportedHash } from '../src/crypto/imported-password-hash.js';

// Foreign password hashes as other implementations write them: passlib's documented examples, the
// Argon2 reference implementation's README example, Django-style and passlib-style hashes made
// with Python's hashlib (independent of node:crypto), and bcrypt from a bcrypt library.

const check = async (encoded: string, password: string) => verifyImportedHash(parseImportedHash(encoded), password);

describe('hashes written by other implementations', () => {
  it.each([
    ['passlib pbkdf2_sha256 (documented example)', '$pbkdf2-sha256$29000$N2YMIWQsBWBMae09x1jrPQ$1t8iyB2A.WF/Z5JZv.lfCIhXXN33N23OSgQYThBYRfk', 'toomanysecrets'],
    ['passlib scrypt (documented example)', '$scrypt$ln=16,r=8,p=1$aM15713r3Xsvxbi31lqr1Q$nFNh2CVHVjNldFVKDHDlm4CbdRSCdEBsjjJxD+iCs5E', 'password'],
    ['Argon2 reference implementation (README example)', '$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc', 'password'],
    ['Django pbkdf2_sha256 (Python hashlib)', 'pbkdf2_sha256$10000$saltsaltsalt12$/gKrbIIfq2DU5E5ixD5un95JkzPDtoHhmFkhwEiITqI=', 'Corr3ct-horse'],
    ['Django pbkdf2_sha1 (Python hashlib)', 'pbkdf2_sha1$12000$abcdefghij$NF2YhRxAuiq9sVRekb2A6Y1JnQU=', 'Corr3ct-horse'],
    ['scrypt PHC (Python hashlib)', '$scrypt$ln=14,r=8,p=1$MDEyMzQ1Njc4OWFiY2RlZg$0Vk4rThLrg15nxrGx1bncRzhfLQPckxqGAZAuaclsoc', 'Corr3ct-horse'],
  ])('%s: the right password matches, another does not', async (_name, encoded, password) => {
    expect(await check(encoded, password)).toBe(true);
    expect(await check(encoded, `${password}x`)).toBe(false);
  });

  it('bcrypt $2a$, $2b$ and $2y$ are the same algorithm', async () => {
    const b = await bcryptHash('Corr3ct-horse', 8);
    for (const prefix of ['$2a$', '$2b$', '$2y$']) {
      expect(await check(b.replace(/^\$2b\$/, prefix), 'Corr3ct-horse')).toBe(true);
      expect(await check(b.replace(/^\$2b\$/, prefix), 'corr3ct-horse')).toBe(false);
    }
  });
});

describe('refused at import, with the reason', () => {
  it.each([
    ['$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW', 'bcrypt cost 5 is too weak: the minimum is 8.'],
    ['$2b$17$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW', 'bcrypt cost 17 is too costly to check at sign-in: the maximum is 16.'],
    ['$2b$10$short', /^Invalid bcrypt hash/],
    ['$argon2id$v=19$m=1048576,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc', /too costly to check at sign-in: the maximum is 262144/],
    ['$argon2id$v=16$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc', /^Invalid Argon2id hash/],
    ['$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc', 'Argon2id salt is shorter than 8 bytes.'],
    ['$scrypt$ln=16,r=8,p=1$aM15713r3Xsvxbi31lqr1Q$c2hvcnQ', 'scrypt hash is shorter than 16 bytes.'],
    ['$scrypt$ln=12,r=8,p=1$aM15713r3Xsvxbi31lqr1Q$nFNh2CVHVjNldFVKDHDlm4CbdRSCdEBsjjJxD+iCs5E', /^scrypt parameters ln=12,r=8 are too weak/],
    ['$scrypt$ln=20,r=32,p=1$aM15713r3Xsvxbi31lqr1Q$nFNh2CVHVjNldFVKDHDlm4CbdRSCdEBsjjJxD+iCs5E', 'scrypt parameters need more than 256 MiB to check.'],
    ['$pbkdf2-sha256$20000000$N2YMIWQsBWBMae09x1jrPQ$1t8iyB2A.WF/Z5JZv.lfCIhXXN33N23OSgQYThBYRfk', /too costly to check at sign-in: the maximum is 10000000/],
    ['pbkdf2_sha256$10000$$/gKrbIIfq2DU5E5ixD5un95JkzPDtoHhmFkhwEiITqI=', /^Invalid PBKDF2 hash/],
    ['$1$saltsalt$qjXMvbEw8oaL.CzflDugX/', /^Unsupported password hash/],
    ['', 'Password.Hash must be a non-empty string.'],
  ])('%s', (encoded, message) => {
    let error: unknown;
    try {
      parseImportedHash(encoded);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidImportedHashError);
    if (typeof message === 'string') expect((error as Error).message).toBe(message);
    else expect((error as Error).message).toMatch(message);
  });
});
