// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminCreateUser.html
// Implemented: temporary password (given or generated), FORCE_CHANGE_PASSWORD, invitation by SMS/EMAIL, MessageAction SUPPRESS/RESEND, ForceAliasCreation.
// ValidationData and ClientMetadata go to the PreSignUp trigger (PreSignUp_AdminCreateUser).
import type { AdminCreateUserRequest, AdminCreateUserResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const adminCreateUser = defineOperation<AdminCreateUserRequest, AdminCreateUserResponse>({
  name: 'AdminCreateUser',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    return { User: await services.adminUsers.createUser(input) };
  },
});
