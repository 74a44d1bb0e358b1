// Why a token was refused: one class per reason, each with a stable `reason` code (for logs,
// metrics and switch statements) and the HTTP status an API answers with (API Gateway's
// semantics: 401 for a token that does not authenticate, 403 for one that authenticates but lacks
// a required scope or group, 503 when the keys cannot be had and so nothing was judged).

export type VerifyFailureReason =
  | 'missingToken'
  | 'malformed'
  | 'badSignature'
  | 'unknownKid'
  | 'expired'
  | 'notYetValid'
  | 'wrongIssuer'
  | 'wrongTokenUse'
  | 'wrongClient'
  | 'missingScope'
  | 'missingGroup'
  | 'jwksUnavailable'
  | 'revoked'
  | 'introspectionUnavailable';

/** The base class of every refusal; `instanceof TokenVerificationError` catches them all. */
export abstract class TokenVerificationError extends Error {
  abstract readonly reason: VerifyFailureReason;
  /** 401, 403 or 503. */
  abstract readonly status: 401 | 403 | 503;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** No token in the request (middleware only; `verify` itself always has a token). */
export class MissingTokenError extends TokenVerificationError {
  readonly reason = 'missingToken';
  readonly status = 401;
}

/** Not a compact JWS, not JSON, or without the claims a Cognito token of that use always has. */
export class MalformedTokenError extends TokenVerificationError {
  readonly reason = 'malformed';
  readonly status = 401;
}

/**
 * The signature does not verify, or the header asks for anything but RS256 with a kid from the
 * issuer's JWKS (`alg: none`, HS256, `jku`/`x5u`/`jwk`/`x5c` naming a key of the token's choosing).
 */
export class BadSignatureError extends TokenVerificationError {
  readonly reason = 'badSignature';
  readonly status = 401;
}

/** The kid is not in the issuer's JWKS, even after a (rate-limited) refetch. */
export class UnknownKidError extends TokenVerificationError {
  readonly reason = 'unknownKid';
  readonly status = 401;
}

export class TokenExpiredError extends TokenVerificationError {
  readonly reason = 'expired';
  readonly status = 401;
  /** The token's `exp`, epoch seconds. */
  readonly expiredAt: number;
  constructor(message: string, expiredAt: number) {
    super(message);
    this.expiredAt = expiredAt;
  }
}

/** `nbf` lies in the future (beyond the clock tolerance). */
export class TokenNotYetValidError extends TokenVerificationError {
  readonly reason = 'notYetValid';
  readonly status = 401;
}

export class WrongIssuerError extends TokenVerificationError {
  readonly reason = 'wrongIssuer';
  readonly status = 401;
}

/** An ID token where an access token is required, or the other way round. */
export class WrongTokenUseError extends TokenVerificationError {
  readonly reason = 'wrongTokenUse';
  readonly status = 401;
}

/** `client_id` (access token) or `aud` (ID token) is not one of the allowed app clients. */
export class WrongClientError extends TokenVerificationError {
  readonly reason = 'wrongClient';
  readonly status = 401;
}

/** A valid token without any of the required scopes. */
export class MissingScopeError extends TokenVerificationError {
  readonly reason = 'missingScope';
  readonly status = 403;
  readonly requiredScopes: readonly string[];
  constructor(message: string, requiredScopes: readonly string[]) {
    super(message);
    this.requiredScopes = requiredScopes;
  }
}

/** A valid token whose user is in none of the required groups. */
export class MissingGroupError extends TokenVerificationError {
  readonly reason = 'missingGroup';
  readonly status = 403;
  readonly requiredGroups: readonly string[];
  constructor(message: string, requiredGroups: readonly string[]) {
    super(message);
    this.requiredGroups = requiredGroups;
  }
}

/** The issuer's JWKS could not be fetched or parsed; the token was not judged. */
export class JwksUnavailableError extends TokenVerificationError {
  readonly reason = 'jwksUnavailable';
  readonly status = 503;
}

/**
 * The issuer says the token is no longer active (introspection on): revoked by GlobalSignOut or
 * RevokeToken, its user disabled or deleted.
 */
export class TokenRevokedError extends TokenVerificationError {
  readonly reason = 'revoked';
  readonly status = 401;
}

/** Introspection is on and the issuer could not be asked; the token was not judged (fails closed). */
export class IntrospectionUnavailableError extends TokenVerificationError {
  readonly reason = 'introspectionUnavailable';
  readonly status = 503;
}
