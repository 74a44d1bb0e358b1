// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DeleteUserPoolClient.html
// Implemented: deletes the client (and with it its secret); unknown pool or client is
// ResourceNotFoundException.
import type { DeleteUserPoolClientRequest } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const deleteUserPoolClient = defineOperation<DeleteUserPoolClientRequest, Record<string, never>>({
  name: 'DeleteUserPoolClient',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    await services.clients.delete(input.UserPoolId!, input.ClientId!);
    return {};
  },
});
