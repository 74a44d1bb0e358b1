// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UpdateUserAttributes.html
// Implemented: client WriteAttributes, immutability, verification codes for email/phone, AttributesRequireVerificationBeforeUpdate.
import type { UpdateUserAttributesRequest, UpdateUserAttributesResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const updateUserAttributes = defineOperation<UpdateUserAttributesRequest, UpdateUserAttributesResponse>({
  name: 'UpdateUserAttributes',
  service: 'idp',
  auth: 'accessToken',
  async handler(input, { services }) {
    const list = await services.selfService.updateUserAttributes(input.AccessToken!, input.UserAttributes!, input.ClientMetadata);
    return list.length ? { CodeDeliveryDetailsList: list } : {};
  },
});
