import { randomUUID } from 'node:crypto';
import type { Store } from '../../store/store.js';
import type { AuthService, SettledStep } from '../auth/auth-service.js';
import type { UserPoolClientService } from '../clients/user-pool-client-service.js';
import type { GroupService } from '../groups/group-service.js';
import type { TokenService } from '../tokens/token-service.js';
import type { User } from '../users/user.js';
import type { AuthorizationCodes } from './authorization-codes.js';
import { checkAuthorizationRequest, type AuthorizationRequest, type RedirectableError } from './authorization-request.js';
import type { HostedSessions } from './hosted-sessions.js';
import type { OAuthError } from './oauth-error.js';
import { secretHashFor } from './hosted-accounts.js';
import type { Triggers } from '../triggers/triggers.js';
import { runPreTokenGeneration } from '../triggers/cognito/pre-token-generation.js';
import type { CustomizeTokens } from '../tokens/claim-overrides.js';

export interface AuthorizationServiceDeps {
  store: Pick<Store, 'resourceServers' | 'oauthGrants'>;
  clients: UserPoolClientService;
  auth: AuthService;
  codes: AuthorizationCodes;
  tokens: TokenService;
  groups: GroupService;
  sessions: HostedSessions;
  triggers?: Triggers;
}

/** Adds parameters to a redirect URL: to its query (code flow) or its fragment (implicit flow). */
export function withParameters(url: string, params: Record<string, string | undefined>, inFragment: boolean): string {
  const encoded = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined)).toString();
  if (inFragment) return `${url}#${encoded}`;
  return `${url}${url.includes('?') ? '&' : '?'}${encoded}`;
}

/**
 * The authorization side of the provider: checks authorization requests, signs users in through
 * the same auth service as the API, and finishes with a code (or, for the implicit flow, tokens)
 * sent to the redirect_uri.
 */
export class AuthorizationService {
  constructor(private readonly deps: AuthorizationServiceDeps) {}

  get sessions(): HostedSessions {
    return this.deps.sessions;
  }

  check(params: Record<string, string | undefined>, poolId: string | undefined): Promise<AuthorizationRequest> {
    return checkAuthorizationRequest(this.deps, params, poolId);
  }

  /** Where an error of a trusted request is sent (RFC 6749 §4.1.2.1, §4.2.2.1). */
  errorRedirect(error: RedirectableError): string {
    const { target } = error;
    return withParameters(
      target.redirectUri,
      { error: error.error, error_description: error.description, state: target.state },
      target.responseType === 'token',
    );
  }

  errorRedirectFor(request: AuthorizationRequest, error: OAuthError): string {
    return withParameters(
      request.redirectUri,
      { error: error.error, error_description: error.description, state: request.state },
      request.responseType === 'token',
    );
  }

  /**
   * The login page's password sign-in. The page acts as the client, so for a confidential client
   * it supplies the SECRET_HASH that PreAuthentication and UserMigration check (the browser never
   * sees it).
   */
  signIn(request: AuthorizationRequest, username: string, password: string, sourceIp?: string): Promise<SettledStep> {
    const hash = secretHashFor(request.client, username);
    return this.deps.auth.hostedPasswordSignIn(
      { pool: request.pool, client: request.client, admin: false, ...(sourceIp !== undefined ? { sourceIp } : {}) },
      username,
      password,
      hash,
    );
  }

  /**
   * Answers a challenge from a hosted page. The page acts as the client, so for a confidential
   * client it supplies the SECRET_HASH the challenge handlers check (the browser never sees it).
   */
  respond(
    request: AuthorizationRequest,
    challenge: string,
    responses: Record<string, string>,
    session: string | undefined,
    sourceIp?: string,
  ): Promise<SettledStep> {
    const { client } = request;
    const hash = responses.USERNAME ? secretHashFor(client, responses.USERNAME) : undefined;
    const withHash = hash !== undefined ? { ...responses, SECRET_HASH: hash } : responses;
    const ctx = { pool: request.pool, client, admin: false, ...(sourceIp !== undefined ? { sourceIp } : {}) };
    return this.deps.auth.hostedRespond(ctx, challenge, withHash, session);
  }

  /** The redirect that completes a signed-in authorization: a code, or tokens in the fragment. */
  async complete(request: AuthorizationRequest, user: User, authTime: Date): Promise<string> {
    const { client, pool } = request;
    if (request.responseType === 'code') {
      const code = await this.deps.codes.issue(client, user, {
        redirectUri: request.redirectUri,
        scopes: request.scopes,
        authTime: authTime.getTime(),
        ...(request.nonce !== undefined ? { nonce: request.nonce } : {}),
        ...(request.codeChallenge !== undefined ? { codeChallenge: request.codeChallenge, codeChallengeMethod: 'S256' as const } : {}),
      });
      return withParameters(request.redirectUri, { code, state: request.state }, false);
    }
    const groups = await this.deps.groups.tokenGroups(pool.id, user.id);
    const familyId = randomUUID();
    const issued = await this.deps.tokens.issueTokens({
      pool,
      client,
      user,
      authTime,
      scopes: request.scopes,
      groups: groups.groups,
      roles: groups,
      familyId,
      ...(request.nonce !== undefined ? { nonce: request.nonce } : {}),
      ...(this.deps.triggers ? { customize: hostedAuthCustomizer(this.deps.triggers, request, user) } : {}),
    });
    await this.deps.store.oauthGrants.put(familyId, request.scopes);
    // The implicit flow never returns a refresh token (RFC 6749 §4.2.2).
    return withParameters(
      request.redirectUri,
      {
        ...(request.scopes.includes('openid') ? { id_token: issued.IdToken } : {}),
        access_token: issued.AccessToken,
        token_type: 'Bearer',
        expires_in: String(issued.ExpiresIn),
        state: request.state,
      },
      true,
    );
  }
}

/** PreTokenGeneration for the implicit flow's tokens: TokenGeneration_HostedAuth, as at the token endpoint. */
const hostedAuthCustomizer = (triggers: Triggers, request: AuthorizationRequest, user: User) => (tokens: Parameters<CustomizeTokens>[0]) =>
  runPreTokenGeneration(triggers, request.pool, { triggerSource: 'TokenGeneration_HostedAuth', user, clientId: request.client.id, clientMetadata: undefined, tokens });
