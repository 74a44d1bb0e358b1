// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminListGroupsForUser.html
// Implemented: Username or alias, Limit (1-60; left out or 0 means 60), opaque NextToken; groups by
// precedence (groups without one last), then name: the order of the cognito:groups claim.
// DEVIATION: Cognito documents no order for this list.
import type { AdminListGroupsForUserRequest, AdminListGroupsForUserResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const adminListGroupsForUser = defineOperation<AdminListGroupsForUserRequest, AdminListGroupsForUserResponse>({
  name: 'AdminListGroupsForUser',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    const { groups, nextToken } = await services.groups.groupsForUser(input.UserPoolId!, input.Username!, input.Limit, input.NextToken);
    return { Groups: groups, ...(nextToken ? { NextToken: nextToken } : {}) };
  },
});
