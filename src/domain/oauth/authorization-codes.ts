import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Store } from '../../store/store.js';
import type { AuthorizationCodeGrant } from '../../store/authorization-code-store.js';
import type { Clock } from '../clock.js';
import type { UserPoolClient } from '../clients/user-pool-client.js';
import type { User } from '../users/user.js';
import { OAuthError } from './oauth-error.js';
import { verifierMatches } from './pkce.js';

/** RFC 6749 §4.1.2 recommends at most 10 minutes; Cognito's codes last 5. */
export const CODE_LIFETIME_MS = 5 * 60 * 1000;

const hashCode = (code: string) => createHash('sha256').update(code, 'utf8').digest('base64url');
const looksLikeCode = (code: string) => /^[A-Za-z0-9_-]{43}$/.test(code);

export interface RedeemedCode {
  userId: string;
  grant: AuthorizationCodeGrant;
  familyId: string;
  /** Tells the code's store that the session has been issued; revokes it if the code was replayed meanwhile. */
  confirmIssued(): Promise<boolean>;
}

/**
 * Authorization codes: 256 random bits, stored only as a hash with what they are bound to (client,
 * redirect_uri, PKCE challenge, scopes, nonce) sealed; single-use and short-lived. A code presented
 * a second time is refused and the session its first redemption started is revoked (RFC 6749
 * §4.1.2: the code has been intercepted, whoever holds the tokens cannot be trusted).
 */
export class AuthorizationCodes {
  constructor(private readonly deps: { store: Pick<Store, 'authorizationCodes' | 'tokenFamilies'>; clock: Clock }) {}

  async issue(client: UserPoolClient, user: User, grant: AuthorizationCodeGrant): Promise<string> {
    const code = randomBytes(32).toString('base64url');
    await this.deps.store.authorizationCodes.insert({
      codeHash: hashCode(code),
      userPoolId: client.userPoolId,
      clientId: client.id,
      userId: user.id,
      grant,
      familyId: randomUUID(),
      expiresAt: new Date(this.deps.clock.now().getTime() + CODE_LIFETIME_MS),
    });
    return code;
  }

  /**
   * Redeems the code for this client: marked used first (one guarded update, so of two concurrent
   * redemptions only one proceeds), then checked. A failed check still uses the code up.
   */
  async redeem(client: UserPoolClient, code: string, redirectUri: string, codeVerifier: string | undefined): Promise<RedeemedCode> {
    const invalid = (why: string) => new OAuthError('invalid_grant', why);
    if (!looksLikeCode(code)) throw invalid('The authorization code is invalid.');
    const codeHash = hashCode(code);
    const stored = await this.deps.store.authorizationCodes.get(codeHash);
    // Another client's code is as unknown as a made-up one (and stays usable by its own client).
    if (!stored || stored.clientId !== client.id || stored.userPoolId !== client.userPoolId) throw invalid('The authorization code is invalid.');
    const now = this.deps.clock.now();
    if (!(await this.deps.store.authorizationCodes.redeem(codeHash, now))) {
      await this.deps.store.authorizationCodes.markReplayed(codeHash, now);
      await this.deps.store.tokenFamilies.revoke(stored.familyId, now);
      throw invalid('The authorization code has already been used.');
    }
    if (now.getTime() >= stored.expiresAt.getTime()) throw invalid('The authorization code has expired.');
    if (redirectUri !== stored.grant.redirectUri) throw invalid('The redirect_uri does not match the authorization request.');
    if (stored.grant.codeChallenge !== undefined) {
      if (!verifierMatches(stored.grant.codeChallenge, codeVerifier)) throw invalid('The code_verifier does not match the code_challenge.');
    } else if (codeVerifier !== undefined) {
      // RFC 9700 §2.1.1: a verifier without a challenge means the challenge was stripped (a downgrade).
      throw invalid('A code_verifier was given but the authorization request had no code_challenge.');
    }
    return {
      userId: stored.userId,
      grant: stored.grant,
      familyId: stored.familyId,
      confirmIssued: async () => {
        if (!(await this.deps.store.authorizationCodes.wasReplayed(codeHash))) return true;
        await this.deps.store.tokenFamilies.revoke(stored.familyId, this.deps.clock.now());
        return false;
      },
    };
  }
}
