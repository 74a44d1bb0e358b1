// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_VerifyUserAttribute.html
// Implemented: marks the attribute verified and applies a pending value.
import type { VerifyUserAttributeRequest, VerifyUserAttributeResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const verifyUserAttribute = defineOperation<VerifyUserAttributeRequest, VerifyUserAttributeResponse>({
  name: 'VerifyUserAttribute',
  service: 'idp',
  auth: 'accessToken',
  async handler(input, { services }) {
    await services.selfService.verifyUserAttribute(input.AccessToken!, input.AttributeName!, input.Code!);
    return {};
  },
});
