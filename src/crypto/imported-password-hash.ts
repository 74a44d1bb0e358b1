import { pbkdf2, scrypt, timingSafeEqual, type BinaryLike, type ScryptOptions } from 'node:crypto';
import { promisify } from 'node:util';
import { verify as bcryptVerify } from '@node-rs/bcrypt';
import { verify as argon2Verify } from '@node-rs/argon2';

// Password hashes made by other systems, accepted by the user import (docs/user-transfer.md) and
// checked on plain-password sign-ins until the next successful one replaces them with the pool's
// own credential. Every accepted encoding is parsed here, once, at import: a hash that is not one
// of them, or whose parameters are too weak to keep or so costly that checking it would let an
// import stall the server, is refused with a message naming the problem.
//
// All checks are asynchronous off the event loop (libuv's thread pool: bcrypt and Argon2 through
// their native bindings, scrypt and PBKDF2 through node:crypto) and compare in constant time.

export type ImportedHashScheme = 'bcrypt' | 'scrypt' | 'argon2id' | 'pbkdf2';

/** A hash accepted for import: its scheme and its encoding as given (stored as given, sealed). */
export interface ImportedHash {
  scheme: ImportedHashScheme;
  encoded: string;
}

/** Thrown for a hash that cannot be imported; the message is meant for the per-user report. */
export class InvalidImportedHashError extends Error {}

/** Bounds on the parameters, per scheme: below the minimum is too weak, above the maximum too costly. */
export const IMPORTED_HASH_LIMITS = Object.freeze({
  bcrypt: { minCost: 8, maxCost: 16 },
  scrypt: { minLogN: 14, maxLogN: 20, minR: 8, maxR: 32, maxP: 16, maxMemoryBytes: 256 * 1024 * 1024 },
  // OWASP's Argon2id minimum configurations all have m×t ≥ 35840 KiB (m = 7 MiB with t = 5 … m = 46 MiB with t = 1).
  argon2id: { minMemoryKiB: 7168, minMemoryTimesPasses: 35840, maxMemoryKiB: 262144, maxPasses: 16, maxParallelism: 16 },
  pbkdf2: { minIterations: 10_000, maxIterations: 10_000_000 },
  minSaltBytes: 8,
  minHashBytes: 16,
});

type Digest = 'sha1' | 'sha256' | 'sha512';

interface Pbkdf2Params {
  digest: Digest;
  iterations: number;
  salt: Buffer;
  hash: Buffer;
}

interface ScryptParams {
  n: number;
  r: number;
  p: number;
  salt: Buffer;
  hash: Buffer;
}

const fail = (message: string): never => {
  throw new InvalidImportedHashError(message);
};

/** Parses and checks a hash for import; throws InvalidImportedHashError with the reason. */
export function parseImportedHash(encoded: unknown): ImportedHash {
  if (typeof encoded !== 'string' || encoded.length === 0) return fail('Password.Hash must be a non-empty string.');
  if (encoded.length > 1024) return fail('Password.Hash is longer than 1024 characters.');
  if (/^\$2[aby]\$/.test(encoded)) {
    checkBcrypt(encoded);
    return { scheme: 'bcrypt', encoded };
  }
  if (encoded.startsWith('$scrypt$')) {
    parseScrypt(encoded);
    return { scheme: 'scrypt', encoded };
  }
  if (encoded.startsWith('$argon2')) {
    checkArgon2id(encoded);
    return { scheme: 'argon2id', encoded };
  }
  if (encoded.startsWith('$pbkdf2') || encoded.startsWith('pbkdf2_')) {
    parsePbkdf2(encoded);
    return { scheme: 'pbkdf2', encoded };
  }
  return fail(
    'Unsupported password hash: expected bcrypt ($2a$/$2b$/$2y$), scrypt ($scrypt$), Argon2id ($argon2id$), ' +
      'PBKDF2 ($pbkdf2$, $pbkdf2-sha256$, $pbkdf2-sha512$) or Django PBKDF2 (pbkdf2_sha256$, pbkdf2_sha1$).',
  );
}

