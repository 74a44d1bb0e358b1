// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminUserGlobalSignOut.html
// Implemented: revokes every refresh token of the user.
import type { AdminUserGlobalSignOutRequest, AdminUserGlobalSignOutResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const adminUserGlobalSignOut = defineOperation<AdminUserGlobalSignOutRequest, AdminUserGlobalSignOutResponse>({
  name: 'AdminUserGlobalSignOut',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    await services.adminUsers.globalSignOut(input.UserPoolId!, input.Username!);
    return {};
  },
});
