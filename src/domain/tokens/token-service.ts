// Cognito's tokens. References: "Understanding the ID token / access token / refresh token" and
// RevokeToken, GetTokensFromRefreshToken, RefreshTokenRotationType in the Cognito docs.
//
// DEVIATION: refresh tokens are opaque 256-bit strings, not Cognito's encrypted JWTs (clients treat
//   both as opaque).
// DEVIATION: one key signs both ID and access tokens (Cognito uses two).
// DEVIATION: `jti` / `origin_jti` are in every token, also for clients with EnableTokenRevocation
//   off (Cognito adds them only with revocation on); revocation itself still follows the setting.
// DEVIATION: presenting a refresh token that rotation already invalidated revokes its whole family
//   (OAuth 2.0 Security BCP reuse detection); Cognito documents only the RefreshTokenReuseException.
import { randomUUID } from 'node:crypto';
import type { TimeUnitsType } from '@aws-sdk/client-cognito-identity-provider';
import {
  NotAuthorizedException,
  RefreshTokenReuseException,
  ResourceNotFoundException,
  UnsupportedOperationException,
  UnsupportedTokenTypeException,
} from '../../generated/exceptions.js';
import type { Store } from '../../store/store.js';
import type { Clock } from '../clock.js';
import type { UserPool } from '../user-pools/user-pool.js';
import type { UserPoolClient } from '../clients/user-pool-client.js';
import type { User } from '../users/user.js';
import { resolveTokenValidity } from '../clients/token-validity.js';
import {
  accessTokenClaims,
  ADMIN_SCOPE,
  idTokenClaims,
  type AccessTokenClaims,
  type GroupRoles,
  type IssueContext,
  type TokenGroups,
} from './claims.js';
import { parseRs256, signRs256, verifyRs256 } from './jwt.js';
import { hashRefreshToken, looksLikeJwt, looksLikeRefreshToken, newRefreshToken } from './refresh-token.js';
import { SigningKeys, type Jwk } from './signing-keys.js';
import { openIdConfiguration, type OpenIdConfiguration } from './discovery.js';
import * as messages from './messages.js';
import { applyCustomization, customizedScopes, type CustomizeTokens, type TokenCustomization } from './claim-overrides.js';

export interface TokenServiceDeps {
  store: Pick<Store, 'signingKeys' | 'tokenFamilies' | 'userPools'> & Partial<Pick<Store, 'oauthGrants'>>;
  clock: Clock;
  /**
   * The base URL the server is reached at (FRONTDESK_PUBLIC_URL, or the listening address). A
   * function because it is only known once the server listens (port 0 in tests). Issuers are
   * `<publicUrl>/<poolId>`.
   */
  publicUrl: () => string;
  /** How long a node trusts its memory of a pool's current signing key (default 30 s). */
  currentKeyTtlMs?: number;
}

/** Cognito's AuthenticationResultType, minus NewDeviceMetadata (the device capability adds it). */
export interface IssuedTokens {
  AccessToken: string;
  IdToken: string;
  /** Always on sign-in; on refresh only when the client rotates refresh tokens. */
  RefreshToken?: string;
  /** Lifetime of the access token, in seconds. */
  ExpiresIn: number;
  TokenType: 'Bearer';
}

export interface IssueTokensInput {
  pool: UserPool;
  client: UserPoolClient;
  user: User;
  /** When the user authenticated; defaults to now. Kept as `auth_time` through every refresh. */
  authTime?: Date;
  /** OAuth scopes for the access token; default `aws.cognito.signin.user.admin`. */
  scopes?: readonly string[];
  /** The user's groups, for `cognito:groups` (left out when empty). */
  groups?: readonly string[];
  /** The groups' IAM roles, for `cognito:roles` and `cognito:preferred_role` in the ID token. */
  roles?: GroupRoles;
  /** A remembered device's key: `device_key` in access tokens, and refreshes must present it. */
  deviceKey?: string;
  /** The OIDC nonce of an authorization request, echoed in the ID token. */
  nonce?: string;
  /** The pre token generation trigger: asked before anything is stored or signed. */
  customize?: CustomizeTokens;
  /**
   * The new family's id, when the caller must know it in advance (an authorization code names the
   * session its redemption starts, so that a replayed code can revoke it). Default: a random UUID.
   */
  familyId?: string;
}

