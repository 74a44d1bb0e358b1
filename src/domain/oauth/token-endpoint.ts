// The token endpoint, /oauth2/token: authorization_code (with PKCE), refresh_token and
// client_credentials grants. Reference: "The token issuer endpoint" in the Cognito developer guide,
// RFC 6749 §4.1.3, §4.4, §6 and RFC 7636.
import type { OAuthFlowType } from '@aws-sdk/client-cognito-identity-provider';
import {
  InvalidLambdaResponseException,
  NotAuthorizedException,
  RefreshTokenReuseException,
  UnexpectedLambdaException,
  UserLambdaValidationException,
} from '../../generated/exceptions.js';
import type { Store } from '../../store/store.js';
import type { Clock } from '../clock.js';
import type { UserPoolClientService } from '../clients/user-pool-client-service.js';
import type { UserPoolClient } from '../clients/user-pool-client.js';
import { customScopesOf } from '../clients/oauth-scopes.js';
import type { GroupService } from '../groups/group-service.js';
import type { TokenService } from '../tokens/token-service.js';
import { ADMIN_SCOPE } from '../tokens/claims.js';
import type { UserDirectory } from '../users/user-directory.js';
import type { UserPool } from '../user-pools/user-pool.js';
import type { AuthorizationCodes } from './authorization-codes.js';
import { authenticateClient, type PresentedClient } from './client-authentication.js';
import { mintM2mAccessToken } from './m2m-tokens.js';
import { OAuthError } from './oauth-error.js';
import { grantScopes, parseScopeParameter } from './oauth-scopes.js';
import type { Triggers } from '../triggers/triggers.js';
import { runClientCredentialsTokenGeneration, runPreTokenGeneration, type TokenGenerationSource } from '../triggers/cognito/pre-token-generation.js';
import type { CustomizeTokens } from '../tokens/claim-overrides.js';
import type { User } from '../users/user.js';

/** RFC 6749 §5.1's successful answer, with OIDC's id_token. */
export interface TokenResponse {
  id_token?: string;
  access_token: string;
  refresh_token?: string;
  expires_in: number;
  token_type: 'Bearer';
}

export interface TokenEndpointDeps {
  store: Pick<Store, 'resourceServers' | 'oauthGrants'>;
  clock: Clock;
  clients: UserPoolClientService;
  users: UserDirectory;
  groups: GroupService;
  tokens: TokenService;
  codes: AuthorizationCodes;
  /** The pool's Lambda triggers (PreTokenGeneration); none in tests of the endpoint alone. */
  triggers?: Triggers;
}

/** A client may use a grant only with OAuth switched on and the flow allowed. */
export function requireOAuthFlow(client: UserPoolClient, flow: OAuthFlowType): void {
  if (!client.settings.AllowedOAuthFlowsUserPoolClient || !client.settings.AllowedOAuthFlows?.includes(flow)) {
    throw new OAuthError('unauthorized_client', `The client is not allowed the ${flow} flow.`);
  }
}

/** The scopes of an access token this endpoint has just minted (so no verification is needed). */
function scopesOf(accessToken: string): string[] {
  const payload = JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString('utf8')) as { scope?: string };
  return (payload.scope ?? '').split(' ');
}

export class TokenEndpoint {
  constructor(private readonly deps: TokenEndpointDeps) {}

  /** Answers one token request. `poolId` confines it to the pool whose endpoint was called. */
  async exchange(form: Record<string, string>, presented: PresentedClient | undefined, poolId?: string): Promise<TokenResponse> {
    const grantType = form.grant_type;
    if (!grantType) throw new OAuthError('invalid_request', 'The grant_type parameter is required.');
    if (!['authorization_code', 'refresh_token', 'client_credentials'].includes(grantType)) {
      throw new OAuthError('unsupported_grant_type', `The grant type ${grantType} is not supported.`);
    }
    const { pool, client } = await authenticateClient(this.deps.clients, presented, poolId);
    try {
      switch (grantType) {
        case 'client_credentials':
          return await this.clientCredentials(pool, client, form);
        case 'authorization_code':
          return await this.authorizationCode(pool, client, form);
        default:
          return await this.refreshToken(pool, client, form);
      }
    } catch (error) {
      throw triggerFailure(error) ?? error;
    }
  }

  /** PreTokenGeneration for a user's tokens issued here (none when the pool has no such trigger). */
  private customizer(pool: UserPool, client: UserPoolClient, user: User, triggerSource: TokenGenerationSource): CustomizeTokens | undefined {
    const { triggers } = this.deps;
    if (!triggers) return undefined;
    return (tokens) => runPreTokenGeneration(triggers, pool, { triggerSource, user, clientId: client.id, clientMetadata: undefined, tokens });
  }

  private async clientCredentials(pool: UserPool, client: UserPoolClient, form: Record<string, string>): Promise<TokenResponse> {
    requireOAuthFlow(client, 'client_credentials');
    const scopes = grantScopes(client, parseScopeParameter(form.scope), await customScopesOf(this.deps, pool.id));
    if (scopes.length === 0) throw new OAuthError('invalid_scope', 'The client has no scopes to grant.');
    // V3 pre token generation (TokenGeneration_ClientCredentials), with the request's
    // aws_client_metadata as clientMetadata, as Cognito's token endpoint does.
    const customization = this.deps.triggers
      ? await runClientCredentialsTokenGeneration(this.deps.triggers, pool, { clientId: client.id, scopes, clientMetadata: clientMetadataOf(form) })
      : undefined;
    const { accessToken, expiresIn } = await mintM2mAccessToken(this.deps, pool, client, scopes, customization);
    return { access_token: accessToken, expires_in: expiresIn, token_type: 'Bearer' };
  }

