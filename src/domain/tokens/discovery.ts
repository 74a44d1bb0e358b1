/**
 * The OpenID Provider metadata Cognito serves at `/<poolId>/.well-known/openid-configuration`,
 * member for member, plus the PKCE method, the grant types and Frontdesk's introspection endpoint.
 * Cognito points the OAuth endpoints at the pool's domain; Frontdesk lists them under the issuer
 * path, which serves the pool's endpoints whether or not it has a domain (the same endpoints answer
 * on the pool's prefix or custom domain too).
 */
export interface OpenIdConfiguration {
  authorization_endpoint: string;
  end_session_endpoint: string;
  id_token_signing_alg_values_supported: string[];
  issuer: string;
  jwks_uri: string;
  response_types_supported: string[];
  revocation_endpoint: string;
  scopes_supported: string[];
  subject_types_supported: string[];
  token_endpoint: string;
  token_endpoint_auth_methods_supported: string[];
  userinfo_endpoint: string;
  code_challenge_methods_supported: string[];
  grant_types_supported: string[];
  introspection_endpoint: string;
}

export function openIdConfiguration(_publicUrl: string, issuer: string): OpenIdConfiguration {
  const base = issuer;
  return {
    authorization_endpoint: `${base}/oauth2/authorize`,
    end_session_endpoint: `${base}/logout`,
    id_token_signing_alg_values_supported: ['RS256'],
    issuer,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    response_types_supported: ['code', 'token'],
    revocation_endpoint: `${base}/oauth2/revoke`,
    scopes_supported: ['openid', 'email', 'phone', 'profile'],
    subject_types_supported: ['public'],
    token_endpoint: `${base}/oauth2/token`,
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    userinfo_endpoint: `${base}/oauth2/userInfo`,
    code_challenge_methods_supported: ['S256'],
    grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials', 'implicit'],
    introspection_endpoint: `${base}/oauth2/introspect`,
  };
}
