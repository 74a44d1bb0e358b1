// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RevokeToken.html
// Implemented: revokes the refresh token's whole session (its access and ID tokens too); needs EnableTokenRevocation.
import type { RevokeTokenRequest, RevokeTokenResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const revokeToken = defineOperation<RevokeTokenRequest, RevokeTokenResponse>({
  name: 'RevokeToken',
  service: 'idp',
  auth: 'none',
  async handler(input, { services }) {
    await services.auth.revokeToken(input);
    return {};
  },
});
