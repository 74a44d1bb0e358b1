// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ForgotPassword.html
// Implemented: AccountRecoverySetting decides the channel; one-hour code; PreventUserExistenceErrors.
// Threat protection: a ForgotPassword auth event for an existing user.
import type { ForgotPasswordRequest, ForgotPasswordResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const forgotPassword = defineOperation<ForgotPasswordRequest, ForgotPasswordResponse>({
  name: 'ForgotPassword',
  service: 'idp',
  auth: 'none',
  async handler(input, { services, sourceIp }) {
    const details = await services.recovery.forgotPassword(input, { sourceIp });
    return details ? { CodeDeliveryDetails: details } : {};
  },
});
