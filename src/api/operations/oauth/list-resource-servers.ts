// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListResourceServers.html
// Implemented: MaxResults (1-50) and opaque NextToken pagination.
// DEVIATION: resource servers come in identifier order; Cognito documents no order.
import type { ListResourceServersRequest, ListResourceServersResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const listResourceServers = defineOperation<ListResourceServersRequest, ListResourceServersResponse>({
  name: 'ListResourceServers',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    const { servers, nextToken } = await services.resourceServers.list(input.UserPoolId!, input.MaxResults!, input.NextToken);
    return { ResourceServers: servers, ...(nextToken ? { NextToken: nextToken } : {}) };
  },
});
