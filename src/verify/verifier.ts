import type { KeyObject } from 'node:crypto';
import type { AccessTokenClaims, ClaimsOf, IdTokenClaims, TokenUse } from './claims.js';
import {
  BadSignatureError,
  MalformedTokenError,
  MissingGroupError,
  MissingScopeError,
  TokenExpiredError,
  TokenNotYetValidError,
  WrongClientError,
  WrongIssuerError,
  WrongTokenUseError,
} from './errors.js';
import { introspectionCheck, type IntrospectionOptions } from './introspection.js';
import { JwksCache } from './jwks.js';
import { decodePayload, parseToken, signatureIsValid, type ParsedToken } from './jwt.js';

/** Where the tokens come from: an issuer URL, or a user pool (on Frontdesk at `endpoint`, or on AWS). */
export type IssuerOptions =
  | { issuer: string }
  | {
      userPoolId: string;
      /** Frontdesk's public URL; without it, the pool is taken to be on Amazon Cognito in its region. */
      endpoint?: string;
    };

/**
 * What a request must additionally show; checked on every call (also for cached tokens). Given to
 * `verify`, each member replaces the verifier's own (an object passed again is not re-read: treat it as immutable).
 */
export interface Requirements {
  /** Access tokens only: the token must carry at least one of these scopes (as API Gateway checks them). */
  scopes?: readonly string[];
  /** The user must be in at least one of these groups (`cognito:groups`). */
  groups?: readonly string[];
}

export interface VerifierOptions<U extends TokenUse = TokenUse> extends Requirements {
  /** Which token the API takes: Cognito APIs take access tokens; ID tokens carry the user's attributes. */
  tokenUse: U;
  /**
   * The app client(s) whose tokens are accepted (`client_id` of access tokens, `aud` of ID tokens).
   * Left out, tokens of every app client of the pool are accepted.
   */
  clientId?: string | readonly string[];
  /** Leeway for `exp` and `nbf`, in seconds (default 0). */
  clockToleranceSeconds?: number;
  /**
   * Remember tokens that passed (signature, issuer, use, client) until their `exp`, so a token seen
   * again costs a map lookup instead of an RSA verification. Expiry and the scope and group
   * requirements are still checked on every call. `true` keeps up to 10,000 tokens.
   */
  cacheVerified?: boolean | { maxEntries: number };
  /** Used to fetch the JWKS (default: the global fetch). */
  fetch?: typeof globalThis.fetch;
  /** Where "now" comes from (default: the system clock); returns a Date or epoch milliseconds. */
  clock?: { now(): Date | number };
  /** Default `<issuer>/.well-known/jwks.json`. */
  jwksUri?: string;
  /** The shortest time between two JWKS fetches caused by unknown kids (default 10 s). */
  jwksRefetchIntervalSeconds?: number;
  /** How old a cached JWKS may get before it is refreshed in the background (default 1 h). */
  jwksMaxAgeSeconds?: number;
  /** Timeout of one JWKS fetch (default 5 s). */
  jwksTimeoutSeconds?: number;
  /**
   * Access tokens of Frontdesk only: also ask the issuer (token introspection) whether a token that
   * passed every local check is still active, so revoked tokens are refused before their `exp`.
   * Off by default: it costs a request per token per `cacheSeconds`.
   */
  introspection?: IntrospectionOptions;
}

export interface Verifier<U extends TokenUse = TokenUse> {
  readonly issuer: string;
  readonly tokenUse: U;
  /**
   * The token's claims (frozen) if it is a genuine, current token of the issuer for this token use
   * and client, meeting the requirements (the verifier's own, or those given here instead);
   * otherwise rejects with a TokenVerificationError saying why.
   */
  verify(token: string, requirements?: Requirements): Promise<ClaimsOf<U>>;
  /** Fetches the JWKS now (optional: the first verification does it otherwise). */
  hydrate(): Promise<void>;
}

const DEFAULT_CACHE_ENTRIES = 10_000;
const POOL_ID = /^([a-z]{2}(?:-[a-z]+)+-\d+)_[0-9A-Za-z]+$/;

