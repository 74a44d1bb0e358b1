// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminSetUserSettings.html
// Implemented: as SetUserSettings, for any user of the pool.
import type { AdminSetUserSettingsRequest, AdminSetUserSettingsResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const adminSetUserSettings = defineOperation<AdminSetUserSettingsRequest, AdminSetUserSettingsResponse>({
  name: 'AdminSetUserSettings',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    await services.mfa.adminSetUserSettings(input.UserPoolId!, input.Username!, input.MFAOptions ?? []);
    return {};
  },
});
