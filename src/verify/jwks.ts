import { createPublicKey, type KeyObject } from 'node:crypto';
import { JwksUnavailableError, UnknownKidError } from './errors.js';

// The issuer's signing keys, fetched from its JWKS and held as KeyObjects (parsing a JWK into a key
// costs far more than a verification, so it happens once per key, not once per token).
//
// Fetches are bounded so that tokens cannot drive them: a kid the cached set lacks triggers a
// refetch only when the last fetch is at least `refetchIntervalMs` old, and concurrent lookups share
// one fetch. A flood of tokens with made-up kids therefore costs the issuer one request per interval.
// After a failed fetch with no keys to fall back on, the next attempt waits `failureBackoffMs`.

export interface JwksCacheOptions {
  jwksUri: string;
  fetch: typeof globalThis.fetch;
  /** Epoch milliseconds. */
  now: () => number;
  /** The shortest time between two fetches caused by unknown kids. */
  refetchIntervalMs: number;
  /** A set older than this is refreshed in the background on its next use (keys withdrawn by the issuer stop working). */
  maxAgeMs: number;
  timeoutMs: number;
  /** Called when a refresh drops kids that the previous set had. */
  onKeysDropped?: () => void;
}

/** A JWKS larger than this is refused (Cognito's has two keys, Frontdesk's one to a handful). */
const MAX_JWKS_BYTES = 256 * 1024;
const MAX_KEYS = 100;
const MIN_MODULUS_BITS = 2048;
const FAILURE_BACKOFF_MS = 1_000;

export class JwksCache {
  private readonly options: JwksCacheOptions;
  private keys: Map<string, KeyObject> | undefined;
  /** When the last fetch started (successful or not), for the rate limit. */
  private lastAttemptAt = Number.NEGATIVE_INFINITY;
  private lastSuccessAt = Number.NEGATIVE_INFINITY;
  private lastError: unknown;
  private inflight: Promise<void> | undefined;

  constructor(options: JwksCacheOptions) {
    this.options = options;
  }

  /** The key for a kid if the cached set has it; never fetches in the caller's path. */
  cachedKey(kid: string): KeyObject | undefined {
    const key = this.keys?.get(kid);
    if (
      key !== undefined &&
      !this.inflight &&
      this.options.now() - this.lastSuccessAt >= this.options.maxAgeMs &&
      this.elapsedSinceAttempt() >= this.options.refetchIntervalMs
    ) {
      // Stale but usable: refresh behind the caller's back; on failure keep the set we have (and
      // try again no sooner than the rate limit allows).
      this.refresh().catch(() => undefined);
    }
    return key;
  }

  /** The key for a kid, fetching the JWKS when there is none yet or (rate-limited) when the kid is new. */
  async key(kid: string): Promise<KeyObject> {
    const cached = this.cachedKey(kid);
    if (cached) return cached;
    if (this.inflight) {
      await this.inflight.catch(() => undefined);
    } else if (this.keys === undefined) {
      if (this.elapsedSinceAttempt() < FAILURE_BACKOFF_MS) throw this.unavailable();
      await this.refresh().catch(() => undefined);
    } else if (this.elapsedSinceAttempt() >= this.options.refetchIntervalMs) {
      await this.refresh().catch(() => undefined);
    } else {
      throw new UnknownKidError(`No key with kid ${quoted(kid)} in the issuer's JWKS (refetch is rate limited).`);
    }
    if (this.keys === undefined) throw this.unavailable();
    const key = this.keys.get(kid);
    if (!key) throw new UnknownKidError(`No key with kid ${quoted(kid)} in the issuer's JWKS.`);
    return key;
  }

  /** Fetches the set now unless a fetch is under way (then waits for it). */
  refresh(): Promise<void> {
    this.inflight ??= this.load().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private elapsedSinceAttempt(): number {
    const elapsed = this.options.now() - this.lastAttemptAt;
    // A clock that went backwards (a test, an NTP step) does not lock fetching out.
    return elapsed < 0 ? Number.POSITIVE_INFINITY : elapsed;
  }

  private unavailable(): JwksUnavailableError {
    const detail = this.lastError instanceof Error ? `: ${this.lastError.message}` : '';
    return new JwksUnavailableError(`The issuer's JWKS (${this.options.jwksUri}) could not be fetched${detail}`, { cause: this.lastError });
  }

  private async load(): Promise<void> {
    this.lastAttemptAt = this.options.now();
    try {
      const fetched = await this.download();
      const previous = this.keys;
      const next = new Map<string, KeyObject>();
      for (const [kid, jwk] of fetched) next.set(kid, previous?.get(kid) ?? jwk());
      this.keys = next;
      this.lastSuccessAt = this.options.now();
      this.lastError = undefined;
      if (previous && [...previous.keys()].some((kid) => !next.has(kid))) this.options.onKeysDropped?.();
    } catch (error) {
      this.lastError = error;
      throw error;
    }
  }

  /** kid → a function building its KeyObject (so unchanged keys are not rebuilt). */
  private async download(): Promise<Map<string, () => KeyObject>> {
    const response = await this.options.fetch(this.options.jwksUri, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(this.options.timeoutMs),
    });
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw new Error(`HTTP ${response.status}`);
    }
    const declared = Number(response.headers.get('content-length') ?? 0);
    if (declared > MAX_JWKS_BYTES) {
      await response.body?.cancel().catch(() => undefined);
      throw new Error('the JWKS is too large');
    }
    const text = await response.text();
    if (text.length > MAX_JWKS_BYTES) throw new Error('the JWKS is too large');
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch {
      throw new Error('the JWKS is not JSON');
    }
    const members = (document as { keys?: unknown } | null)?.keys;
    if (!Array.isArray(members)) throw new Error('the JWKS has no "keys" array');
    const keys = new Map<string, () => KeyObject>();
    for (const member of members.slice(0, MAX_KEYS)) {
      const usable = rsaSigningKey(member);
      if (usable && !keys.has(usable.kid)) keys.set(usable.kid, usable.build);
    }
    // Build every new key now, so a bad one is skipped here rather than failing a request later.
    const built = new Map<string, () => KeyObject>();
    for (const [kid, build] of keys) {
      if (this.keys?.has(kid)) {
        built.set(kid, build);
        continue;
      }
      try {
        const key = build();
        if ((key.asymmetricKeyDetails?.modulusLength ?? 0) >= MIN_MODULUS_BITS) built.set(kid, () => key);
      } catch {
        // Not a valid RSA public key: ignored, as a member we do not understand would be.
      }
    }
    return built;
  }
}

/** A kid for a message: it comes from the token, so it is quoted and kept short. */
const quoted = (kid: string) => JSON.stringify(kid.length > 64 ? `${kid.slice(0, 64)}…` : kid);

/** A JWKS member usable for RS256 verification; anything else (EC keys, encryption keys) is skipped. */
function rsaSigningKey(member: unknown): { kid: string; build: () => KeyObject } | undefined {
  if (member === null || typeof member !== 'object') return undefined;
  const jwk = member as Record<string, unknown>;
  if (jwk.kty !== 'RSA' || typeof jwk.kid !== 'string' || jwk.kid === '') return undefined;
  if (jwk.use !== undefined && jwk.use !== 'sig') return undefined;
  if (jwk.alg !== undefined && jwk.alg !== 'RS256') return undefined;
  if (typeof jwk.n !== 'string' || typeof jwk.e !== 'string') return undefined;
  const { n, e } = jwk;
  return { kid: jwk.kid, build: () => createPublicKey({ key: { kty: 'RSA', n, e }, format: 'jwk' }) };
}