/** True when `password` matches the imported hash. A hash that no longer parses reads as no match. */
export async function verifyImportedHash(hash: ImportedHash, password: string): Promise<boolean> {
  try {
    switch (hash.scheme) {
      case 'bcrypt':
        checkBcrypt(hash.encoded);
        return await bcryptVerify(password, hash.encoded);
      case 'argon2id':
        checkArgon2id(hash.encoded);
        return await argon2Verify(hash.encoded, password);
      case 'scrypt': {
        const p = parseScrypt(hash.encoded);
        const derived = await scryptAsync(password, p.salt, p.hash.length, { N: p.n, r: p.r, p: p.p, maxmem: scryptMemory(p) + 1024 * 1024 });
        return timingSafeEqual(derived, p.hash);
      }
      case 'pbkdf2': {
        const p = parsePbkdf2(hash.encoded);
        const derived = await pbkdf2Async(password, p.salt, p.iterations, p.hash.length, p.digest);
        return timingSafeEqual(derived, p.hash);
      }
    }
  } catch (error) {
    if (error instanceof InvalidImportedHashError) return false;
    throw error;
  }
  return false;
}

const scryptAsync = promisify(scrypt) as (password: BinaryLike, salt: BinaryLike, keylen: number, options: ScryptOptions) => Promise<Buffer>;
const pbkdf2Async = promisify(pbkdf2);

// ---- bcrypt: $2b$<cost>$<22 chars salt><31 chars hash>, bcrypt's own base64 alphabet.

function checkBcrypt(encoded: string): void {
  const match = /^\$2[aby]\$(\d{2})\$[./A-Za-z0-9]{53}$/.exec(encoded);
  if (!match) return fail('Invalid bcrypt hash: expected $2a$, $2b$ or $2y$, a two-digit cost and 53 characters of salt and hash.');
  const cost = Number(match[1]);
  const { minCost, maxCost } = IMPORTED_HASH_LIMITS.bcrypt;
  if (cost < minCost) fail(`bcrypt cost ${cost} is too weak: the minimum is ${minCost}.`);
  if (cost > maxCost) fail(`bcrypt cost ${cost} is too costly to check at sign-in: the maximum is ${maxCost}.`);
}

// ---- Argon2id: the PHC string $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt b64>$<hash b64>.

function checkArgon2id(encoded: string): void {
  const match = /^\$argon2id\$v=19\$m=(\d{1,10}),t=(\d{1,10}),p=(\d{1,3})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(encoded);
  if (!match) {
    if (/^\$argon2(i|d)\$/.test(encoded)) fail('Only Argon2id hashes are accepted (not Argon2i or Argon2d).');
    return fail('Invalid Argon2id hash: expected $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash> (unpadded base64).');
  }
  const [m, t, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const limits = IMPORTED_HASH_LIMITS.argon2id;
  if (m < limits.minMemoryKiB || m * t < limits.minMemoryTimesPasses) {
    fail(`Argon2id parameters m=${m},t=${t} are too weak: m must be at least ${limits.minMemoryKiB} KiB and m×t at least ${limits.minMemoryTimesPasses}.`);
  }
  if (m > limits.maxMemoryKiB) fail(`Argon2id memory m=${m} KiB is too costly to check at sign-in: the maximum is ${limits.maxMemoryKiB}.`);
  if (t > limits.maxPasses) fail(`Argon2id passes t=${t} are too costly to check at sign-in: the maximum is ${limits.maxPasses}.`);
  if (p < 1 || p > limits.maxParallelism) fail(`Argon2id parallelism p=${p} must be between 1 and ${limits.maxParallelism}.`);
  checkSaltAndHash('Argon2id', b64(match[4]!), b64(match[5]!));
}

// ---- scrypt: passlib's PHC string $scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt b64>$<hash b64>.

function parseScrypt(encoded: string): ScryptParams {
  const match = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,3}),p=(\d{1,3})\$([A-Za-z0-9+/.]+={0,2})\$([A-Za-z0-9+/.]+={0,2})$/.exec(encoded);
  if (!match) return fail('Invalid scrypt hash: expected $scrypt$ln=<log2 N>,r=<block size>,p=<parallelism>$<salt>$<hash> (base64).');
  const [ln, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const limits = IMPORTED_HASH_LIMITS.scrypt;
  if (ln < limits.minLogN || r < limits.minR) fail(`scrypt parameters ln=${ln},r=${r} are too weak: ln must be at least ${limits.minLogN} and r at least ${limits.minR}.`);
  if (ln > limits.maxLogN || r > limits.maxR || p < 1 || p > limits.maxP) {
    fail(`scrypt parameters ln=${ln},r=${r},p=${p} are out of range (ln ≤ ${limits.maxLogN}, r ≤ ${limits.maxR}, 1 ≤ p ≤ ${limits.maxP}).`);
  }
  const params = { n: 2 ** ln, r, p, salt: ab64(match[4]!), hash: ab64(match[5]!) };
  if (scryptMemory(params) > limits.maxMemoryBytes) fail(`scrypt parameters need more than ${limits.maxMemoryBytes / 1024 / 1024} MiB to check.`);
  checkSaltAndHash('scrypt', params.salt, params.hash);
  return params;
}

