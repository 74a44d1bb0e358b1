// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminConfirmSignUp.html
// Implemented: UNCONFIRMED → CONFIRMED; the PostConfirmation trigger (PostConfirmation_ConfirmSignUp) with ClientMetadata.
import type { AdminConfirmSignUpRequest, AdminConfirmSignUpResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const adminConfirmSignUp = defineOperation<AdminConfirmSignUpRequest, AdminConfirmSignUpResponse>({
  name: 'AdminConfirmSignUp',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    await services.adminUsers.confirmSignUp(input.UserPoolId!, input.Username!, input.ClientMetadata);
    return {};
  },
});
