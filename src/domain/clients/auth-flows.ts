import type { ExplicitAuthFlowsType } from '@aws-sdk/client-cognito-identity-provider';
import { InvalidParameterException } from '../../generated/exceptions.js';
import type { UserPoolClient } from './user-pool-client.js';

type AllowFlow = Extract<ExplicitAuthFlowsType, `ALLOW_${string}`>;

/** What Cognito allows when a client names no flows (documented on ExplicitAuthFlows). */
export const DEFAULT_AUTH_FLOWS: readonly AllowFlow[] = Object.freeze([
  'ALLOW_USER_SRP_AUTH',
  'ALLOW_CUSTOM_AUTH',
  'ALLOW_REFRESH_TOKEN_AUTH',
]);

const isAllowFlow = (flow: ExplicitAuthFlowsType): flow is AllowFlow => flow.startsWith('ALLOW_');

/**
 * Checks a requested ExplicitAuthFlows list and returns what is stored: the names as given, without
 * repeats. An empty list means "not set" (Terraform sends one), so the defaults apply to it too.
 */
export function checkExplicitAuthFlows(flows: ExplicitAuthFlowsType[] | undefined): ExplicitAuthFlowsType[] | undefined {
  if (!flows?.length) return undefined;
  const unique = [...new Set(flows)];
  const modern = unique.filter(isAllowFlow);
  if (modern.length > 0 && modern.length < unique.length) {
    throw new InvalidParameterException("Auth flow name with prefix 'ALLOW' cannot be used with legacy auth flow names.");
  }
  return unique;
}

/**
 * The flows a client really permits, always in ALLOW_* form, for the sign-in code to check against.
 *
 * Legacy names describe additions to a base that Cognito always allowed (SRP, custom auth and
 * refresh), except CUSTOM_AUTH_FLOW_ONLY, which narrows the client to custom auth (plus refresh).
 */
export function effectiveAuthFlows(client: Pick<UserPoolClient, 'settings'>): Set<AllowFlow> {
  const flows = client.settings.ExplicitAuthFlows;
  if (!flows?.length) return new Set(DEFAULT_AUTH_FLOWS);
  if (flows.every(isAllowFlow)) return new Set(flows);
  if (flows.includes('CUSTOM_AUTH_FLOW_ONLY')) return new Set<AllowFlow>(['ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
  const effective = new Set<AllowFlow>(DEFAULT_AUTH_FLOWS);
  if (flows.includes('ADMIN_NO_SRP_AUTH')) effective.add('ALLOW_ADMIN_USER_PASSWORD_AUTH');
  if (flows.includes('USER_PASSWORD_AUTH')) effective.add('ALLOW_USER_PASSWORD_AUTH');
  return effective;
}
