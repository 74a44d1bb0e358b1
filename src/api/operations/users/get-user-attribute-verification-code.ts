// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetUserAttributeVerificationCode.html
// Implemented: codes for email and phone_number (a pending new value, if any).
import type { GetUserAttributeVerificationCodeRequest, GetUserAttributeVerificationCodeResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const getUserAttributeVerificationCode = defineOperation<GetUserAttributeVerificationCodeRequest, GetUserAttributeVerificationCodeResponse>({
  name: 'GetUserAttributeVerificationCode',
  service: 'idp',
  auth: 'accessToken',
  async handler(input, { services }) {
    return { CodeDeliveryDetails: await services.selfService.getUserAttributeVerificationCode(input.AccessToken!, input.AttributeName!, input.ClientMetadata) };
  },
});
