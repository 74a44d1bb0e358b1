// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DeleteResourceServer.html
// Implemented: deletion; its scopes stop being granted at once (clients keep them in their
// AllowedOAuthScopes, as Cognito's do, but token requests no longer get them).
import type { DeleteResourceServerRequest } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const deleteResourceServer = defineOperation<DeleteResourceServerRequest, Record<string, never>>({
  name: 'DeleteResourceServer',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    await services.resourceServers.delete(input.UserPoolId!, input.Identifier!);
    return {};
  },
});
