// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminDeleteUser.html
// Implemented: deletes the user and every session and token.
import type { AdminDeleteUserRequest } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const adminDeleteUser = defineOperation<AdminDeleteUserRequest, Record<string, never>>({
  name: 'AdminDeleteUser',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    await services.adminUsers.deleteUser(input.UserPoolId!, input.Username!);
    return {};
  },
});
