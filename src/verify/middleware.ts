import type { ClaimsOf, TokenUse } from './claims.js';
import { MissingTokenError, TokenVerificationError, type VerifyFailureReason } from './errors.js';
import type { Requirements, Verifier } from './verifier.js';

// The authorizer in front of a route, with API Gateway's answers: 401 (and an RFC 6750
// `WWW-Authenticate: Bearer …` challenge) when the request does not carry a valid token, 403 when the
// token is valid but lacks a required scope or group, 503 when the issuer's keys cannot be had.
// One generic helper does the work; the Fastify, Express and Hono adapters only translate. They are
// typed structurally, so this module imports none of those frameworks.

/** Node's header record (Fastify, Express, node:http) or a Fetch `Headers` (Hono, Request). */
export type HeadersLike = { get(name: string): string | null } | Record<string, string | string[] | undefined>;

/**
 * The token of an `Authorization` header: `Bearer <token>`, or (as API Gateway's Cognito authorizer
 * takes it) the bare token. Undefined when there is none, or the header is of another scheme.
 */
export function bearerToken(authorization: string | string[] | null | undefined): string | undefined {
  const value = Array.isArray(authorization) ? authorization[0] : authorization;
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  const space = trimmed.search(/\s/);
  if (space === -1) return trimmed === '' || trimmed.toLowerCase() === 'bearer' ? undefined : trimmed;
  if (trimmed.slice(0, space).toLowerCase() !== 'bearer') return undefined;
  const token = trimmed.slice(space).trim();
  return token === '' || /\s/.test(token) ? undefined : token;
}

function authorizationHeader(headers: HeadersLike): string | string[] | null | undefined {
  return typeof headers.get === 'function' ? (headers as { get(name: string): string | null }).get('authorization') : (headers as Record<string, string | string[] | undefined>).authorization;
}

/**
 * The claims of the request's bearer token; rejects with MissingTokenError when there is none, and
 * with the verifier's TokenVerificationError when it does not pass.
 */
export function authorize<U extends TokenUse>(verifier: Verifier<U>, request: { headers: HeadersLike }, requirements?: Requirements): Promise<ClaimsOf<U>> {
  const token = bearerToken(authorizationHeader(request.headers));
  if (token === undefined) return Promise.reject(new MissingTokenError('The request has no bearer token.'));
  return verifier.verify(token, requirements);
}

/** What to answer a refused request with. */
export interface AuthorizationFailure {
  status: 401 | 403 | 503;
  headers: Record<string, string>;
  /** API Gateway's bodies: `{"message":"Unauthorized"}`, `{"message":"Forbidden"}`. */
  body: { message: string };
  reason: VerifyFailureReason;
}

/** RFC 6750 error_description values (no quotes or backslashes allowed in them). */
const DESCRIPTIONS: Record<VerifyFailureReason, string> = {
  missingToken: 'no bearer token',
  malformed: 'the token is malformed',
  badSignature: 'the token signature is invalid',
  unknownKid: 'the token was signed by an unknown key',
  expired: 'the token has expired',
  notYetValid: 'the token is not valid yet',
  wrongIssuer: 'the token has another issuer',
  wrongTokenUse: 'the token is not of the required use',
  wrongClient: 'the token was issued to another client',
  missingScope: 'the token lacks a required scope',
  missingGroup: 'the user is not in a required group',
  jwksUnavailable: 'the signing keys are unavailable',
  revoked: 'the token has been revoked',
  introspectionUnavailable: 'the issuer could not be asked about the token',
};

/**
 * The response for an authorization failure; undefined for any other error (a bug, not a refusal:
 * let the framework's error handling have it).
 */
