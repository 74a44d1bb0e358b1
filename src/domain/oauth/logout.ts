// /logout: Cognito's form (client_id + logout_uri, or client_id + redirect_uri + response_type to
// sign in again) and OpenID Connect RP-Initiated Logout 1.0 (id_token_hint, client_id,
// post_logout_redirect_uri, state). Reference: "The logout endpoint" in the Cognito developer guide.
import type { UserPoolClientService } from '../clients/user-pool-client-service.js';
import type { UserPoolClient } from '../clients/user-pool-client.js';
import type { TokenService } from '../tokens/token-service.js';
import { parseRs256, verifyRs256 } from '../tokens/jwt.js';
import type { UserPool } from '../user-pools/user-pool.js';
import { UntrustedRequestError } from './authorization-request.js';
import { withParameters } from './authorization-service.js';

export type LogoutOutcome =
  /** Sign out, then go to this URL (a registered sign-out URL, with `state` for RP-initiated logout). */
  | { kind: 'redirect'; pool: UserPool; client: UserPoolClient; url: string }
  /** Sign out, then sign in again through the login page with these authorization parameters. */
  | { kind: 'signInAgain'; pool: UserPool; client: UserPoolClient }
  /** Sign out and show the signed-out page (no client named a place to go). */
  | { kind: 'signedOut'; pool?: UserPool };

export class LogoutService {
  constructor(private readonly deps: { clients: UserPoolClientService; tokens: TokenService }) {}

  /** Decides where a logout request goes; UntrustedRequestError for anything not registered. */
  async resolve(params: Record<string, string | undefined>, poolId: string | undefined): Promise<LogoutOutcome> {
    const hinted = params.id_token_hint ? await this.clientOfIdToken(params.id_token_hint) : undefined;
    if (params.id_token_hint && !hinted) throw new UntrustedRequestError('The id_token_hint is not an ID token of this provider.');
    const clientId = params.client_id ?? hinted;
    if (hinted && params.client_id && hinted !== params.client_id) throw new UntrustedRequestError('The id_token_hint was issued to another client.');
    if (!clientId) {
      if (params.logout_uri || params.post_logout_redirect_uri || params.redirect_uri) throw new UntrustedRequestError('The client_id parameter is required.');
      return { kind: 'signedOut' };
    }
    const found = await this.deps.clients.resolvePublicClient(clientId).catch(() => undefined);
    if (!found || (poolId !== undefined && found.pool.id !== poolId)) throw new UntrustedRequestError('The client does not exist.');
    const { pool, client } = found;
    const registered = client.settings.LogoutURLs ?? [];

    const target = params.logout_uri ?? params.post_logout_redirect_uri;
    if (target !== undefined) {
      // Sign-out URLs match exactly: logout carries no code, but an open redirect is still one.
      if (!registered.includes(target)) throw new UntrustedRequestError('The sign-out URL is not registered for this client.');
      const url = params.post_logout_redirect_uri !== undefined && params.state !== undefined ? withParameters(target, { state: params.state }, false) : target;
      return { kind: 'redirect', pool, client, url };
    }
    if (params.redirect_uri !== undefined) return { kind: 'signInAgain', pool, client };
    if (hinted) return { kind: 'signedOut', pool };
    throw new UntrustedRequestError('The logout_uri parameter is required.');
  }

  /** The audience of a genuine ID token of ours (expired ones too: logout comes after expiry). */
  private async clientOfIdToken(token: string): Promise<string | undefined> {
    const parsed = parseRs256(token);
    if (!parsed) return undefined;
    const key = await this.deps.tokens.keys.verificationKey(parsed.kid);
    if (!key || !verifyRs256(parsed, key.publicKey)) return undefined;
    const { token_use: use, aud } = parsed.payload;
    return use === 'id' && typeof aud === 'string' ? aud : undefined;
  }
}
