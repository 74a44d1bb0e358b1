// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListUsersInGroup.html
// Implemented: Limit (1-60; left out or 0 means 60), opaque NextToken, UserType items (attributes,
// status, dates, Enabled).
// DEVIATION: members come in order of their sub; Cognito documents no order.
import type { ListUsersInGroupRequest, ListUsersInGroupResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const listUsersInGroup = defineOperation<ListUsersInGroupRequest, ListUsersInGroupResponse>({
  name: 'ListUsersInGroup',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    const { users, nextToken } = await services.groups.usersInGroup(input.UserPoolId!, input.GroupName!, input.Limit, input.NextToken);
    return { Users: users, ...(nextToken ? { NextToken: nextToken } : {}) };
  },
});
