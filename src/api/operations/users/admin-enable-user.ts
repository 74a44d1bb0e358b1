// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminEnableUser.html
// Implemented: the user may sign in again. Sessions revoked by AdminDisableUser stay revoked: old
// access and refresh tokens do not come back to life. Enabling an enabled user succeeds.
import type { AdminEnableUserRequest, AdminEnableUserResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const adminEnableUser = defineOperation<AdminEnableUserRequest, AdminEnableUserResponse>({
  name: 'AdminEnableUser',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    await services.adminUsers.enableUser(input.UserPoolId!, input.Username!);
    return {};
  },
});
