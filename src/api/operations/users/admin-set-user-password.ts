// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminSetUserPassword.html
// Implemented: Permanent → CONFIRMED, otherwise FORCE_CHANGE_PASSWORD; clears the lockout.
import type { AdminSetUserPasswordRequest, AdminSetUserPasswordResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const adminSetUserPassword = defineOperation<AdminSetUserPasswordRequest, AdminSetUserPasswordResponse>({
  name: 'AdminSetUserPassword',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    await services.adminUsers.setUserPassword(input);
    return {};
  },
});