export interface RefreshTokensInput {
  pool: UserPool;
  client: UserPoolClient;
  refreshToken: string;
  /** Loads the session's user (by `sub`); undefined when it no longer exists. */
  loadUser: (userId: string) => Promise<User | undefined>;
  /** The user's current groups, when the caller has them to hand. */
  groups?: readonly string[];
  /**
   * Loads the user's current groups (called only once the refresh token is known to be good); with
   * their roles when it returns TokenGroups.
   */
  loadGroups?: (user: User) => Promise<readonly string[] | TokenGroups>;
  /** DEVICE_KEY / DeviceKey from the request. */
  deviceKey?: string;
  /**
   * Scopes for the new access token. The family does not record the scopes of its sign-in yet
   * (no column), so OAuth callers must pass them; API refreshes get the default.
   */
  scopes?: readonly string[];
  /** The pre token generation trigger (with the refreshing user): asked before rotation and minting. */
  customize?: (user: User) => CustomizeTokens | undefined;
}

export interface VerifiedAccessToken {
  userPoolId: string;
  claims: AccessTokenClaims;
}

const SECONDS: Record<TimeUnitsType, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86400 };

function lifetimesOf(client: UserPoolClient): { access: number; id: number; refresh: number } {
  const v = resolveTokenValidity(client.settings);
  return {
    access: v.AccessTokenValidity * SECONDS[v.TokenValidityUnits.AccessToken],
    id: v.IdTokenValidity * SECONDS[v.TokenValidityUnits.IdToken],
    refresh: v.RefreshTokenValidity * SECONDS[v.TokenValidityUnits.RefreshToken],
  };
}

/**
 * A dead refresh token presented this soon after it was rotated is taken for a duplicate of the
 * request that rotated it (a double-submitting client, two tabs) rather than a replay: it fails,
 * but does not revoke the family. Nothing is granted inside the window, so an attacker gains
 * nothing from it; a later replay still revokes.
 */
export const CONCURRENT_USE_WINDOW_MS = 2_000;

const isGroupNames = (groups: readonly string[] | TokenGroups): groups is readonly string[] => Array.isArray(groups);
const epochSeconds = (date: Date) => Math.floor(date.getTime() / 1000);
const notAuthorized = (message: string) => new NotAuthorizedException(message);

/**
 * Cognito's tokens: RS256 ID and access tokens with Cognito's claim sets, opaque refresh tokens in
 * families (one family per sign-in; its id is every token's `origin_jti`), rotation with a retry
 * grace period and reuse detection, revocation, and verification of access tokens for the
 * operations that take one.
 */
export class TokenService {
  readonly keys: SigningKeys;
  private readonly store: TokenServiceDeps['store'];
  private readonly clock: Clock;
  private readonly publicUrl: () => string;

  constructor(deps: TokenServiceDeps) {
    this.store = deps.store;
    this.clock = deps.clock;
    this.publicUrl = deps.publicUrl;
    this.keys = new SigningKeys({ store: deps.store.signingKeys, clock: deps.clock, currentKeyTtlMs: deps.currentKeyTtlMs });
  }

  /** `<publicUrl>/<poolId>`: the `iss` of the pool's tokens. */
  issuer(userPoolId: string): string {
    return `${this.publicUrl().replace(/\/+$/, '')}/${userPoolId}`;
  }

