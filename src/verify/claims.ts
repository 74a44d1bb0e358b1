// The claims of Cognito's (and so Frontdesk's) tokens, as a verifier hands them back. Kept here,
// apart from the server's own types, so that the library stands alone.

export type TokenUse = 'access' | 'id';

interface CommonClaims {
  sub: string;
  iss: string;
  token_use: TokenUse;
  exp: number;
  iat: number;
  auth_time?: number;
  jti?: string;
  origin_jti?: string;
  event_id?: string;
  'cognito:groups'?: string[];
  nbf?: number;
}

export interface AccessTokenClaims extends CommonClaims {
  token_use: 'access';
  client_id: string;
  /** Space-separated scopes. */
  scope: string;
  username: string;
  device_key?: string;
  [claim: string]: unknown;
}

/** Fixed claims of an ID token; user attributes come as further members. */
export interface IdTokenClaims extends CommonClaims {
  token_use: 'id';
  aud: string;
  'cognito:username': string;
  'cognito:roles'?: string[];
  'cognito:preferred_role'?: string;
  nonce?: string;
  email?: string;
  email_verified?: boolean;
  phone_number?: string;
  phone_number_verified?: boolean;
  [claim: string]: unknown;
}

export type ClaimsOf<U extends TokenUse> = U extends 'access' ? AccessTokenClaims : IdTokenClaims;
