import { createHash, randomBytes } from 'node:crypto';

/**
 * Refresh tokens are opaque: 256 bits from the CSPRNG, base64url (43 characters, inside RevokeToken's
 * `[A-Za-z0-9-_=.]+`). Clients treat Cognito's (encrypted JWT) refresh tokens as opaque strings too.
 * Having no dots also tells a refresh token from a JWT at a glance.
 */
export const newRefreshToken = (): string => randomBytes(32).toString('base64url');

/**
 * Only this hash is stored. A plain SHA-256 is enough: the input has 256 bits of entropy, so there
 * is nothing to brute-force, and the lookup by hash (a primary key) leaks nothing about the token.
 */
export const hashRefreshToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('base64url');

/** A syntactically plausible refresh token of ours; anything else cannot be in the table. */
export const looksLikeRefreshToken = (token: string): boolean => /^[A-Za-z0-9_-]{43}$/.test(token);

/** Three dot-separated base64url segments: an access or ID token. */
export const looksLikeJwt = (token: string): boolean => /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token);
