// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListUserPools.html
// Implemented: MaxResults (1-60) and opaque NextToken pagination in pool-id order.
import type { ListUserPoolsRequest, ListUserPoolsResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';
import { toUserPoolDescription } from '../../../domain/user-pools/user-pool-view.js';

export const listUserPools = defineOperation<ListUserPoolsRequest, ListUserPoolsResponse>({
  name: 'ListUserPools',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    const { pools, nextToken } = await services.userPools.list(input.MaxResults!, input.NextToken);
    return { UserPools: pools.map(toUserPoolDescription), ...(nextToken ? { NextToken: nextToken } : {}) };
  },
});
