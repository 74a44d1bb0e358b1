import { InvalidOAuthFlowException, InvalidParameterException } from '../../generated/exceptions.js';
import { checkRedirectUrl, checkRedirectUrls } from './redirect-urls.js';
import { OIDC_CLAIM_SCOPES, isStandardScope } from './oauth-scopes.js';
import type { UserPoolClientSettings } from './user-pool-client.js';

export type OAuthSettings = Pick<
  UserPoolClientSettings,
  | 'AllowedOAuthFlowsUserPoolClient'
  | 'AllowedOAuthFlows'
  | 'AllowedOAuthScopes'
  | 'CallbackURLs'
  | 'LogoutURLs'
  | 'DefaultRedirectURI'
  | 'SupportedIdentityProviders'
>;

/**
 * The OAuth 2.0 side of a client: which grants, scopes and redirect targets it may use. Checks
 * every rule that needs only the request (existence of custom scopes and identity providers is
 * checked against the pool separately). Empty lists are stored as "not set".
 *
 * Flows, scopes and URLs are checked whenever they are given, but only a client with
 * AllowedOAuthFlowsUserPoolClient=true must have them: Cognito keeps OAuth settings on a client
 * with OAuth switched off, and so do we.
 */
export function checkOAuthSettings(input: OAuthSettings, hasSecret: boolean): OAuthSettings {
  const enabled = input.AllowedOAuthFlowsUserPoolClient ?? false;
  const flows = dedupe(input.AllowedOAuthFlows);
  const scopes = dedupe(input.AllowedOAuthScopes);
  const callbackUrls = checkRedirectUrls(input.CallbackURLs);
  const logoutUrls = checkRedirectUrls(input.LogoutURLs);
  const providers = dedupe(input.SupportedIdentityProviders);

  if (input.DefaultRedirectURI !== undefined) {
    checkRedirectUrl(input.DefaultRedirectURI);
    if (!callbackUrls?.includes(input.DefaultRedirectURI)) {
      throw new InvalidParameterException(`The default redirect URI ${input.DefaultRedirectURI} is not in the callback URIs list.`);
    }
  }

  if (flows?.includes('client_credentials')) {
    // A machine-to-machine client acts for itself, not for a user: it needs a secret to prove who
    // it is, and user-facing grants and OIDC scopes make no sense on it.
    if (flows.length > 1) {
      throw new InvalidOAuthFlowException('client_credentials flow can not be selected along with code flow or implicit flow.');
    }
    if (!hasSecret) {
      throw new InvalidOAuthFlowException('client_credentials flow can not be selected if client does not have a client secret.');
    }
    const standard = scopes?.find(isStandardScope);
    if (standard !== undefined) {
      throw new InvalidOAuthFlowException(`${standard} is not supported with client_credentials flow`);
    }
  }

  if (scopes && OIDC_CLAIM_SCOPES.some((scope) => scopes.includes(scope)) && !scopes.includes('openid')) {
    throw new InvalidParameterException('The phone, email and profile scopes can only be allowed together with the openid scope.');
  }

  if (enabled) {
    if (!flows || !scopes) {
      throw new InvalidParameterException(
        'AllowedOAuthFlows and AllowedOAuthScopes are required if user pool client is allowed to use OAuth flows.',
      );
    }
    if ((flows.includes('code') || flows.includes('implicit')) && !callbackUrls) {
      throw new InvalidOAuthFlowException('CallbackUrls can not be empty when code flow or implicit flow is selected');
    }
  }

  return {
    AllowedOAuthFlowsUserPoolClient: enabled,
    ...(flows ? { AllowedOAuthFlows: flows } : {}),
    ...(scopes ? { AllowedOAuthScopes: scopes } : {}),
    ...(callbackUrls ? { CallbackURLs: callbackUrls } : {}),
    ...(logoutUrls ? { LogoutURLs: logoutUrls } : {}),
    ...(input.DefaultRedirectURI !== undefined ? { DefaultRedirectURI: input.DefaultRedirectURI } : {}),
    ...(providers ? { SupportedIdentityProviders: providers } : {}),
  };
}

function dedupe<T>(values: T[] | undefined): T[] | undefined {
  return values?.length ? [...new Set(values)] : undefined;
}
