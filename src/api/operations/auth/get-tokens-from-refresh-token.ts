// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetTokensFromRefreshToken.html
// Implemented: refresh with the client secret itself, rotation when the client enables it.
import type { GetTokensFromRefreshTokenRequest, GetTokensFromRefreshTokenResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const getTokensFromRefreshToken = defineOperation<GetTokensFromRefreshTokenRequest, GetTokensFromRefreshTokenResponse>({
  name: 'GetTokensFromRefreshToken',
  service: 'idp',
  auth: 'none',
  async handler(input, { services }) {
    return { AuthenticationResult: await services.auth.getTokensFromRefreshToken(input) };
  },
});