export function failureResponse(error: unknown): AuthorizationFailure | undefined {
  if (!(error instanceof TokenVerificationError)) return undefined;
  const reason = error.reason;
  const description = DESCRIPTIONS[reason];
  switch (error.status) {
    case 401:
      return {
        status: 401,
        // RFC 6750 §3.1: a request with no credentials at all gets the bare challenge, no error code.
        headers: { 'www-authenticate': reason === 'missingToken' ? 'Bearer' : `Bearer error="invalid_token", error_description="${description}"` },
        body: { message: 'Unauthorized' },
        reason,
      };
    case 403: {
      const scopes = 'requiredScopes' in error ? (error.requiredScopes as readonly string[]) : undefined;
      const scope = scopes ? `, scope="${scopes.join(' ').replace(/["\\]/g, '')}"` : '';
      return {
        status: 403,
        headers: { 'www-authenticate': `Bearer error="insufficient_scope", error_description="${description}"${scope}` },
        body: { message: 'Forbidden' },
        reason,
      };
    }
    case 503:
      return { status: 503, headers: { 'retry-after': '1' }, body: { message: 'Service Unavailable' }, reason };
  }
}

// --- Fastify --------------------------------------------------------------------------------------

interface FastifyReplyLike {
  code(statusCode: number): FastifyReplyLike;
  header(name: string, value: string): FastifyReplyLike;
  send(payload?: unknown): unknown;
}

/**
 * A Fastify `preHandler` (or `onRequest`) hook: sets `request.claims` on success, answers 401/403/503
 * otherwise. `app.decorateRequest('claims', null)` once keeps request objects of one shape.
 */
export function fastifyAuthorizer<U extends TokenUse>(verifier: Verifier<U>, requirements?: Requirements) {
  return async function authorizer(request: { headers: HeadersLike; claims?: unknown }, reply: FastifyReplyLike): Promise<unknown> {
    try {
      request.claims = await authorize(verifier, request, requirements);
      return undefined;
    } catch (error) {
      const failure = failureResponse(error);
      if (!failure) throw error;
      let out = reply.code(failure.status);
      for (const [name, value] of Object.entries(failure.headers)) out = out.header(name, value);
      out.send(failure.body);
      return reply;
    }
  };
}

// --- Express (and plain node:http / Connect) ------------------------------------------------------

interface ResponseLike {
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  end(body?: string): unknown;
}

/** Express middleware `(req, res, next)`: sets `req.claims` and calls next, or answers 401/403/503. */
export function expressAuthorizer<U extends TokenUse>(verifier: Verifier<U>, requirements?: Requirements) {
  return function authorizer(req: { headers: HeadersLike; claims?: unknown }, res: ResponseLike, next: (error?: unknown) => void): void {
    authorize(verifier, req, requirements).then(
      (claims) => {
        req.claims = claims;
        next();
      },
      (error: unknown) => {
        const failure = failureResponse(error);
        if (!failure) return next(error);
        res.statusCode = failure.status;
        for (const [name, value] of Object.entries(failure.headers)) res.setHeader(name, value);
        res.setHeader('content-type', 'application/json; charset=utf-8');
        res.end(JSON.stringify(failure.body));
      },
    );
  };
}

// --- Hono -----------------------------------------------------------------------------------------

interface HonoContextLike {
  req: { header(name: string): string | undefined };
  set(key: 'claims', value: never): void;
}

/**
 * Hono middleware: `c.get('claims')` holds the claims after it (declare `Variables: { claims: … }`
 * on the app for types), or the request is answered 401/403/503.
 */
export function honoAuthorizer<U extends TokenUse>(verifier: Verifier<U>, requirements?: Requirements) {
  return async function authorizer(c: HonoContextLike, next: () => Promise<void>): Promise<Response | void> {
    let claims: ClaimsOf<U>;
    try {
      const token = bearerToken(c.req.header('authorization'));
      if (token === undefined) throw new MissingTokenError('The request has no bearer token.');
      claims = await verifier.verify(token, requirements);
    } catch (error) {
      const failure = failureResponse(error);
      if (!failure) throw error;
      return new Response(JSON.stringify(failure.body), {
        status: failure.status,
        headers: { ...failure.headers, 'content-type': 'application/json; charset=utf-8' },
      });
    }
    c.set('claims', claims as never);
    await next();
  };
}
