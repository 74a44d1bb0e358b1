// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetUser.html
// Implemented: the attributes the token's app client may read.
import type { GetUserRequest, GetUserResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const getUser = defineOperation<GetUserRequest, GetUserResponse>({
  name: 'GetUser',
  service: 'idp',
  auth: 'accessToken',
  async handler(input, { services }) {
    return services.selfService.getUser(input.AccessToken!);
  },
});
