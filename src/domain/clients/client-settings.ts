import type {
  AnalyticsConfigurationType,
  CreateUserPoolClientRequest,
  RefreshTokenRotationType,
} from '@aws-sdk/client-cognito-identity-provider';
import { FeatureUnavailableInTierException, InvalidParameterException } from '../../generated/exceptions.js';
import type { UserPool } from '../user-pools/user-pool.js';
import type { UserPoolClientSettings } from './user-pool-client.js';
import { resolveTokenValidity } from './token-validity.js';
import { checkExplicitAuthFlows } from './auth-flows.js';
import { checkAttributePermissions, type ClientAction } from './attribute-permissions.js';
import { checkOAuthSettings } from './oauth-settings.js';

/** The members of Create/UpdateUserPoolClient that describe the client (not its identity or secret). */
export type ClientSettingsInput = Omit<CreateUserPoolClientRequest, 'UserPoolId' | 'ClientName' | 'GenerateSecret' | 'ClientSecret'>;

export interface SettingsContext {
  pool: UserPool;
  hasSecret: boolean;
  action: ClientAction;
}

/** Frontdesk's default; Cognito's API default is LEGACY, which tells callers which users exist. */
export const DEFAULT_PREVENT_USER_EXISTENCE_ERRORS = 'ENABLED';
export const DEFAULT_AUTH_SESSION_VALIDITY_MINUTES = 3;

/**
 * A client's complete settings from a Create or Update request: Cognito's defaults for everything
 * left out (UpdateUserPoolClient resets omitted members, as Cognito does) and every rule that spans
 * members. Built member by member so nothing from the request (in particular a ClientSecret) is
 * stored by accident.
 */
export function buildClientSettings(input: ClientSettingsInput, context: SettingsContext): UserPoolClientSettings {
  const { pool, hasSecret, action } = context;
  const tokens = resolveTokenValidity(input);
  const explicitAuthFlows = checkExplicitAuthFlows(input.ExplicitAuthFlows);
  const permissions = checkAttributePermissions(pool, input.ReadAttributes, input.WriteAttributes, action);
  const oauth = checkOAuthSettings(input, hasSecret);
  const analytics = checkAnalytics(input.AnalyticsConfiguration);
  const rotation = checkRefreshTokenRotation(input.RefreshTokenRotation, pool);

  const propagateContext = input.EnablePropagateAdditionalUserContextData ?? false;
  if (propagateContext && !hasSecret) {
    throw new InvalidParameterException('Client Secret is required to set EnablePropagateAdditionalUserContextData as true');
  }

  return {
    ...tokens,
    ...permissions,
    ...(explicitAuthFlows ? { ExplicitAuthFlows: explicitAuthFlows } : {}),
    ...oauth,
    ...(analytics ? { AnalyticsConfiguration: analytics } : {}),
    PreventUserExistenceErrors: input.PreventUserExistenceErrors ?? DEFAULT_PREVENT_USER_EXISTENCE_ERRORS,
    EnableTokenRevocation: input.EnableTokenRevocation ?? true,
    EnablePropagateAdditionalUserContextData: propagateContext,
    AuthSessionValidity: input.AuthSessionValidity ?? DEFAULT_AUTH_SESSION_VALIDITY_MINUTES,
    ...(rotation ? { RefreshTokenRotation: rotation } : {}),
  };
}

/**
 * Pinpoint analytics is addressed either by the project ARN alone (Cognito uses its service-linked
 * role) or by application id with the role and external id to assume; never a mix.
 */
function checkAnalytics(config: AnalyticsConfigurationType | undefined): AnalyticsConfigurationType | undefined {
  if (!config) return undefined;
  const byArn = config.ApplicationArn !== undefined && [config.ApplicationId, config.RoleArn, config.ExternalId].every((v) => v === undefined);
  const byId =
    config.ApplicationArn === undefined && [config.ApplicationId, config.RoleArn, config.ExternalId].every((v) => v !== undefined);
  if (!byArn && !byId) {
    throw new InvalidParameterException(
      'Invalid analytics configuration given, either <application arn> or <application id, role arn, external id> are valid',
    );
  }
  return { ...config, UserDataShared: config.UserDataShared ?? false };
}

/** Stored only when requested; a client without it has rotation off (Feature DISABLED). */
function checkRefreshTokenRotation(
  rotation: RefreshTokenRotationType | undefined,
  pool: UserPool,
): RefreshTokenRotationType | undefined {
  if (!rotation) return undefined;
  if (rotation.Feature === 'ENABLED' && pool.settings.UserPoolTier === 'LITE') {
    throw new FeatureUnavailableInTierException(
      'Refresh token rotation is not available in the LITE feature plan; use ESSENTIALS or PLUS.',
    );
  }
  return { Feature: rotation.Feature, RetryGracePeriodSeconds: rotation.RetryGracePeriodSeconds ?? 0 };
}
