// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetUserPoolMfaConfig.html
// Implemented: returns what SetUserPoolMfaConfig / UpdateUserPool stored. MFA sign-in behaviour
// comes with the MFA issue.
import type { GetUserPoolMfaConfigRequest, GetUserPoolMfaConfigResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const getUserPoolMfaConfig = defineOperation<GetUserPoolMfaConfigRequest, GetUserPoolMfaConfigResponse>({
  name: 'GetUserPoolMfaConfig',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    return services.userPools.getMfaConfig(input.UserPoolId!);
  },
});
