// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminDisableUser.html
// Implemented: the user is disabled (sign-in answers NotAuthorizedException "User is disabled.",
// as do ForgotPassword and refresh) and every session they hold is revoked at once, so their access
// tokens answer "Access Token has been revoked" and their refresh tokens are refused. Disabling a
// disabled user succeeds. AdminGetUser and ListUsers still show the user, with Enabled false.
import type { AdminDisableUserRequest, AdminDisableUserResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const adminDisableUser = defineOperation<AdminDisableUserRequest, AdminDisableUserResponse>({
  name: 'AdminDisableUser',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    await services.adminUsers.disableUser(input.UserPoolId!, input.Username!);
    return {};
  },
});
