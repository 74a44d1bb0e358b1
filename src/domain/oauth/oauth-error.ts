/** The error codes of RFC 6749 §4.1.2.1 / §5.2, RFC 7009 and OIDC Core that Frontdesk answers with. */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'access_denied'
  | 'server_error'
  | 'unsupported_token_type'
  | 'invalid_token'
  | 'login_required';

/** A refusal in OAuth 2.0 terms: the code and a description, and the HTTP status of a direct answer. */
export class OAuthError extends Error {
  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
    readonly status = error === 'invalid_client' || error === 'invalid_token' ? 401 : 400,
  ) {
    super(description);
  }
}
