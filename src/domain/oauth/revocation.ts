// /oauth2/revoke: RFC 7009. Reference: "The token revocation endpoint" in the Cognito developer guide.
import { UnsupportedOperationException, UnsupportedTokenTypeException } from '../../generated/exceptions.js';
import type { UserPoolClientService } from '../clients/user-pool-client-service.js';
import type { TokenService } from '../tokens/token-service.js';
import { authenticateClient, type PresentedClient } from './client-authentication.js';
import { OAuthError } from './oauth-error.js';

export class Revocation {
  constructor(private readonly deps: { clients: UserPoolClientService; tokens: TokenService }) {}

  /** Revokes a refresh token's session; an unknown or foreign token is answered with success. */
  async revoke(form: Record<string, string>, presented: PresentedClient | undefined, poolId?: string): Promise<void> {
    const { client } = await authenticateClient(this.deps.clients, presented, poolId);
    if (!form.token) throw new OAuthError('invalid_request', 'The token parameter is required.');
    try {
      await this.deps.tokens.revokeRefreshToken({ client, token: form.token });
    } catch (error) {
      if (error instanceof UnsupportedOperationException) throw new OAuthError('invalid_request', 'Token revocation is not enabled for this client.');
      if (error instanceof UnsupportedTokenTypeException) throw new OAuthError('unsupported_token_type', 'Only refresh tokens can be revoked.');
      throw error;
    }
  }
}
