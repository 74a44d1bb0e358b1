// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListGroups.html
// Implemented: Limit (1-60; left out or 0 means 60) and opaque NextToken pagination.
// DEVIATION: groups come in group-name order (the database's collation); Cognito documents no order.
import type { ListGroupsRequest, ListGroupsResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const listGroups = defineOperation<ListGroupsRequest, ListGroupsResponse>({
  name: 'ListGroups',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    const { groups, nextToken } = await services.groups.list(input.UserPoolId!, input.Limit, input.NextToken);
    return { Groups: groups, ...(nextToken ? { NextToken: nextToken } : {}) };
  },
});
