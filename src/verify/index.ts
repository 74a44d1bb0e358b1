// frontdesk/verify: verification of Frontdesk's (and Amazon Cognito's) ID and access tokens for any
// Node backend, and authorizer middleware for Fastify, Express and Hono. Stands alone: it imports
// only node: built-ins, never the server. See docs/authorizer.md.

export { createVerifier, issuerOf, type IssuerOptions, type Requirements, type Verifier, type VerifierOptions } from './verifier.js';
export type { IntrospectionOptions } from './introspection.js';
export type { AccessTokenClaims, ClaimsOf, IdTokenClaims, TokenUse } from './claims.js';
export {
  BadSignatureError,
  IntrospectionUnavailableError,
  JwksUnavailableError,
  MalformedTokenError,
  MissingGroupError,
  MissingScopeError,
  MissingTokenError,
  TokenExpiredError,
  TokenNotYetValidError,
  TokenRevokedError,
  TokenVerificationError,
  UnknownKidError,
  WrongClientError,
  WrongIssuerError,
  WrongTokenUseError,
  type VerifyFailureReason,
} from './errors.js';
export {
  authorize,
  bearerToken,
  expressAuthorizer,
  failureResponse,
  fastifyAuthorizer,
  honoAuthorizer,
  type AuthorizationFailure,
  type HeadersLike,
} from './middleware.js';
