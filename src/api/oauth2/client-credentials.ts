import type { PresentedClient } from '../../domain/oauth/client-authentication.js';

// How OAuth endpoints learn which app client calls them (RFC 6749 §2.3.1): HTTP Basic
// (client_secret_basic) or `client_id` / `client_secret` in the form body (client_secret_post);
// a public client sends only `client_id`.

/** The client id and secret of an `Authorization: Basic` header, or undefined. */
export function basicCredentials(header: string | undefined): { clientId: string; clientSecret: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  // RFC 6749 §2.3.1: both parts are form-urlencoded inside the header.
  const unescape = (value: string) => decodeURIComponent(value.replace(/\+/g, ' '));
  try {
    return { clientId: unescape(decoded.slice(0, colon)), clientSecret: unescape(decoded.slice(colon + 1)) };
  } catch {
    return undefined;
  }
}

/**
 * The client a request presents. With HTTP Basic, a `client_id` in the body must name the same
 * client (RFC 6749 forbids using two methods; a mismatch is refused rather than guessed at).
 */
export function presentedClient(authorization: string | undefined, form: Record<string, string>): PresentedClient | undefined | 'conflict' {
  const basic = basicCredentials(authorization);
  if (basic) {
    if ((form.client_id !== undefined && form.client_id !== basic.clientId) || form.client_secret !== undefined) return 'conflict';
    return basic;
  }
  if (!form.client_id) return undefined;
  return { clientId: form.client_id, ...(form.client_secret !== undefined ? { clientSecret: form.client_secret } : {}) };
}
