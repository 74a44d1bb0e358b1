/** Loopback hosts whose port may vary (RFC 8252 §7.3: native apps listen on an ephemeral port). */
const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);

/**
 * Whether a redirect_uri of a request is one of the registered URLs: an exact string match, or
 * (RFC 8252 §7.3) an http loopback URL that differs only in its port. Nothing else is normalised —
 * no case folding, no trailing-slash or query leniency — so an open redirect cannot be built from
 * a registered prefix.
 */
export function matchRedirectUri(registered: readonly string[] | undefined, requested: string): string | undefined {
  if (!registered?.length || !requested) return undefined;
  if (registered.includes(requested)) return requested;
  let asked: URL;
  try {
    asked = new URL(requested);
  } catch {
    return undefined;
  }
  if (asked.protocol !== 'http:' || !LOOPBACK.has(asked.hostname) || asked.username || asked.password || requested.includes('#')) return undefined;
  for (const candidate of registered) {
    let url: URL;
    try {
      url = new URL(candidate);
    } catch {
      continue;
    }
    if (url.protocol !== 'http:' || url.hostname !== asked.hostname) continue;
    // Same URL with the request's port: compare the serialisations, so path and query match exactly.
    url.port = asked.port;
    if (url.href === asked.href && withoutPort(candidate) === withoutPort(requested)) return requested;
  }
  return undefined;
}

/** The URL text with its port removed, to compare the rest character for character. */
function withoutPort(url: string): string {
  return url.replace(/^(http:\/\/(?:\[[^\]]*\]|[^/:?#]+))(?::\d+)?/i, '$1');
}