  /** Starts a session: a new family, its first refresh token, and ID and access tokens. */
  async issueTokens(input: IssueTokensInput): Promise<IssuedTokens & { RefreshToken: string }> {
    const { pool, client, user } = input;
    if (client.userPoolId !== pool.id || user.userPoolId !== pool.id) {
      throw new Error('issueTokens: the client and the user must belong to the pool');
    }
    // The trigger runs before the family exists: a failing function leaves no session behind.
    const customization = await input.customize?.({
      groups: input.groups,
      roles: input.roles,
      scopes: input.scopes?.length ? input.scopes : [ADMIN_SCOPE],
    });
    const now = this.clock.now();
    const lifetimes = lifetimesOf(client);
    const familyId = input.familyId ?? randomUUID();
    const refreshToken = newRefreshToken();
    const authTime = input.authTime ?? now;
    await this.store.tokenFamilies.create(
      {
        id: familyId,
        userId: user.id,
        userPoolId: pool.id,
        clientId: client.id,
        authTime,
        ...(input.deviceKey !== undefined ? { deviceKey: input.deviceKey } : {}),
        createdAt: now,
        expiresAt: new Date(now.getTime() + lifetimes.refresh * 1000),
      },
      hashRefreshToken(refreshToken),
    );
    const tokens = await this.mint({
      pool,
      client,
      user,
      now,
      lifetimes,
      originJti: familyId,
      authTime,
      scopes: input.scopes,
      groups: input.groups,
      roles: input.roles,
      deviceKey: input.deviceKey,
      nonce: input.nonce,
      customization,
    });
    return { ...tokens, RefreshToken: refreshToken };
  }

  /**
   * REFRESH_TOKEN_AUTH and GetTokensFromRefreshToken: new ID and access tokens in the same family
   * (same `origin_jti` and `auth_time`). When the client rotates refresh tokens, also a new refresh
   * token; the presented one then works for RetryGracePeriodSeconds more and is dead after that.
   * Presenting a dead one fails with RefreshTokenReuseException and revokes the whole family (the
   * token was copied: whoever holds it, the session can no longer be trusted), unless it comes
   * within CONCURRENT_USE_WINDOW_MS of the rotation (a duplicate request, not a replay).
   */
  async refreshTokens(input: RefreshTokensInput): Promise<IssuedTokens> {
    const { pool, client } = input;
    if (!looksLikeRefreshToken(input.refreshToken)) throw notAuthorized(messages.INVALID_REFRESH_TOKEN);
    const tokenHash = hashRefreshToken(input.refreshToken);
    const found = await this.store.tokenFamilies.findByRefreshToken(tokenHash);
    // A token of another client or pool is as unknown as a made-up one.
    if (!found || found.family.userPoolId !== pool.id || found.family.clientId !== client.id) {
      throw notAuthorized(messages.INVALID_REFRESH_TOKEN);
    }
    const { token, family } = found;
    const now = this.clock.now();
    if (family.revokedAt) throw notAuthorized(messages.REFRESH_TOKEN_REVOKED);
    if (now.getTime() >= family.expiresAt.getTime()) throw notAuthorized(messages.REFRESH_TOKEN_EXPIRED);
    // A session bound to a remembered device refreshes only from that device.
    if (family.deviceKey !== undefined && input.deviceKey !== family.deviceKey) throw notAuthorized(messages.INVALID_REFRESH_TOKEN);

    const rotation = client.settings.RefreshTokenRotation;
    const rotating = rotation?.Feature === 'ENABLED';
    const graceMs = (rotation?.RetryGracePeriodSeconds ?? 0) * 1000;
    const withinGrace = (supersededAt: Date) => now.getTime() < supersededAt.getTime() + graceMs;
    if (token.supersededAt && !withinGrace(token.supersededAt)) {
      if (now.getTime() >= token.supersededAt.getTime() + CONCURRENT_USE_WINDOW_MS) {
        await this.store.tokenFamilies.revoke(family.id, now);
      }
      throw new RefreshTokenReuseException(messages.REFRESH_TOKEN_REUSED);
    }

    const user = await input.loadUser(family.userId);
    if (!user || user.userPoolId !== pool.id) throw notAuthorized(messages.USER_DOES_NOT_EXIST);
    if (!user.enabled) throw notAuthorized(messages.USER_DISABLED);

    const loaded = input.groups ?? (input.loadGroups ? await input.loadGroups(user) : undefined);
    const groups = loaded === undefined || isGroupNames(loaded) ? loaded : loaded.groups;
    const roles = loaded === undefined || isGroupNames(loaded) ? undefined : loaded;
    // An OAuth session keeps the scopes it was granted, whichever way it is refreshed (and the
    // trigger sees those).
    const scopes = input.scopes ?? (await this.store.oauthGrants?.scopes(family.id));
    // Before rotation: a failing trigger must not use up the refresh token the client holds.
    const customization = await input.customize?.(user)?.({
      groups,
      roles,
      scopes: scopes?.length ? scopes : [ADMIN_SCOPE],
    });

    let nextRefreshToken: string | undefined;
    if (rotating) {
      nextRefreshToken = newRefreshToken();
      const nextHash = hashRefreshToken(nextRefreshToken);
      if (token.supersededAt) {
        // A retry within the grace period: the client never saw (or lost) the first answer.
        await this.store.tokenFamilies.addRefreshToken(family.id, nextHash, now);
      } else if (!(await this.store.tokenFamilies.rotate(tokenHash, nextHash, family.id, now))) {
        // A concurrent request rotated this very token first. Within a grace period that is a
        // retry like any other; without one, only the first may succeed. The family is not revoked
        // (see CONCURRENT_USE_WINDOW_MS): the requests raced rather than one replaying the other.
        if (graceMs === 0) throw new RefreshTokenReuseException(messages.REFRESH_TOKEN_REUSED);
        await this.store.tokenFamilies.addRefreshToken(family.id, nextHash, now);
      }
    }

    const tokens = await this.mint({
      pool,
      client,
      user,
      now,
      lifetimes: lifetimesOf(client),
      originJti: family.id,
      authTime: family.authTime,
      scopes,
      groups,
      roles,
      deviceKey: family.deviceKey,
      customization,
    });
    return nextRefreshToken === undefined ? tokens : { ...tokens, RefreshToken: nextRefreshToken };
  }

