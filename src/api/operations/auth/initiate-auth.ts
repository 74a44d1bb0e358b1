// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_InitiateAuth.html
// Implemented: USER_PASSWORD_AUTH, USER_SRP_AUTH, REFRESH_TOKEN_AUTH / REFRESH_TOKEN, with client flow rules, SECRET_HASH, lockout and PreventUserExistenceErrors.
import type { InitiateAuthRequest, InitiateAuthResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const initiateAuth = defineOperation<InitiateAuthRequest, InitiateAuthResponse>({
  name: 'InitiateAuth',
  service: 'idp',
  auth: 'none',
  async handler(input, { services, sourceIp }) {
    return services.auth.initiateAuth(input, { sourceIp });
  },
});
