// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminRemoveUserFromGroup.html
// Implemented: Username or alias; removing a user who is not a member succeeds. Tokens already
// issued keep their claims until they expire; the next ones (refresh included) drop the group.
import type { AdminRemoveUserFromGroupRequest } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const adminRemoveUserFromGroup = defineOperation<AdminRemoveUserFromGroupRequest, Record<string, never>>({
  name: 'AdminRemoveUserFromGroup',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    await services.groups.removeUser(input.UserPoolId!, input.GroupName!, input.Username!);
    return {};
  },
});