  /**
   * RevokeToken (and /oauth2/revoke): revokes the refresh token's family, so the tokens it produced
   * stop working with Frontdesk's API. As RFC 7009 and Cognito's revoke endpoint do, a token that is
   * unknown, expired or another client's is answered with success and left alone.
   */
  async revokeRefreshToken(input: { client: UserPoolClient; token: string }): Promise<void> {
    const { client, token } = input;
    if (client.settings.EnableTokenRevocation === false) throw new UnsupportedOperationException(messages.REVOCATION_DISABLED);
    if (looksLikeJwt(token)) throw new UnsupportedTokenTypeException(messages.NOT_A_REFRESH_TOKEN);
    if (!looksLikeRefreshToken(token)) return;
    const found = await this.store.tokenFamilies.findByRefreshToken(hashRefreshToken(token));
    if (!found || found.family.clientId !== client.id || found.family.userPoolId !== client.userPoolId) return;
    await this.store.tokenFamilies.revoke(found.family.id, this.clock.now());
  }

  /** GlobalSignOut, AdminUserGlobalSignOut, disabling or deleting a user: revokes every session. */
  async revokeAllForUser(userId: string): Promise<number> {
    return this.store.tokenFamilies.revokeAllForUser(userId, this.clock.now());
  }

  /**
   * Checks an access token for the operations that take one (GetUser, ChangePassword, …): RS256
   * only, a kid we issued, the signature, `token_use`, the issuer's pool, expiry, and then (one
   * primary-key lookup) that its family is not revoked. The user's own state (disabled, deleted)
   * is the caller's to check.
   */
  async verifyAccessToken(token: string, options: { requiredScope?: string } = {}): Promise<VerifiedAccessToken> {
    const parsed = parseRs256(token);
    if (!parsed) throw notAuthorized(messages.INVALID_ACCESS_TOKEN);
    const key = await this.keys.verificationKey(parsed.kid);
    if (!key || !verifyRs256(parsed, key.publicKey)) throw notAuthorized(messages.INVALID_ACCESS_TOKEN);
    const claims = parsed.payload;
    if (
      claims.token_use !== 'access' ||
      typeof claims.iss !== 'string' ||
      // The kid already ties the token to its pool; the issuer must name the same pool. Its origin
      // is not compared, so changing the public URL does not sign every session out of the API.
      !claims.iss.endsWith(`/${key.userPoolId}`) ||
      typeof claims.sub !== 'string' ||
      typeof claims.client_id !== 'string' ||
      typeof claims.origin_jti !== 'string' ||
      typeof claims.username !== 'string' ||
      typeof claims.scope !== 'string' ||
      typeof claims.exp !== 'number'
    ) {
      throw notAuthorized(messages.INVALID_ACCESS_TOKEN);
    }
    if (this.clock.now().getTime() >= claims.exp * 1000) throw notAuthorized(messages.ACCESS_TOKEN_EXPIRED);
    const family = await this.store.tokenFamilies.state(claims.origin_jti);
    // No family: the user or the pool was deleted, which ends the session as surely as revoking it.
    if (!family || family.revokedAt) throw notAuthorized(messages.ACCESS_TOKEN_REVOKED);
    if (family.userId !== claims.sub || family.clientId !== claims.client_id) throw notAuthorized(messages.INVALID_ACCESS_TOKEN);
    if (options.requiredScope !== undefined && !claims.scope.split(' ').includes(options.requiredScope)) {
      throw notAuthorized(messages.MISSING_SCOPES);
    }
    return { userPoolId: key.userPoolId, claims: claims as unknown as AccessTokenClaims };
  }

