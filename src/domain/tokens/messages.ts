// Cognito's own wording. Clients (Amplify, the mobile SDKs) classify token failures by these exact
// strings, so they are copied from observed responses, trailing period included where Cognito has one
// ("Invalid Refresh Token." is 70 bytes on the wire in a captured botocore log; the others have none).

export const INVALID_ACCESS_TOKEN = 'Invalid Access Token';
export const ACCESS_TOKEN_EXPIRED = 'Access Token has expired';
export const ACCESS_TOKEN_REVOKED = 'Access Token has been revoked';
export const MISSING_SCOPES = 'Access Token does not have required scopes';

export const INVALID_REFRESH_TOKEN = 'Invalid Refresh Token.';
export const REFRESH_TOKEN_EXPIRED = 'Refresh Token has expired';
export const REFRESH_TOKEN_REVOKED = 'Refresh Token has been revoked';
/** Cognito documents the exception (RefreshTokenReuseException), not its message. */
export const REFRESH_TOKEN_REUSED = 'Refresh Token has been invalidated by refresh token rotation';

export const USER_DISABLED = 'User is disabled.';
export const USER_DOES_NOT_EXIST = 'User does not exist.';

/** RevokeToken on a client with EnableTokenRevocation off (the /oauth2/revoke endpoint says invalid_request). */
export const REVOCATION_DISABLED = 'Token revocation is not enabled for this app client.';
/** RevokeToken given an access or ID token (the /oauth2/revoke endpoint says unsupported_token_type). */
export const NOT_A_REFRESH_TOKEN = 'Only refresh tokens can be revoked.';
