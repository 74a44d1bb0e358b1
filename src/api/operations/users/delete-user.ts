// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DeleteUser.html
// Implemented: deletes the user and with it every session and token.
import type { DeleteUserRequest } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const deleteUser = defineOperation<DeleteUserRequest, Record<string, never>>({
  name: 'DeleteUser',
  service: 'idp',
  auth: 'accessToken',
  async handler(input, { services }) {
    await services.selfService.deleteUser(input.AccessToken!);
    return {};
  },
});
