import type { GroupRoles } from './claims.js';

/**
 * What a pre token generation trigger asks for, in Frontdesk's terms (see
 * triggers/cognito/pre-token-generation.ts for Cognito's event shapes).
 */
export interface TokenCustomization {
  id?: ClaimChanges;
  access?: ClaimChanges;
  scopesToAdd?: readonly string[];
  scopesToSuppress?: readonly string[];
  /** Replaces the group claims of both tokens; `null` removes them. Absent: groups as they are. */
  groups?: { groups?: readonly string[]; roles?: readonly string[]; preferredRole?: string } | null;
}

export interface ClaimChanges {
  add?: Record<string, unknown>;
  suppress?: readonly string[];
}

/** The inputs a customization is computed from, handed to the hook before anything is minted. */
export interface CustomizationInput {
  groups: readonly string[] | undefined;
  roles: GroupRoles | undefined;
  scopes: readonly string[];
}

export type CustomizeTokens = (input: CustomizationInput) => Promise<TokenCustomization | undefined>;

/**
 * Claims a trigger can neither add, override nor suppress (Cognito's lists): a request to change
 * them is ignored. Group claims change only through groupOverrideDetails, scopes only through
 * scopesToAdd / scopesToSuppress.
 */
const RESERVED_ID = new Set([
  'acr', 'amr', 'aud', 'at_hash', 'auth_time', 'azp', 'c_hash', 'cognito:username', 'exp', 'iat', 'identities', 'iss', 'jti', 'nbf',
  'nonce', 'origin_jti', 'sub', 'token_use', 'event_id', 'cognito:groups', 'cognito:roles', 'cognito:preferred_role',
]);
const RESERVED_ACCESS = new Set([
  'acr', 'amr', 'aud', 'auth_time', 'azp', 'client_id', 'exp', 'iat', 'iss', 'jti', 'nbf', 'origin_jti', 'sub', 'token_use',
  'username', 'scope', 'event_id', 'device_key', 'cognito:groups', 'version',
]);

function applyClaimChanges(claims: Record<string, unknown>, changes: ClaimChanges | undefined, reserved: Set<string>): void {
  if (!changes) return;
  for (const [name, value] of Object.entries(changes.add ?? {})) if (!reserved.has(name)) claims[name] = value;
  // A claim both added and suppressed is suppressed (Cognito's rule).
  for (const name of changes.suppress ?? []) if (!reserved.has(name)) delete claims[name];
}

/** The scopes of the access token after the trigger's additions and suppressions. */
export function customizedScopes(scopes: readonly string[], customization: TokenCustomization | undefined): string[] {
  const out = [...scopes];
  for (const scope of customization?.scopesToAdd ?? []) if (!out.includes(scope)) out.push(scope);
  const suppressed = new Set(customization?.scopesToSuppress ?? []);
  return out.filter((scope) => !suppressed.has(scope));
}

/** Applies a customization to the claim sets of one issuance (in place). */
export function applyCustomization(
  idClaims: Record<string, unknown>,
  accessClaims: Record<string, unknown>,
  customization: TokenCustomization | undefined,
): void {
  if (!customization) return;
  if (customization.groups !== undefined) {
    for (const claims of [idClaims, accessClaims]) delete claims['cognito:groups'];
    delete idClaims['cognito:roles'];
    delete idClaims['cognito:preferred_role'];
    const groups = customization.groups;
    if (groups?.groups?.length) {
      idClaims['cognito:groups'] = [...groups.groups];
      accessClaims['cognito:groups'] = [...groups.groups];
    }
    if (groups?.roles?.length) idClaims['cognito:roles'] = [...groups.roles];
    if (groups?.preferredRole !== undefined) idClaims['cognito:preferred_role'] = groups.preferredRole;
  }
  applyClaimChanges(idClaims, customization.id, RESERVED_ID);
  applyClaimChanges(accessClaims, customization.access, RESERVED_ACCESS);
}
