// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UpdateUserPoolClient.html
// Implemented: as in Cognito, members left out of the request return to their defaults (the same
// defaults and rules as CreateUserPoolClient); ClientName is kept when omitted; the secret is kept.
// DEVIATION: the same as CreateUserPoolClient (PreventUserExistenceErrors defaults to ENABLED;
// script/data redirect schemes refused; no Pinpoint delivery; no custom scopes or federated
// identity providers yet).
import type { UpdateUserPoolClientRequest, UpdateUserPoolClientResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';
import { toUserPoolClientType } from '../../../domain/clients/user-pool-client-view.js';

export const updateUserPoolClient = defineOperation<UpdateUserPoolClientRequest, UpdateUserPoolClientResponse>({
  name: 'UpdateUserPoolClient',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    const client = await services.clients.update(input);
    return { UserPoolClient: toUserPoolClientType(client) };
  },
});
