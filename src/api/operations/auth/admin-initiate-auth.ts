// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminInitiateAuth.html
// Implemented: ADMIN_USER_PASSWORD_AUTH, ADMIN_NO_SRP_AUTH, USER_SRP_AUTH, REFRESH_TOKEN_AUTH.
import type { AdminInitiateAuthRequest, AdminInitiateAuthResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const adminInitiateAuth = defineOperation<AdminInitiateAuthRequest, AdminInitiateAuthResponse>({
  name: 'AdminInitiateAuth',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services, sourceIp }) {
    return services.auth.adminInitiateAuth(input, { sourceIp });
  },
});
