import { createDiffieHellman, createHash } from 'node:crypto';

/**
 * The arithmetic of Cognito's SRP-6a: the RFC 3526 3072-bit MODP group with g = 2, SHA-256,
 * and the client libraries' exact byte encodings. Every value a hash sees is encoded with
 * `padHex` (see there); getting that encoding wrong is the classic way to break interop.
 */

// RFC 3526 §4 (3072-bit MODP group, "modp15" in OpenSSL), the N of amazon-cognito-identity-js and Amplify.
const N_HEX =
  'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
  'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
  'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
  '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
  'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
  '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
  'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C' +
  'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF';

export const N = BigInt(`0x${N_HEX}`);
export const g = 2n;
/** Length of N in bytes; OpenSSL takes and returns group elements at this width. */
export const N_BYTES = N_HEX.length / 2;

const N_BUFFER = Buffer.from(N_HEX, 'hex');
const G_BUFFER = Buffer.from([2]);

/**
 * The clients' `padHex`: the minimal big-endian two's-complement encoding of a non-negative
 * integer, as hex — even length, with a `00` byte prepended when the top bit is set (Java's
 * `BigInteger.toByteArray()`). Not a fixed width: leading zero bytes are dropped.
 */
export function padHex(value: bigint): string {
  if (value < 0n) throw new RangeError('padHex: SRP values are never negative');
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  if (/^[89a-f]/.test(hex)) hex = `00${hex}`;
  return hex;
}

/** Bytes of `padHex(value)`. */
export const padBytes = (value: bigint): Buffer => Buffer.from(padHex(value), 'hex');

/** Parses the clients' hex (any case, any leading zeros, no sign); undefined if not hex. */
export function parseHex(hex: string, maxHexDigits = 2 * N_BYTES + 2): bigint | undefined {
  if (typeof hex !== 'string' || hex.length === 0 || hex.length > maxHexDigits) return undefined;
  if (!/^[0-9a-fA-F]+$/.test(hex)) return undefined;
  return BigInt(`0x${hex}`);
}

export const bytesToBigInt = (bytes: Uint8Array): bigint =>
  bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString('hex')}`);

/** Big-endian bytes, left-padded to `width` (which must be enough). */
export function bigIntToBytes(value: bigint, width: number): Buffer {
  const hex = value.toString(16).padStart(width * 2, '0');
  if (hex.length > width * 2) throw new RangeError('value does not fit');
  return Buffer.from(hex, 'hex');
}

export const sha256 = (...parts: (Uint8Array | string)[]): Buffer => {
  const h = createHash('sha256');
  for (const part of parts) h.update(part);
  return h.digest();
};

/** k = H(padHex(N) | padHex(g)) — over the *padded* N (385 bytes, since N's top bit is set). */
export const k = bytesToBigInt(sha256(padBytes(N), padBytes(g)));

/** u = H(padHex(A) | padHex(B)). */
export const scramblingParameter = (A: bigint, B: bigint): bigint =>
  bytesToBigInt(sha256(padBytes(A), padBytes(B)));

/**
 * x = H(padHex(salt) | H(realm | identity | ':' | secret)), where realm/identity are the pool's
 * short name and USER_ID_FOR_SRP, or for remembered devices the DeviceGroupKey and DeviceKey.
 * The inner hash is over UTF-8; the outer over the raw bytes (clients hex-encode the inner hash
 * and decode the concatenation).
 */
export function privateKeyX(salt: bigint, realm: string, identity: string, secret: string): bigint {
  const inner = sha256(Buffer.from(`${realm}${identity}:${secret}`, 'utf8'));
  return bytesToBigInt(sha256(padBytes(salt), inner));
}

/**
 * base^exponent mod N in OpenSSL, which treats the exponent as a DH private key (constant-time
 * exponentiation), ~1 ms against ~6.5 ms for BigInt square-and-multiply.
 * A DiffieHellman object with generator 2 is recognised by OpenSSL as the named modp15 group
 * and is cheap to create (~40 µs). One with any other generator is not: Node runs the full
 * DH_check (two 3072-bit primality tests, 1.5–3.5 s measured), so arbitrary bases go through
 * `computeSecret(base)`, which computes base^privateKey mod N for 1 < base < N-1.
 */
export function modPow(base: bigint, exponent: bigint): bigint {
  if (exponent <= 0n) throw new RangeError('modPow: exponent must be positive');
  const dh = createDiffieHellman(N_BUFFER, G_BUFFER);
  dh.setPrivateKey(Buffer.from(padHex(exponent), 'hex'));
  if (base === g) return bytesToBigInt(dh.generateKeys());
  if (base <= 1n || base >= N - 1n) throw new RangeError('modPow: base must satisfy 1 < base < N-1');
  return bytesToBigInt(dh.computeSecret(bigIntToBytes(base, N_BYTES)));
}
