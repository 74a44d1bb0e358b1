// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ResendConfirmationCode.html
// Implemented: a new code replaces the old one; masked CodeDeliveryDetails.
// Threat protection: a ResendCode auth event.
import type { ResendConfirmationCodeRequest, ResendConfirmationCodeResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const resendConfirmationCode = defineOperation<ResendConfirmationCodeRequest, ResendConfirmationCodeResponse>({
  name: 'ResendConfirmationCode',
  service: 'idp',
  auth: 'none',
  async handler(input, { services, sourceIp }) {
    const details = await services.signUp.resendConfirmationCode(input, { sourceIp });
    return details ? { CodeDeliveryDetails: details } : {};
  },
});
