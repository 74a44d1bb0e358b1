import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { N, bytesToBigInt, g, k, modPow, padBytes, parseHex, scramblingParameter } from './group.js';
import { checkSrpTimestamp } from './timestamp.js';

/**
 * The server's half of Cognito's SRP-6a (USER_SRP_AUTH → PASSWORD_VERIFIER, and
 * DEVICE_SRP_AUTH → DEVICE_PASSWORD_VERIFIER), matching amazon-cognito-identity-js's
 * AuthenticationHelper/CognitoUser and Amplify v6 byte for byte:
 *
 *   client → A = g^a                       server → B = k·v + g^b, SALT, SECRET_BLOCK
 *   u = H(padHex(A) | padHex(B))           S = (A · v^u)^b  (= (B − k·g^x)^(a + u·x) on the client)
 *   K = HKDF-SHA256(ikm = padHex(S), salt = padHex(u), info = "Caldera Derived Key", 16 bytes)
 *   PASSWORD_CLAIM_SIGNATURE = base64(HMAC-SHA256(K, realm | identity | SECRET_BLOCK bytes | TIMESTAMP))
 *
 * realm/identity are the pool's short name and USER_ID_FOR_SRP, or DeviceGroupKey and DeviceKey.
 */

export interface SrpChallenge {
  /** b, hex. Secret: keep it server-side with the auth session (encrypted at rest), never send it. */
  serverSecret: string;
  /** B, lowercase hex without padding: the SRP_B challenge parameter. */
  srpB: string;
}

/** Bytes of b. 256 bits is twice the 128-bit strength of the 3072-bit group. */
const SERVER_SECRET_BYTES = 32;
/** A and B are below N, so at most 768 hex digits; allow a padHex `00` and nothing more. */
const MAX_GROUP_ELEMENT_HEX = 770;

/** Starts PASSWORD_VERIFIER / DEVICE_PASSWORD_VERIFIER for a stored verifier (hex). ~1.3 ms. */
export function startSrpChallenge(verifierHex: string): SrpChallenge {
  const v = requireServerValue(verifierHex, 'verifier');
  for (;;) {
    const b = bytesToBigInt(randomBytes(SERVER_SECRET_BYTES));
    if (b === 0n) continue;
    const B = (k * v + modPow(g, b)) % N;
    if (B === 0n) continue; // the clients refuse B mod N = 0
    return { serverSecret: b.toString(16), srpB: B.toString(16) };
  }
}

/** The opaque SECRET_BLOCK: 256 random bits, base64. The server remembers what it issued. */
export const newSecretBlock = (): string => randomBytes(32).toString('base64');

/**
 * Whether SRP_A is usable: hex for an integer with 1 < A < N−1. RFC 5054 only requires
 * A mod N ≠ 0; we also refuse A ≥ N (no client sends an unreduced A) and 1 and N−1, which
 * form the only small subgroup of this safe-prime group. Check it when SRP_A arrives so a bad
 * A never gets a challenge.
 */
export function isAcceptableSrpA(srpA: string): boolean {
  const A = parseHex(srpA, MAX_GROUP_ELEMENT_HEX);
  return A !== undefined && A > 1n && A < N - 1n;
}

/** What the client answered plus what the server kept from `startSrpChallenge`. */
export interface SrpClaimInput {
  /** SRP_A as the client sent it (hex). */
  srpA: string;
  /** From `startSrpChallenge`. */
  serverSecret: string;
  srpB: string;
  /** The stored verifier (hex). The salt is not needed: S on the server side does not use x. */
  verifier: string;
  /** The SECRET_BLOCK the server issued (base64); check the client echoed it before calling. */
  secretBlock: string;
  /** TIMESTAMP and PASSWORD_CLAIM_SIGNATURE as the client sent them. */
  timestamp: string;
  signature: string;
  /** The server clock, for the TIMESTAMP window. */
  now: Date;
  /** Defaults to DEFAULT_SRP_TIMESTAMP_SKEW_MS (24 h); see timestamp.ts. */
  maxTimestampSkewMs?: number;
}

export interface PasswordClaimInput extends SrpClaimInput {
  poolShortName: string;
  userIdForSrp: string;
}

export interface DevicePasswordClaimInput extends SrpClaimInput {
  deviceGroupKey: string;
  deviceKey: string;
}

/**
 * PASSWORD_VERIFIER: true iff the signature proves knowledge of the password behind `verifier`
 * for this A, B and SECRET_BLOCK, and TIMESTAMP is canonical and in the window. Anything a
 * client sends that is malformed yields false, never an exception. ~2.7 ms.
 */
export function verifyPasswordClaim(input: PasswordClaimInput): boolean {
  return verifyClaim(input.poolShortName, input.userIdForSrp, input);
}

/** DEVICE_PASSWORD_VERIFIER: the same proof for a remembered device's verifier. */
export function verifyDevicePasswordClaim(input: DevicePasswordClaimInput): boolean {
  return verifyClaim(input.deviceGroupKey, input.deviceKey, input);
}

const HKDF_INFO = Buffer.from('Caldera Derived Key', 'utf8');
const SIGNATURE_BASE64 = /^[A-Za-z0-9+/_-]{43}=?$/;
const SECRET_BLOCK_BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

function verifyClaim(realm: string, identity: string, input: SrpClaimInput): boolean {
  const v = requireServerValue(input.verifier, 'verifier');
  const B = requireServerValue(input.srpB, 'srpB');
  const b = requireServerValue(input.serverSecret, 'serverSecret');

  if (typeof realm !== 'string' || typeof identity !== 'string') return false;
  if (!checkSrpTimestamp(input.timestamp, input.now, input.maxTimestampSkewMs).ok) return false;
  if (!isAcceptableSrpA(input.srpA)) return false;
  if (typeof input.signature !== 'string' || !SIGNATURE_BASE64.test(input.signature)) return false;
  if (typeof input.secretBlock !== 'string' || !SECRET_BLOCK_BASE64.test(input.secretBlock)) return false;

  const A = parseHex(input.srpA) as bigint;
  const u = scramblingParameter(A, B);
  if (u === 0n) return false; // the clients abort on u = 0; never seen with honest values

  let S: bigint;
  try {
    const base = (A * modPow(v, u)) % N;
    if (base <= 1n || base >= N - 1n) return false;
    S = modPow(base, b);
  } catch {
    // OpenSSL refuses some public values (and a stricter build may check subgroup membership,
    // which honest values pass: 2 is a quadratic residue mod N). A refused value is a failed proof.
    return false;
  }

  const key = Buffer.from(hkdfSync('sha256', padBytes(S), padBytes(u), HKDF_INFO, 16));
  const expected = createHmac('sha256', key)
    .update(Buffer.from(realm, 'utf8'))
    .update(Buffer.from(identity, 'utf8'))
    .update(Buffer.from(input.secretBlock, 'base64'))
    .update(Buffer.from(input.timestamp, 'utf8'))
    .digest();
  const given = Buffer.from(input.signature, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Server-side state that is malformed is a bug, not a failed sign-in: fail loudly. */
function requireServerValue(hex: string, name: string): bigint {
  const value = parseHex(hex, MAX_GROUP_ELEMENT_HEX);
  if (value === undefined || value <= 1n || value >= N - 1n) {
    throw new TypeError(`SRP ${name} must be hex for an integer in (1, N-1)`);
  }
  return value;
}
