import { InvalidParameterException } from '../../generated/exceptions.js';

/** Plain http is tolerated only where the traffic never leaves the machine (local development). */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Schemes that can never be a legitimate place to send a browser with a code or token in tow: they
 * run script in, or read from, whatever page follows the redirect.
 */
const FORBIDDEN_SCHEMES = new Set(['javascript:', 'data:', 'vbscript:', 'file:', 'blob:']);

/**
 * Checks one callback or sign-out URL against Cognito's rules (OAuth 2.0 redirection endpoint,
 * RFC 6749 §3.1.2): absolute, no fragment, https except for loopback hosts. Custom schemes such as
 * `myapp://callback` are allowed for native apps.
 */
export function checkRedirectUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidParameterException(`${url} is not an absolute URL.`);
  }
  if (url.includes('#')) throw new InvalidParameterException(`${url} cannot use fragment.`);
  if (FORBIDDEN_SCHEMES.has(parsed.protocol)) {
    throw new InvalidParameterException(`${url} uses the ${parsed.protocol} scheme, which cannot be a redirect target.`);
  }
  if (parsed.protocol === 'http:' && !LOOPBACK_HOSTS.has(parsed.hostname)) {
    throw new InvalidParameterException(`${url} cannot use the HTTP protocol.`);
  }
}

/** Checks every URL of a list and drops repeats; an empty list is stored as "not set". */
export function checkRedirectUrls(urls: string[] | undefined): string[] | undefined {
  if (!urls?.length) return undefined;
  const unique = [...new Set(urls)];
  unique.forEach(checkRedirectUrl);
  return unique;
}
