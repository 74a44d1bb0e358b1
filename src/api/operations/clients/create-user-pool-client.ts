// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolClient.html
// Implemented: every member. Defaults as Cognito shows them for a new client: tokens 60 minutes
// (access, ID) and 30 days (refresh) with all three TokenValidityUnits spelled out,
// AuthSessionValidity 3, EnableTokenRevocation true, EnablePropagateAdditionalUserContextData
// false, AllowedOAuthFlowsUserPoolClient false. GenerateSecret creates a random 51-character secret
// (or takes the given ClientSecret), stored encrypted and returned in UserPoolClient.ClientSecret.
// Omitted ExplicitAuthFlows/ReadAttributes/WriteAttributes are not shown, and mean what they mean
// in Cognito (SRP + custom + refresh; every attribute).
// DEVIATION: PreventUserExistenceErrors defaults to ENABLED (Cognito's API default is LEGACY, which
// reveals whether a user exists).
// DEVIATION: redirect URLs with javascript:, data:, vbscript:, file: or blob: schemes are refused.
// DEVIATION: AnalyticsConfiguration is validated and stored; no events are sent to Pinpoint.
// DEVIATION: custom scopes and identity providers other than COGNITO are refused until resource
// servers and federation exist (ScopeDoesNotExistException / InvalidParameterException).
import type { CreateUserPoolClientRequest, CreateUserPoolClientResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';
import { toUserPoolClientType } from '../../../domain/clients/user-pool-client-view.js';

export const createUserPoolClient = defineOperation<CreateUserPoolClientRequest, CreateUserPoolClientResponse>({
  name: 'CreateUserPoolClient',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    const client = await services.clients.create(input);
    return { UserPoolClient: toUserPoolClientType(client) };
  },
});