  /** Rotates the pool's signing key (see SigningKeys.rotate). */
  async rotateSigningKey(userPoolId: string): Promise<{ kid: string }> {
    if (!(await this.store.userPools.get(userPoolId))) throw new ResourceNotFoundException(`User pool ${userPoolId} does not exist.`);
    return this.keys.rotate(userPoolId);
  }

  /** The pool's JWKS; undefined when the pool does not exist. Creates the first key if needed. */
  async jwks(userPoolId: string): Promise<{ keys: Jwk[] } | undefined> {
    if (!(await this.store.userPools.get(userPoolId))) return undefined;
    await this.keys.ensureKey(userPoolId);
    return { keys: await this.keys.published(userPoolId) };
  }

  /** The pool's OpenID Provider metadata; undefined when the pool does not exist. */
  async openIdConfiguration(userPoolId: string): Promise<OpenIdConfiguration | undefined> {
    if (!(await this.store.userPools.get(userPoolId))) return undefined;
    return openIdConfiguration(this.publicUrl(), this.issuer(userPoolId));
  }

  private async mint(args: {
    pool: UserPool;
    client: UserPoolClient;
    user: User;
    now: Date;
    lifetimes: { access: number; id: number };
    originJti: string;
    authTime: Date;
    scopes?: readonly string[];
    groups?: readonly string[];
    roles?: GroupRoles;
    deviceKey?: string;
    nonce?: string;
    customization?: TokenCustomization;
  }): Promise<IssuedTokens> {
    const key = await this.keys.currentKey(args.pool.id);
    const context: IssueContext = {
      issuer: this.issuer(args.pool.id),
      user: args.user,
      client: args.client,
      originJti: args.originJti,
      eventId: randomUUID(),
      authTime: epochSeconds(args.authTime),
      iat: epochSeconds(args.now),
      ...(args.groups ? { groups: args.groups } : {}),
      ...(args.roles ? { roles: args.roles } : {}),
    };
    const scopes = customizedScopes(args.scopes?.length ? args.scopes : [ADMIN_SCOPE], args.customization);
    const idClaims: Record<string, unknown> = idTokenClaims(context, randomUUID(), args.lifetimes.id, args.nonce);
    const accessClaims: Record<string, unknown> = { ...accessTokenClaims(context, randomUUID(), args.lifetimes.access, scopes, args.deviceKey) };
    applyCustomization(idClaims, accessClaims, args.customization);
    const [IdToken, AccessToken] = await Promise.all([
      signRs256(key.header, idClaims, key.privateKey),
      signRs256(key.header, accessClaims, key.privateKey),
    ]);
    return { AccessToken, IdToken, ExpiresIn: args.lifetimes.access, TokenType: 'Bearer' };
  }
}
