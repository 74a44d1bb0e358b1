import { createHash, timingSafeEqual } from 'node:crypto';

/** RFC 7636 §4.1: 43-128 unreserved characters. A challenge (S256: base64url SHA-256) has the same alphabet. */
export const PKCE_VALUE = /^[A-Za-z0-9\-._~]{43,128}$/;

export const s256 = (verifier: string): string => createHash('sha256').update(verifier, 'ascii').digest('base64url');

/** True when the verifier hashes to the challenge (S256 only: `plain` is never accepted). */
export function verifierMatches(challenge: string, verifier: string | undefined): boolean {
  if (verifier === undefined || !PKCE_VALUE.test(verifier)) return false;
  const a = Buffer.from(s256(verifier));
  const b = Buffer.from(challenge);
  return a.length === b.length && timingSafeEqual(a, b);
}
