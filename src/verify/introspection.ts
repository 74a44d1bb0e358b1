import { IntrospectionUnavailableError, TokenRevokedError } from './errors.js';

// Revocation awareness: after a token has passed every local check, ask the issuer whether it is
// still active (RFC 7662 token introspection at Frontdesk's /oauth2/introspect). A JWT alone cannot
// say that GlobalSignOut, RevokeToken or AdminDisableUser happened after it was issued.
//
// The answers are cached: "active" for a few seconds (the window in which a revocation can still go
// unnoticed, traded against one request to the issuer per token per window), "inactive" until the
// token would have expired anyway (a revoked token never becomes active again). Concurrent checks of
// one token share one request. When the issuer cannot be asked the token is refused with 503: a
// verifier configured to honour revocations fails closed rather than silently stop honouring them.

export interface IntrospectionOptions {
  /** A confidential app client of the pool: introspection is client-authenticated (HTTP Basic). */
  clientId: string;
  clientSecret: string;
  /** Default: `<Frontdesk endpoint>/oauth2/introspect`, derived from the issuer. */
  endpoint?: string;
  /** How long an "active" answer is trusted (default 5 s; 0 asks on every request). */
  cacheSeconds?: number;
  /** Timeout of one introspection request (default 2 s). */
  timeoutSeconds?: number;
  /** Most tokens remembered (default 10,000; oldest go first). */
  maxEntries?: number;
}

interface Answer {
  active: boolean;
  /** Epoch ms after which the answer must be asked again. */
  untilMs: number;
}

export type ActiveCheck = (token: string, expMs: number) => Promise<void>;

export function introspectionCheck(
  issuer: string,
  options: IntrospectionOptions,
  fetchImpl: typeof globalThis.fetch,
  now: () => number,
): ActiveCheck {
  if (typeof options.clientId !== 'string' || options.clientId === '' || typeof options.clientSecret !== 'string' || options.clientSecret === '') {
    throw new TypeError('introspection needs the clientId and clientSecret of a confidential app client');
  }
  const endpoint = options.endpoint ?? defaultEndpoint(issuer);
  if (!/^https?:\/\//.test(endpoint)) throw new TypeError('introspection.endpoint must be an http(s) URL');
  const activeMs = (options.cacheSeconds ?? 5) * 1000;
  if (!(activeMs >= 0)) throw new TypeError('introspection.cacheSeconds must be a non-negative number');
  const timeoutMs = (options.timeoutSeconds ?? 2) * 1000;
  const maxEntries = options.maxEntries ?? 10_000;
  // RFC 6749 §2.3.1: client id and secret are form-encoded before they go into the Basic credentials.
  const authorization = `Basic ${Buffer.from(`${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`).toString('base64')}`;

  const answers = new Map<string, Answer>();
  const inFlight = new Map<string, Promise<boolean>>();

  const ask = async (token: string): Promise<boolean> => {
    let response: Response;
    try {
      response = await fetchImpl(endpoint, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({ token, token_type_hint: 'access_token' }).toString(),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new IntrospectionUnavailableError('The token introspection endpoint could not be reached.', { cause: error });
    }
    if (!response.ok) {
      await response.body?.cancel();
      // 401 here means our own client credentials are wrong: a configuration problem, not the token's.
      throw new IntrospectionUnavailableError(`The token introspection endpoint answered HTTP ${response.status}.`);
    }
    const body = (await response.json().catch(() => undefined)) as { active?: unknown } | undefined;
    if (typeof body?.active !== 'boolean') throw new IntrospectionUnavailableError('The token introspection endpoint gave no "active" answer.');
    return body.active;
  };

  const remember = (token: string, answer: Answer) => {
    if (answers.size >= maxEntries) {
      const oldest = answers.keys().next();
      if (!oldest.done) answers.delete(oldest.value);
    }
    answers.set(token, answer);
  };

  return async (token, expMs) => {
    const at = now();
    let answer = answers.get(token);
    if (!answer || at >= answer.untilMs) {
      let pending = inFlight.get(token);
      if (!pending) {
        pending = ask(token).finally(() => inFlight.delete(token));
        inFlight.set(token, pending);
      }
      const active = await pending;
      answer = { active, untilMs: active ? at + activeMs : expMs };
      if (activeMs > 0 || !active) remember(token, answer);
    }
    if (!answer.active) throw new TokenRevokedError('The token is no longer active: it was revoked, or its user signed out, was disabled or deleted.');
  };
}

/** Frontdesk issuers are `<endpoint>/<userPoolId>`; introspection is served at `<endpoint>/oauth2/introspect`. */
function defaultEndpoint(issuer: string): string {
  const url = new URL(issuer);
  if (url.hostname.endsWith('.amazonaws.com')) {
    throw new TypeError('Amazon Cognito has no token introspection endpoint: introspection works with Frontdesk issuers (or give introspection.endpoint)');
  }
  return `${issuer.slice(0, issuer.lastIndexOf('/'))}/oauth2/introspect`;
}
