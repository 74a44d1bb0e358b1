// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminGetUser.html
// Implemented: attributes, status, dates, Enabled.
import type { AdminGetUserRequest, AdminGetUserResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const adminGetUser = defineOperation<AdminGetUserRequest, AdminGetUserResponse>({
  name: 'AdminGetUser',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    return services.adminUsers.getUser(input.UserPoolId!, input.Username!);
  },
});
