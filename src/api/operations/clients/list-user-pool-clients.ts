// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListUserPoolClients.html
// Implemented: MaxResults (1-60, default 60) and opaque NextToken pagination in client-id order.
import type { ListUserPoolClientsRequest, ListUserPoolClientsResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';
import { toUserPoolClientDescription } from '../../../domain/clients/user-pool-client-view.js';

export const listUserPoolClients = defineOperation<ListUserPoolClientsRequest, ListUserPoolClientsResponse>({
  name: 'ListUserPoolClients',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    const { clients, nextToken } = await services.clients.list(input.UserPoolId!, input.MaxResults, input.NextToken);
    return { UserPoolClients: clients.map(toUserPoolClientDescription), ...(nextToken ? { NextToken: nextToken } : {}) };
  },
});
