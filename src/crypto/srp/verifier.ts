import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { N, N_BYTES, bigIntToBytes, bytesToBigInt, g, modPow, padHex, parseHex, privateKeyX } from './group.js';

/**
 * SRP verifiers: v = g^x mod N with x = H(padHex(salt) | H(realm | identity | ':' | secret)).
 *
 * - user passwords: realm = the pool's short name (`us-east-1_AbC123` → `AbC123`), identity =
 *   USER_ID_FOR_SRP (the user's username, never an alias), secret = the password;
 * - remembered devices: realm = DeviceGroupKey, identity = DeviceKey, secret = the random
 *   device password the client made up. The client computes that verifier itself
 *   (generateHashDevice) and sends it with ConfirmDevice; see `parseDeviceSecretVerifierConfig`.
 *
 * Salts and verifiers are hex in `padHex` form. That matters for the salt: the clients parse
 * SALT as an integer and hash `padHex(salt)`, so a salt's leading zero bytes are not part of it;
 * the server always hashes `padHex(parse(salt))` so both sides agree whatever is stored.
 */

export interface SrpVerifier {
  /** hex, padHex form of a 128-bit random integer */
  salt: string;
  /** hex, padHex form of g^x mod N */
  verifier: string;
}

/** The SRP "pool name": the part of the pool id after the underscore, as both clients compute it. */
export function srpPoolName(userPoolId: string): string {
  const name = userPoolId.split('_')[1];
  if (!name) throw new Error(`not a user pool id: ${userPoolId}`);
  return name;
}

function newSalt(): string {
  // Like generateHashDevice: 16 random bytes read as an integer, in padHex form.
  return padHex(bytesToBigInt(randomBytes(16)));
}

function verifierFor(salt: string, realm: string, identity: string, secret: string): bigint {
  const saltValue = parseHex(salt);
  if (saltValue === undefined) throw new Error('salt must be hex');
  return modPow(g, privateKeyX(saltValue, realm, identity, secret));
}

/** What the server stores for a user at sign-up or password change (~1.3 ms). */
export function createPasswordVerifier(poolShortName: string, userIdForSrp: string, password: string): SrpVerifier {
  const salt = newSalt();
  return { salt, verifier: padHex(verifierFor(salt, poolShortName, userIdForSrp, password)) };
}

/**
 * Checks a plain password (USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, hosted UI) against the
 * stored verifier, in constant time with respect to the verifier's value.
 */
export function passwordMatchesVerifier(
  poolShortName: string,
  userIdForSrp: string,
  password: string,
  salt: string,
  verifier: string,
): boolean {
  const stored = parseHex(verifier);
  if (stored === undefined || parseHex(salt) === undefined) return false;
  const computed = verifierFor(salt, poolShortName, userIdForSrp, password);
  return timingSafeEqual(bigIntToBytes(computed, N_BYTES), bigIntToBytes(stored % N, N_BYTES));
}

/**
 * The verifier a client makes for a remembered device (generateHashDevice), for tests and
 * tools; the server itself only receives these.
 */
export function createDeviceVerifier(deviceGroupKey: string, deviceKey: string, devicePassword: string): SrpVerifier {
  const salt = newSalt();
  return { salt, verifier: padHex(verifierFor(salt, deviceGroupKey, deviceKey, devicePassword)) };
}

/**
 * ConfirmDevice's `DeviceSecretVerifierConfig` ({ Salt, PasswordVerifier }, both base64 of the
 * padHex bytes) → hex salt and verifier to store, or undefined when it cannot be a verifier
 * (empty, not base64, salt over 64 bytes, verifier not in 1 < v < N-1). SALT is later sent back
 * in DEVICE_SRP_AUTH as the hex of the same bytes.
 */
export function parseDeviceSecretVerifierConfig(config: {
  Salt?: string | undefined;
  PasswordVerifier?: string | undefined;
}): SrpVerifier | undefined {
  const salt = decodeBase64(config.Salt, 64);
  const verifier = decodeBase64(config.PasswordVerifier, N_BYTES + 1);
  if (!salt || !verifier) return undefined;
  const v = bytesToBigInt(verifier);
  if (v <= 1n || v >= N - 1n || bytesToBigInt(salt) === 0n) return undefined;
  return { salt: salt.toString('hex'), verifier: padHex(v) };
}

function decodeBase64(value: string | undefined, maxBytes: number): Buffer | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > 4 * Math.ceil(maxBytes / 3)) return undefined;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return undefined;
  const bytes = Buffer.from(value, 'base64');
  return bytes.length > 0 && bytes.length <= maxBytes ? bytes : undefined;
}

/**
 * A stand-in salt and verifier for a user that does not exist, derived from a server key so
 * that asking twice for the same name gives the same SALT (a fresh random one each time would
 * tell an attacker the user does not exist). Looks and costs like a real one; for
 * PreventUserExistenceErrors = ENABLED, where Cognito answers unknown users with a normal
 * PASSWORD_VERIFIER challenge.
 */
export function createDecoyVerifier(serverKey: Uint8Array, poolShortName: string, username: string): SrpVerifier {
  const derive = (label: string) =>
    createHmac('sha256', serverKey).update(`frontdesk srp decoy ${label}\0${poolShortName}\0${username}`, 'utf8').digest();
  const salt = padHex(bytesToBigInt(derive('salt').subarray(0, 16)));
  const x = bytesToBigInt(derive('x'));
  return { salt, verifier: padHex(modPow(g, x === 0n ? 1n : x)) };
}
