// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SetUserPoolMfaConfig.html
// Implemented: stores the factors and MfaConfiguration (kept consistent with UpdateUserPool) and
// returns the resulting configuration. MFA sign-in behaviour comes with the MFA issue.
import type { SetUserPoolMfaConfigRequest, SetUserPoolMfaConfigResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const setUserPoolMfaConfig = defineOperation<SetUserPoolMfaConfigRequest, SetUserPoolMfaConfigResponse>({
  name: 'SetUserPoolMfaConfig',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    return services.userPools.setMfaConfig(input);
  },
});
