// What /oauth2/authorize (and the hosted pages that continue it) accept. Reference: "The authorize
// endpoint" in the Cognito developer guide; RFC 6749 §4.1.1, §4.1.2.1, §4.2; RFC 7636; OIDC Core
// §3.1.2. Checks come in two tiers: until client and redirect_uri are known good, nothing may be
// sent to the redirect_uri (an error page instead); after that, errors go back to the client.
import type { UserPoolClientService } from '../clients/user-pool-client-service.js';
import type { UserPoolClient } from '../clients/user-pool-client.js';
import { customScopesOf } from '../clients/oauth-scopes.js';
import type { Store } from '../../store/store.js';
import type { UserPool } from '../user-pools/user-pool.js';
import { OAuthError } from './oauth-error.js';
import { grantScopes, parseScopeParameter } from './oauth-scopes.js';
import { PKCE_VALUE } from './pkce.js';
import { matchRedirectUri } from './redirect-matching.js';

export interface AuthorizationRequest {
  pool: UserPool;
  client: UserPoolClient;
  redirectUri: string;
  responseType: 'code' | 'token';
  scopes: string[];
  state?: string;
  nonce?: string;
  codeChallenge?: string;
  /** `prompt=login` forces a fresh sign-in; `prompt=none` forbids any page. */
  prompt?: 'login' | 'none';
}

/** A request that must not be answered by a redirect: the client or redirect_uri is not trusted. */
export class UntrustedRequestError extends Error {}

/** A request whose client and redirect_uri are good: the error goes back to the redirect_uri. */
export class RedirectableError extends OAuthError {
  constructor(
    readonly target: { redirectUri: string; state?: string; responseType: 'code' | 'token' },
    error: OAuthError,
  ) {
    super(error.error, error.description, error.status);
  }
}

/** The authorization parameters that travel from /oauth2/authorize to the hosted pages. */
export const AUTHORIZATION_PARAMETERS = [
  'client_id', 'redirect_uri', 'response_type', 'scope', 'state', 'nonce', 'code_challenge', 'code_challenge_method',
  'identity_provider', 'idp_identifier', 'prompt', 'lang',
] as const;

const MAX_PARAMETER_LENGTH = 2048;

export async function checkAuthorizationRequest(
  deps: { clients: UserPoolClientService; store: Pick<Store, 'resourceServers'> },
  params: Record<string, string | undefined>,
  poolId: string | undefined,
): Promise<AuthorizationRequest> {
  for (const name of AUTHORIZATION_PARAMETERS) {
    if ((params[name]?.length ?? 0) > MAX_PARAMETER_LENGTH) throw new UntrustedRequestError(`The ${name} parameter is too long.`);
  }
  const clientId = params.client_id;
  if (!clientId) throw new UntrustedRequestError('The client_id parameter is required.');
  const found = await deps.clients.resolvePublicClient(clientId).catch(() => undefined);
  if (!found || (poolId !== undefined && found.pool.id !== poolId)) throw new UntrustedRequestError('The client does not exist.');
  const { pool, client } = found;
  if (!params.redirect_uri) throw new UntrustedRequestError('The redirect_uri parameter is required.');
  const redirectUri = matchRedirectUri(client.settings.CallbackURLs, params.redirect_uri);
  if (!redirectUri) throw new UntrustedRequestError('The redirect_uri is not registered for this client.');

  const responseType = params.response_type === 'token' ? 'token' : 'code';
  const back = (error: OAuthError) =>
    new RedirectableError({ redirectUri, responseType, ...(params.state !== undefined ? { state: params.state } : {}) }, error);

  if (params.response_type === undefined) throw back(new OAuthError('invalid_request', 'The response_type parameter is required.'));
  if (params.response_type !== 'code' && params.response_type !== 'token') {
    throw back(new OAuthError('unsupported_response_type', 'The response_type must be code or token.'));
  }
  const flow = responseType === 'code' ? 'code' : 'implicit';
  if (!client.settings.AllowedOAuthFlowsUserPoolClient || !client.settings.AllowedOAuthFlows?.includes(flow)) {
    throw back(new OAuthError('unauthorized_client', `The client is not allowed the ${flow} flow.`));
  }
  if (params.identity_provider !== undefined && params.identity_provider !== 'COGNITO') {
    throw back(new OAuthError('invalid_request', `The identity provider ${params.identity_provider} does not exist.`));
  }
  if (params.idp_identifier !== undefined) throw back(new OAuthError('invalid_request', 'No identity provider has that identifier.'));

  let scopes: string[];
  try {
    scopes = grantScopes(client, parseScopeParameter(params.scope), await customScopesOf(deps, pool.id));
  } catch (error) {
    throw error instanceof OAuthError ? back(error) : error;
  }
  if (scopes.length === 0) throw back(new OAuthError('invalid_scope', 'The client has no scopes to grant.'));

  // PKCE (RFC 7636) with S256 only: `plain` would hand the verifier to whoever sees the request.
  const challenge = params.code_challenge;
  const method = params.code_challenge_method;
  if (method !== undefined && method !== 'S256') throw back(new OAuthError('invalid_request', 'The code_challenge_method must be S256.'));
  if (challenge !== undefined) {
    if (method === undefined) throw back(new OAuthError('invalid_request', 'The code_challenge_method must be S256 (plain is not supported).'));
    if (!PKCE_VALUE.test(challenge) || challenge.length !== 43) throw back(new OAuthError('invalid_request', 'The code_challenge is malformed.'));
  } else if (method !== undefined) {
    throw back(new OAuthError('invalid_request', 'A code_challenge_method was given without a code_challenge.'));
  }
  // A public client cannot keep a secret, so only PKCE ties the code to the app that asked for it.
  if (responseType === 'code' && client.secret === undefined && challenge === undefined) {
    throw back(new OAuthError('invalid_request', 'Public clients must use PKCE (code_challenge with S256).'));
  }
  if (params.prompt !== undefined && params.prompt !== 'login' && params.prompt !== 'none') {
    throw back(new OAuthError('invalid_request', 'The prompt parameter must be login or none.'));
  }

  return {
    pool,
    client,
    redirectUri,
    responseType,
    scopes,
    ...(params.state !== undefined ? { state: params.state } : {}),
    ...(params.nonce !== undefined ? { nonce: params.nonce } : {}),
    ...(challenge !== undefined ? { codeChallenge: challenge } : {}),
    ...(params.prompt === 'login' || params.prompt === 'none' ? { prompt: params.prompt } : {}),
  };
}