const scryptMemory = (p: { n: number; r: number }) => 128 * p.n * p.r;

// ---- PBKDF2, two encodings:
//   PHC / passlib: $pbkdf2-sha256$<iterations>$<salt>$<hash>  (also `i=<iterations>`; $pbkdf2$ is SHA-1,
//                  $pbkdf2-sha512$ SHA-512); salt and hash in base64, passlib's `.` for `+` accepted.
//   Django:        pbkdf2_sha256$<iterations>$<salt>$<hash>  (pbkdf2_sha1 too); the salt is used as its
//                  UTF-8 text, the hash is standard base64.

const PHC_DIGESTS: Record<string, Digest> = { pbkdf2: 'sha1', 'pbkdf2-sha1': 'sha1', 'pbkdf2-sha256': 'sha256', 'pbkdf2-sha512': 'sha512' };
const DJANGO_DIGESTS: Record<string, Digest> = { pbkdf2_sha1: 'sha1', pbkdf2_sha256: 'sha256' };

function parsePbkdf2(encoded: string): Pbkdf2Params {
  let params: Pbkdf2Params;
  const phc = /^\$(pbkdf2(?:-sha1|-sha256|-sha512)?)\$(?:i=)?(\d{1,9})\$([A-Za-z0-9+/.]+={0,2})\$([A-Za-z0-9+/.]+={0,2})$/.exec(encoded);
  const django = /^(pbkdf2_sha1|pbkdf2_sha256)\$(\d{1,9})\$([^$]{1,128})\$([A-Za-z0-9+/]+={0,2})$/.exec(encoded);
  if (phc) {
    params = { digest: PHC_DIGESTS[phc[1]!]!, iterations: Number(phc[2]), salt: ab64(phc[3]!), hash: ab64(phc[4]!) };
  } else if (django) {
    params = { digest: DJANGO_DIGESTS[django[1]!]!, iterations: Number(django[2]), salt: Buffer.from(django[3]!, 'utf8'), hash: b64(django[4]!) };
  } else {
    return fail(
      'Invalid PBKDF2 hash: expected $pbkdf2-sha256$<iterations>$<salt>$<hash> (PHC, base64; also $pbkdf2$ and $pbkdf2-sha512$) ' +
        'or pbkdf2_sha256$<iterations>$<salt>$<hash> (Django).',
    );
  }
  const { minIterations, maxIterations } = IMPORTED_HASH_LIMITS.pbkdf2;
  if (params.iterations < minIterations) fail(`PBKDF2 iterations ${params.iterations} are too weak: the minimum is ${minIterations}.`);
  if (params.iterations > maxIterations) fail(`PBKDF2 iterations ${params.iterations} are too costly to check at sign-in: the maximum is ${maxIterations}.`);
  checkSaltAndHash('PBKDF2', params.salt, params.hash);
  return params;
}

function checkSaltAndHash(name: string, salt: Buffer, hash: Buffer): void {
  if (salt.length < IMPORTED_HASH_LIMITS.minSaltBytes) fail(`${name} salt is shorter than ${IMPORTED_HASH_LIMITS.minSaltBytes} bytes.`);
  if (hash.length < IMPORTED_HASH_LIMITS.minHashBytes) fail(`${name} hash is shorter than ${IMPORTED_HASH_LIMITS.minHashBytes} bytes.`);
  if (hash.length > 128) fail(`${name} hash is longer than 128 bytes.`);
}

const b64 = (text: string) => Buffer.from(text, 'base64');
/** passlib's "adapted base64" uses `.` where base64 has `+`. */
const ab64 = (text: string) => Buffer.from(text.replaceAll('.', '+'), 'base64');