export function issuerOf(options: IssuerOptions): string {
  if ('issuer' in options) {
    if (typeof options.issuer !== 'string' || !/^https?:\/\//.test(options.issuer)) throw new TypeError('issuer must be an http(s) URL');
    return options.issuer.replace(/\/+$/, '');
  }
  const match = POOL_ID.exec(options.userPoolId ?? '');
  if (!match) throw new TypeError(`userPoolId ${JSON.stringify(options.userPoolId)} is not a user pool id (<region>_<id>)`);
  const base = options.endpoint ?? `https://cognito-idp.${match[1]}.amazonaws.com`;
  if (!/^https?:\/\//.test(base)) throw new TypeError('endpoint must be an http(s) URL');
  return `${base.replace(/\/+$/, '')}/${options.userPoolId}`;
}

interface CacheEntry {
  claims: Readonly<AccessTokenClaims | IdTokenClaims>;
  expMs: number;
  nbfMs: number;
  /** The `scope` claim; split into `scopeSet` on the first scope check. */
  scope: string;
  scopeSet?: ReadonlySet<string>;
  groups: readonly string[];
}

export function createVerifier<U extends TokenUse>(issuerOptions: IssuerOptions, options: VerifierOptions<U>): Verifier<U> {
  const issuer = issuerOf(issuerOptions);
  const tokenUse = options.tokenUse;
  if (tokenUse !== 'access' && tokenUse !== 'id') throw new TypeError('tokenUse must be "access" or "id"');
  const clientIds = options.clientId === undefined ? undefined : new Set(typeof options.clientId === 'string' ? [options.clientId] : options.clientId);
  if (clientIds && (clientIds.size === 0 || [...clientIds].some((id) => typeof id !== 'string' || id === ''))) {
    throw new TypeError('clientId must be a non-empty string or a non-empty list of them');
  }
  const defaults = checkedRequirements(tokenUse, options);
  const toleranceMs = (options.clockToleranceSeconds ?? 0) * 1000;
  if (!(toleranceMs >= 0)) throw new TypeError('clockToleranceSeconds must be a non-negative number');
  const clock = options.clock;
  const now = clock
    ? () => {
        const value = clock.now();
        return typeof value === 'number' ? value : value.getTime();
      }
    : Date.now;

  const maxEntries = options.cacheVerified === true ? DEFAULT_CACHE_ENTRIES : options.cacheVerified ? options.cacheVerified.maxEntries : 0;
  const cache = maxEntries > 0 ? new Map<string, CacheEntry>() : undefined;

  if (options.introspection && tokenUse !== 'access') throw new TypeError('introspection answers for access tokens only');
  const checkActive = options.introspection ? introspectionCheck(issuer, options.introspection, options.fetch ?? globalThis.fetch, now) : undefined;

  const jwks = new JwksCache({
    jwksUri: options.jwksUri ?? `${issuer}/.well-known/jwks.json`,
    fetch: options.fetch ?? globalThis.fetch,
    now,
    refetchIntervalMs: (options.jwksRefetchIntervalSeconds ?? 10) * 1000,
    maxAgeMs: (options.jwksMaxAgeSeconds ?? 3600) * 1000,
    timeoutMs: (options.jwksTimeoutSeconds ?? 5) * 1000,
    // A key the issuer withdrew must not live on in tokens remembered as good.
    onKeysDropped: () => cache?.clear(),
  });

  /** Everything that does not change with time or with the route: signature, issuer, use, client, shape. */
  const authenticate = (token: string, parsed: ParsedToken, key: KeyObject): CacheEntry => {
    if (!signatureIsValid(parsed, key)) throw new BadSignatureError('The token signature is invalid.');
    const claims = decodePayload(parsed);
    if (claims.iss !== issuer) throw new WrongIssuerError(`The token was issued by ${JSON.stringify(claims.iss)}, not ${issuer}.`);
    if (claims.token_use !== tokenUse) {
      throw new WrongTokenUseError(`An ${tokenUse === 'access' ? 'access' : 'ID'} token is required; this one's token_use is ${JSON.stringify(claims.token_use)}.`);
    }
    if (typeof claims.sub !== 'string' || !isTime(claims.exp) || (claims.nbf !== undefined && !isTime(claims.nbf))) {
      throw new MalformedTokenError('The token lacks sub or exp, or a time claim is not a number.');
    }
    const client = tokenUse === 'access' ? claims.client_id : claims.aud;
    if (typeof client !== 'string') throw new MalformedTokenError(`The token has no ${tokenUse === 'access' ? 'client_id' : 'aud'}.`);
    if (clientIds && !clientIds.has(client)) throw new WrongClientError(`The token was issued to client ${client}, which is not accepted here.`);
    const groups = claims['cognito:groups'] ?? [];
    if (!Array.isArray(groups) || !groups.every((g) => typeof g === 'string')) throw new MalformedTokenError('cognito:groups is not a list of names.');
    const scope = claims.scope ?? '';
    if (typeof scope !== 'string') throw new MalformedTokenError('scope is not a string.');
    const entry: CacheEntry = {
      claims: deepFreeze(claims) as unknown as AccessTokenClaims | IdTokenClaims,
      expMs: claims.exp * 1000,
      nbfMs: typeof claims.nbf === 'number' ? claims.nbf * 1000 : Number.NEGATIVE_INFINITY,
      scope,
      groups,
    };
    if (cache) {
      if (cache.size >= maxEntries) {
        // Oldest first (insertion order): cheap, and tokens seen again are re-added once evicted.
        const oldest = cache.keys().next();
        if (!oldest.done) cache.delete(oldest.value);
      }
      cache.set(token, entry);
    }
    return entry;
  };

  /** What depends on the moment and the route: expiry, nbf, scopes, groups. */
  const authorize = (token: string, entry: CacheEntry, requirements: NormalizedRequirements): ClaimsOf<U> => {
    const at = now();
    if (at >= entry.expMs + toleranceMs) {
      cache?.delete(token);
      throw new TokenExpiredError('The token has expired.', entry.claims.exp);
    }
    if (at < entry.nbfMs - toleranceMs) throw new TokenNotYetValidError('The token is not valid yet.');
    const { scopes, groups } = requirements;
    if (scopes && !scopes.some((scope) => (entry.scopeSet ??= new Set(entry.scope.split(' '))).has(scope))) {
      throw new MissingScopeError(`The token has none of the required scopes (${scopes.join(', ')}).`, scopes);
    }
    if (groups && !groups.some((group) => entry.groups.includes(group))) {
      throw new MissingGroupError(`The user is in none of the required groups (${groups.join(', ')}).`, groups);
    }
    return entry.claims as ClaimsOf<U>;
  };

  // Middleware passes the same requirements object with every request: checked once.
  const mergedRequirements = new WeakMap<Requirements, NormalizedRequirements>();
  const merged = (requirements: Requirements): NormalizedRequirements => {
    let result = mergedRequirements.get(requirements);
    if (!result) {
      result = { ...defaults, ...checkedRequirements(tokenUse, requirements) };
      mergedRequirements.set(requirements, result);
    }
    return result;
  };

  const locally = (token: string, requirements?: Requirements): Promise<ClaimsOf<U>> => {
    try {
      const required = requirements === undefined ? defaults : merged(requirements);
      const hit = cache?.get(token);
      if (hit) return Promise.resolve(authorize(token, hit, required));
      const parsed = parseToken(token);
      const key = jwks.cachedKey(parsed.kid);
      if (key) return Promise.resolve(authorize(token, authenticate(token, parsed, key), required));
      return jwks.key(parsed.kid).then((fetched) => authorize(token, authenticate(token, parsed, fetched), required));
    } catch (error) {
      return Promise.reject(error);
    }
  };
  // The issuer is asked last, and only about tokens that would otherwise be accepted.
  const verify = checkActive
    ? (token: string, requirements?: Requirements) => locally(token, requirements).then((claims) => checkActive(token, claims.exp * 1000).then(() => claims))
    : locally;

  return { issuer, tokenUse, verify, hydrate: () => jwks.refresh() };
}

interface NormalizedRequirements {
  scopes?: readonly string[];
  groups?: readonly string[];
}

function checkedRequirements(tokenUse: TokenUse, requirements: Requirements): NormalizedRequirements {
  const { scopes, groups } = requirements;
  if (scopes !== undefined) {
    if (!Array.isArray(scopes) || scopes.length === 0 || scopes.some((s) => typeof s !== 'string' || s === '')) {
      throw new TypeError('scopes must be a non-empty list of scope names');
    }
    if (tokenUse === 'id') throw new TypeError('ID tokens carry no scopes: require scopes of access tokens only');
  }
  if (groups !== undefined && (!Array.isArray(groups) || groups.length === 0 || groups.some((g) => typeof g !== 'string' || g === ''))) {
    throw new TypeError('groups must be a non-empty list of group names');
  }
  return { ...(scopes ? { scopes } : {}), ...(groups ? { groups } : {}) };
}

const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}
