import { verify as rsaVerify, type KeyObject } from 'node:crypto';
import { BadSignatureError, MalformedTokenError } from './errors.js';

// Compact JWS, RS256 and nothing else. The algorithm is never taken from the token: the header must
// say RS256 and name a kid, and the key is whatever the issuer's JWKS holds under that kid. A header
// that brings its own key (`jwk`, `jku`, `x5u`, `x5c`) or asks for another algorithm (`none`,
// HS256 "signed" with the public key, PS256, ES256, …) is refused before any key is looked at.
// The alg check comes before the signature's shape is looked at, so that `alg: none` (whose
// signature is empty) is refused for what it is.

/** Far above any token Cognito or Frontdesk mints (a few KB even with many attributes and groups). */
export const MAX_TOKEN_LENGTH = 16 * 1024;

const SEGMENT = /^[A-Za-z0-9_-]+$/;
/** Header members that point at a key of the token's own choosing. */
const KEY_INJECTION = ['jwk', 'jku', 'x5u', 'x5c'] as const;

export interface ParsedToken {
  kid: string;
  /** `<header>.<payload>`, the bytes the signature covers. */
  signingInput: string;
  /** Where the payload segment starts in signingInput. */
  payloadStart: number;
  signature: Buffer;
}

/**
 * Headers seen before, and their kid. Tokens of one issuer share a handful of headers (one per key),
 * so this spares a base64 decode and a JSON.parse per token. Only acceptable headers are kept, and
 * only so many: a flood of distinct forged headers just keeps missing.
 */
const knownHeaders = new Map<string, string>();
const MAX_KNOWN_HEADERS = 64;

/**
 * Splits a compact JWS and judges its header. The payload is not decoded here: that happens only
 * once the signature has verified (decodePayload), so forged tokens cost no JSON parsing, and what
 * gets parsed is exactly what the issuer signed.
 */
export function parseToken(token: unknown): ParsedToken {
  if (typeof token !== 'string' || token.length === 0) throw new MalformedTokenError('The token is empty or not a string.');
  if (token.length > MAX_TOKEN_LENGTH) throw new MalformedTokenError('The token is too long.');
  const first = token.indexOf('.');
  const second = token.indexOf('.', first + 1);
  if (first <= 0 || second === -1 || second === first + 1 || token.indexOf('.', second + 1) !== -1) {
    throw new MalformedTokenError('The token is not a compact JWS (three segments).');
  }
  const headerSegment = token.slice(0, first);
  const kid = knownHeaders.get(headerSegment) ?? judgeHeader(headerSegment);
  const signature = token.slice(second + 1);
  if (!SEGMENT.test(signature)) throw new BadSignatureError('The token has no RS256 signature.');
  return { kid, signingInput: token.slice(0, second), payloadStart: first + 1, signature: Buffer.from(signature, 'base64url') };
}

function judgeHeader(segment: string): string {
  const header = decodeObject(segment, 'header');
  if (header.alg !== 'RS256') throw new BadSignatureError(`Algorithm ${JSON.stringify(header.alg ?? null)} is not allowed; only RS256 is.`);
  for (const member of KEY_INJECTION) {
    if (member in header) throw new BadSignatureError(`The header member "${member}" is not accepted; keys come only from the issuer's JWKS.`);
  }
  if ('crit' in header) throw new MalformedTokenError('The header declares critical extensions, which are not supported.');
  if (typeof header.kid !== 'string' || header.kid === '') throw new MalformedTokenError('The header has no kid.');
  if (knownHeaders.size < MAX_KNOWN_HEADERS) knownHeaders.set(segment, header.kid);
  return header.kid;
}

/** The claims of a token whose signature has verified. */
export function decodePayload(parsed: ParsedToken): Record<string, unknown> {
  // No alphabet check here: the signature covers the segment's exact characters.
  return decodeObject(parsed.signingInput.slice(parsed.payloadStart), 'payload', false);
}

/** RSASSA-PKCS1-v1_5 with SHA-256 against one public key, on OpenSSL through node:crypto. */
export function signatureIsValid(parsed: ParsedToken, publicKey: KeyObject): boolean {
  // An RS256 signature is exactly as long as the modulus; anything else cannot verify.
  const modulusBits = publicKey.asymmetricKeyDetails?.modulusLength;
  if (modulusBits === undefined || parsed.signature.length !== modulusBits / 8) return false;
  return rsaVerify('sha256', Buffer.from(parsed.signingInput, 'latin1'), publicKey, parsed.signature);
}

function decodeObject(segment: string, what: string, checkAlphabet = true): Record<string, unknown> {
  // Buffer's decoder skips characters outside the alphabet; an unsigned header must not rely on that.
  if (checkAlphabet && !SEGMENT.test(segment)) throw new MalformedTokenError(`The token's ${what} is not base64url.`);
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    throw new MalformedTokenError(`The token's ${what} is not base64url-encoded JSON.`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new MalformedTokenError(`The token's ${what} is not a JSON object.`);
  return value as Record<string, unknown>;
}
