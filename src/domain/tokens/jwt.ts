import { sign as signAsync, verify as verifySync, type KeyObject } from 'node:crypto';

// Compact JWS with RS256 and nothing else, on node:crypto directly: no algorithm is ever taken from
// the token, so "alg": "none", HS256-with-the-public-key and friends cannot be smuggled in.

export type JwtPayload = Record<string, unknown>;

export const encodeSegment = (value: unknown): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/** The encoded protected header of a key's tokens: Cognito's `{"kid": …, "alg": "RS256"}`. */
export const headerSegment = (kid: string): string => encodeSegment({ kid, alg: 'RS256' });

/**
 * Signs with RSASSA-PKCS1-v1_5 / SHA-256. The callback form of crypto.sign runs on libuv's thread
 * pool, so signatures (the whole cost of minting) neither block the event loop nor queue behind
 * each other on one core.
 */
export function signRs256(header: string, payload: object, privateKey: KeyObject): Promise<string> {
  const signingInput = `${header}.${encodeSegment(payload)}`;
  return new Promise((resolve, reject) => {
    signAsync('sha256', Buffer.from(signingInput, 'ascii'), privateKey, (error, signature) => {
      if (error) reject(error);
      else resolve(`${signingInput}.${signature.toString('base64url')}`);
    });
  });
}

export interface ParsedJwt {
  kid: string;
  payload: JwtPayload;
  signingInput: string;
  signature: Buffer;
}

const SEGMENT = /^[A-Za-z0-9_-]+$/;
/** Far above any token we mint (a few KB even with many attributes and groups). */
const MAX_TOKEN_LENGTH = 16 * 1024;

/**
 * Splits and decodes a compact JWS whose header says RS256 with a kid. Returns undefined for
 * anything else: wrong shape, other algorithms, critical extensions, non-object JSON.
 */
export function parseRs256(token: string): ParsedJwt | undefined {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return undefined;
  const first = token.indexOf('.');
  const second = token.indexOf('.', first + 1);
  if (first <= 0 || second <= first + 1 || token.indexOf('.', second + 1) !== -1 || second === token.length - 1) return undefined;
  const h = token.slice(0, first);
  const p = token.slice(first + 1, second);
  const s = token.slice(second + 1);
  if (!SEGMENT.test(h) || !SEGMENT.test(p) || !SEGMENT.test(s)) return undefined;
  const header = decodeObject(h);
  if (!header || header.alg !== 'RS256' || typeof header.kid !== 'string' || header.kid === '' || 'crit' in header) return undefined;
  const payload = decodeObject(p);
  if (!payload) return undefined;
  return { kid: header.kid, payload, signingInput: token.slice(0, second), signature: Buffer.from(s, 'base64url') };
}

/** RS256 signature check of a parsed token against one public key. */
export function verifyRs256(parsed: ParsedJwt, publicKey: KeyObject): boolean {
  // An RSA-2048 signature is exactly 256 bytes; anything else is not ours.
  if (parsed.signature.length !== (publicKey.asymmetricKeyDetails?.modulusLength ?? 2048) / 8) return false;
  return verifySync('sha256', Buffer.from(parsed.signingInput, 'ascii'), publicKey, parsed.signature);
}

function decodeObject(segment: string): JwtPayload | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JwtPayload) : undefined;
  } catch {
    return undefined;
  }
}