  private async authorizationCode(pool: UserPool, client: UserPoolClient, form: Record<string, string>): Promise<TokenResponse> {
    requireOAuthFlow(client, 'code');
    if (!form.code) throw new OAuthError('invalid_request', 'The code parameter is required.');
    if (!form.redirect_uri) throw new OAuthError('invalid_request', 'The redirect_uri parameter is required.');
    const redeemed = await this.deps.codes.redeem(client, form.code, form.redirect_uri, form.code_verifier);
    const user = await this.deps.users.byId(pool, redeemed.userId);
    if (!user?.enabled) throw new OAuthError('invalid_grant', 'The user cannot sign in.');
    const groups = await this.deps.groups.tokenGroups(pool.id, user.id);
    const { scopes } = redeemed.grant;
    const issued = await this.deps.tokens.issueTokens({
      pool,
      client,
      user,
      authTime: new Date(redeemed.grant.authTime),
      scopes,
      groups: groups.groups,
      roles: groups,
      familyId: redeemed.familyId,
      ...(redeemed.grant.nonce !== undefined ? { nonce: redeemed.grant.nonce } : {}),
      // Tokens for a hosted-UI sign-in: TokenGeneration_HostedAuth, as Cognito names it.
      ...optionalCustomize(this.customizer(pool, client, user, 'TokenGeneration_HostedAuth')),
    });
    await this.deps.store.oauthGrants.put(redeemed.familyId, scopes);
    if (!(await redeemed.confirmIssued())) throw new OAuthError('invalid_grant', 'The authorization code has already been used.');
    return {
      ...(scopes.includes('openid') ? { id_token: issued.IdToken } : {}),
      access_token: issued.AccessToken,
      refresh_token: issued.RefreshToken,
      expires_in: issued.ExpiresIn,
      token_type: 'Bearer',
    };
  }

  private async refreshToken(pool: UserPool, client: UserPoolClient, form: Record<string, string>): Promise<TokenResponse> {
    if (!client.settings.AllowedOAuthFlowsUserPoolClient) throw new OAuthError('unauthorized_client', 'The client is not allowed OAuth flows.');
    if (!form.refresh_token) throw new OAuthError('invalid_request', 'The refresh_token parameter is required.');
    let issued;
    try {
      issued = await this.deps.tokens.refreshTokens({
        pool,
        client,
        refreshToken: form.refresh_token,
        loadUser: (userId) => this.deps.users.byId(pool, userId),
        loadGroups: (user) => this.deps.groups.tokenGroups(pool.id, user.id),
        customize: (user) => this.customizer(pool, client, user, 'TokenGeneration_RefreshTokens'),
      });
    } catch (error) {
      if (error instanceof NotAuthorizedException || error instanceof RefreshTokenReuseException) {
        throw new OAuthError('invalid_grant', error.message);
      }
      throw error;
    }
    const scope = scopesOf(issued.AccessToken);
    // ID tokens go to OpenID Connect sessions (and to API sign-ins, whose tokens always had one).
    const withIdToken = scope.includes('openid') || (scope.length === 1 && scope[0] === ADMIN_SCOPE);
    return {
      ...(withIdToken ? { id_token: issued.IdToken } : {}),
      access_token: issued.AccessToken,
      ...(issued.RefreshToken !== undefined ? { refresh_token: issued.RefreshToken } : {}),
      expires_in: issued.ExpiresIn,
      token_type: 'Bearer',
    };
  }
}

const optionalCustomize = (customize: CustomizeTokens | undefined) => (customize ? { customize } : {});

/** `aws_client_metadata`: a JSON object of strings for the client-credentials trigger. */
function clientMetadataOf(form: Record<string, string>): Record<string, string> | undefined {
  const raw = form.aws_client_metadata;
  if (raw === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new OAuthError('invalid_request', 'aws_client_metadata must be a JSON object of strings.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || Object.values(parsed).some((v) => typeof v !== 'string')) {
    throw new OAuthError('invalid_request', 'aws_client_metadata must be a JSON object of strings.');
  }
  return parsed as Record<string, string>;
}

/**
 * A Lambda trigger's failure at the token endpoint, in OAuth terms. DEVIATION: Cognito does not
 * document its token endpoint's answer here; a function's refusal (UserLambdaValidationException)
 * is `invalid_request` with Lambda's message ("PreTokenGeneration failed with error …"), a broken
 * or unreachable function `server_error` (500).
 */
function triggerFailure(error: unknown): OAuthError | undefined {
  if (error instanceof UserLambdaValidationException) return new OAuthError('invalid_request', error.message);
  if (error instanceof InvalidLambdaResponseException || error instanceof UnexpectedLambdaException) {
    return new OAuthError('server_error', error.message, 500);
  }
  return undefined;
}
