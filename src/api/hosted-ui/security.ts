import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SecretBox } from '../../crypto/secret-box.js';

// The hosted pages' browser-side defences: a Content-Security-Policy with a per-response nonce and
// no script at all, frame-ancestors 'none', CSRF tokens bound to a cookie, and cookie attributes.

export const newNonce = (): string => randomBytes(16).toString('base64');

/**
 * No script runs on these pages; styles only from the nonce'd <style> elements; images from the
 * server (logos) or data: URLs; forms post only here and — because browsers apply form-action to
 * the redirect that follows a submission — to the redirect target the sign-in ends at.
 */
export function contentSecurityPolicy(nonce: string, formTargets: readonly string[] = []): string {
  const targets = formTargets.map(sourceExpression).filter((s): s is string => s !== undefined);
  return [
    "default-src 'none'",
    `style-src 'nonce-${nonce}'`,
    "img-src 'self' data:",
    `form-action 'self'${targets.length ? ` ${[...new Set(targets)].join(' ')}` : ''}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/** A CSP source for a redirect URL: its origin, or its scheme for custom-scheme (native app) URLs. */
function sourceExpression(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return parsed.origin;
    return /^[a-z][a-z0-9+.-]*:$/i.test(parsed.protocol) ? parsed.protocol : undefined;
  } catch {
    return undefined;
  }
}

/** Headers every hosted page carries. */
export function pageHeaders(reply: FastifyReply, nonce: string, formTargets: readonly string[] = []): FastifyReply {
  return reply
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', contentSecurityPolicy(nonce, formTargets))
    .header('x-frame-options', 'DENY')
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('cache-control', 'no-store')
    .header('pragma', 'no-cache');
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (!name || name in out) continue;
    try {
      out[name] = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      // An undecodable value is ignored, as if absent.
    }
  }
  return out;
}

export interface CookieOptions {
  maxAgeSeconds?: number;
  secure: boolean;
}

/** HttpOnly, SameSite=Lax (sent on the top-level redirect back from an app), Path=/, Secure under TLS. */
export function setCookie(reply: FastifyReply, name: string, value: string, options: CookieOptions): void {
  const parts = [`${name}=${encodeURIComponent(value)}`, 'Path=/', 'HttpOnly', 'SameSite=Lax'];
  if (options.maxAgeSeconds !== undefined) parts.push(`Max-Age=${options.maxAgeSeconds}`);
  if (options.secure) parts.push('Secure');
  const existing = reply.getHeader('set-cookie');
  const list = existing === undefined ? [] : Array.isArray(existing) ? existing.map(String) : [String(existing)];
  reply.header('set-cookie', [...list, parts.join('; ')]);
}

export const clearCookie = (reply: FastifyReply, name: string, secure: boolean) => setCookie(reply, name, '', { maxAgeSeconds: 0, secure });

const CSRF_COOKIE = 'fd_csrf';

/**
 * CSRF protection by a signed double-submit: a random cookie (HttpOnly, SameSite=Lax) and, in every
 * form, a MAC of it under the master key. A cross-site form post cannot read the cookie to forge
 * the token, and SameSite keeps the cookie out of cross-site posts in the first place.
 */
export class CsrfTokens {
  constructor(private readonly secrets: SecretBox) {}

  /** The form token for this browser, setting the cookie when it has none. */
  tokenFor(request: FastifyRequest, reply: FastifyReply, secure: boolean): string {
    let value = parseCookies(request.headers.cookie)[CSRF_COOKIE];
    if (!value || !/^[A-Za-z0-9_-]{43}$/.test(value)) {
      value = randomBytes(32).toString('base64url');
      setCookie(reply, CSRF_COOKIE, value, { secure });
    }
    return this.secrets.mac(value, 'hosted-ui csrf');
  }

  verify(request: FastifyRequest, token: string | undefined): boolean {
    const value = parseCookies(request.headers.cookie)[CSRF_COOKIE];
    if (!value || !token) return false;
    const expected = Buffer.from(this.secrets.mac(value, 'hosted-ui csrf'));
    const given = Buffer.from(token);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}
