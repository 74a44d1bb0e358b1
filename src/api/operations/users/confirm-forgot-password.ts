// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ConfirmForgotPassword.html
// Implemented: policy checked before the code is spent; RESET_REQUIRED/FORCE_CHANGE_PASSWORD users become CONFIRMED.
// Threat protection: once the code is right, the compromised-credentials check (PASSWORD_CHANGE; a refusal keeps the code) and a PasswordChange auth event.
import type { ConfirmForgotPasswordRequest, ConfirmForgotPasswordResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const confirmForgotPassword = defineOperation<ConfirmForgotPasswordRequest, ConfirmForgotPasswordResponse>({
  name: 'ConfirmForgotPassword',
  service: 'idp',
  auth: 'none',
  async handler(input, { services, sourceIp }) {
    await services.recovery.confirmForgotPassword(input, { sourceIp });
    return {};
  },
});
