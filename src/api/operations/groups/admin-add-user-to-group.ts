// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminAddUserToGroup.html
// Implemented: Username may be the username or an alias (email, phone, preferred_username) the pool
// signs in with; adding a member again succeeds and changes nothing (as in Cognito). The user's
// next tokens (sign-in or refresh) carry the group.
import type { AdminAddUserToGroupRequest } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const adminAddUserToGroup = defineOperation<AdminAddUserToGroupRequest, Record<string, never>>({
  name: 'AdminAddUserToGroup',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    await services.groups.addUser(input.UserPoolId!, input.GroupName!, input.Username!);
    return {};
  },
});
