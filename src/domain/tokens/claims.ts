import type { User } from '../users/user.js';
import type { UserPoolClient } from '../clients/user-pool-client.js';

/** The scope of tokens from the user pools API (as opposed to OAuth 2.0 grants). */
export const ADMIN_SCOPE = 'aws.cognito.signin.user.admin';

/** The claims of an access token, in Cognito's names and (for readers of raw tokens) Cognito's order. */
export interface AccessTokenClaims {
  sub: string;
  device_key?: string;
  'cognito:groups'?: string[];
  iss: string;
  client_id: string;
  origin_jti: string;
  event_id: string;
  token_use: 'access';
  scope: string;
  auth_time: number;
  exp: number;
  iat: number;
  jti: string;
  username: string;
}

/** Fixed claims of an ID token; user attributes come as further members. */
export interface IdTokenClaims {
  sub: string;
  'cognito:groups'?: string[];
  'cognito:preferred_role'?: string;
  'cognito:roles'?: string[];
  iss: string;
  'cognito:username': string;
  origin_jti: string;
  aud: string;
  event_id: string;
  token_use: 'id';
  auth_time: number;
  exp: number;
  iat: number;
  jti: string;
  nonce?: string;
  [attribute: string]: unknown;
}

/** What one issuance shares between its ID and access token. */
export interface IssueContext {
  issuer: string;
  user: User;
  client: UserPoolClient;
  originJti: string;
  eventId: string;
  /** Epoch seconds. */
  authTime: number;
  iat: number;
  /** The user's groups; the claim is left out when there are none, as Cognito does. */
  groups?: readonly string[];
  /** The IAM roles of the user's groups (ID token only; left out when there are none). */
  roles?: GroupRoles;
}

/** What groups put in ID tokens besides their names: `cognito:roles` and `cognito:preferred_role`. */
export interface GroupRoles {
  /** Every role ARN of the user's groups, once each, in group order. */
  roles: readonly string[];
  /** The role of the group that takes precedence, when one does (see GroupService.tokenGroups). */
  preferredRole?: string;
}

/** The user's groups as tokens carry them. */
export interface TokenGroups extends GroupRoles {
  /** Group names, by precedence (none last), then name. */
  groups: readonly string[];
}

/** Attributes Cognito types in tokens as JSON booleans rather than strings. */
const BOOLEAN_ATTRIBUTES = new Set(['email_verified', 'phone_number_verified']);
/** Claims an attribute may never overwrite (none of the schema's names collide, but data is data). */
const RESERVED = new Set(['sub', 'iss', 'aud', 'exp', 'iat', 'jti', 'nbf', 'auth_time', 'token_use', 'origin_jti', 'event_id', 'nonce']);

/**
 * The user's attributes as ID token claims: the client's ReadAttributes when it has any, otherwise
 * every attribute; never developer-only (`dev:custom:`) ones. Verified flags are booleans,
 * `updated_at` a number, `address` the OIDC address object, `identities` the parsed JSON list;
 * everything else (custom attributes included, whatever their schema type) is a string, as Cognito
 * issues them.
 */
export function attributeClaims(user: User, client: UserPoolClient): Record<string, unknown> {
  const readable = client.settings.ReadAttributes?.length ? new Set(client.settings.ReadAttributes) : undefined;
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(user.attributes)) {
    if (name.startsWith('dev:') || RESERVED.has(name)) continue;
    if (readable && !readable.has(name)) continue;
    out[name] = claimValue(name, value);
  }
  return out;
}

function claimValue(name: string, value: string): unknown {
  if (BOOLEAN_ATTRIBUTES.has(name)) return value === 'true';
  if (name === 'updated_at') {
    const n = Number(value);
    return value.trim() !== '' && Number.isFinite(n) ? n : value;
  }
  if (name === 'address') return { formatted: value };
  if (name === 'identities') {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  }
  return value;
}

export function idTokenClaims(context: IssueContext, jti: string, lifetimeSeconds: number, nonce?: string): IdTokenClaims {
  const { user, client } = context;
  return {
    sub: user.id,
    ...(context.groups?.length ? { 'cognito:groups': [...context.groups] } : {}),
    ...(context.roles?.preferredRole !== undefined ? { 'cognito:preferred_role': context.roles.preferredRole } : {}),
    ...(context.roles?.roles.length ? { 'cognito:roles': [...context.roles.roles] } : {}),
    ...attributeClaims(user, client),
    iss: context.issuer,
    'cognito:username': user.username,
    ...(nonce !== undefined ? { nonce } : {}),
    origin_jti: context.originJti,
    aud: client.id,
    event_id: context.eventId,
    token_use: 'id',
    auth_time: context.authTime,
    exp: context.iat + lifetimeSeconds,
    iat: context.iat,
    jti,
  };
}

export function accessTokenClaims(
  context: IssueContext,
  jti: string,
  lifetimeSeconds: number,
  scopes: readonly string[],
  deviceKey: string | undefined,
): AccessTokenClaims {
  return {
    sub: context.user.id,
    ...(deviceKey !== undefined ? { device_key: deviceKey } : {}),
    ...(context.groups?.length ? { 'cognito:groups': [...context.groups] } : {}),
    iss: context.issuer,
    client_id: context.client.id,
    origin_jti: context.originJti,
    event_id: context.eventId,
    token_use: 'access',
    scope: scopes.join(' '),
    auth_time: context.authTime,
    exp: context.iat + lifetimeSeconds,
    iat: context.iat,
    jti,
    username: context.user.username,
  };
}
