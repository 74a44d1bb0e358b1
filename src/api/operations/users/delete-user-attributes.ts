// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DeleteUserAttributes.html
// Implemented: required and immutable attributes cannot be deleted.
import type { DeleteUserAttributesRequest, DeleteUserAttributesResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const deleteUserAttributes = defineOperation<DeleteUserAttributesRequest, DeleteUserAttributesResponse>({
  name: 'DeleteUserAttributes',
  service: 'idp',
  auth: 'accessToken',
  async handler(input, { services }) {
    await services.selfService.deleteUserAttributes(input.AccessToken!, input.UserAttributeNames!);
    return {};
  },
});
