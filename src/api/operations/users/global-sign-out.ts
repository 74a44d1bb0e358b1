// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GlobalSignOut.html
// Implemented: revokes every refresh token of the user; their access tokens are refused afterwards.
import type { GlobalSignOutRequest, GlobalSignOutResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const globalSignOut = defineOperation<GlobalSignOutRequest, GlobalSignOutResponse>({
  name: 'GlobalSignOut',
  service: 'idp',
  auth: 'accessToken',
  async handler(input, { services }) {
    await services.selfService.globalSignOut(input.AccessToken!);
    return {};
  },
});
