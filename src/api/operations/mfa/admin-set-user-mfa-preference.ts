// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminSetUserMFAPreference.html
// Implemented: as SetUserMFAPreference, for any user of the pool.
import type { AdminSetUserMFAPreferenceRequest, AdminSetUserMFAPreferenceResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const adminSetUserMFAPreference = defineOperation<AdminSetUserMFAPreferenceRequest, AdminSetUserMFAPreferenceResponse>({
  name: 'AdminSetUserMFAPreference',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    await services.mfa.adminSetUserMfaPreference(input);
    return {};
  },
});
