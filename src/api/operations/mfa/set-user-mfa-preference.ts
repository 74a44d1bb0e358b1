// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SetUserMFAPreference.html
// Implemented: SMS, software-token and email factors turned on/off and made preferred; a factor
// needs what delivers it (verified authenticator, phone_number, email).
// DEVIATION: WebAuthnMfaSettings is accepted and ignored until passkeys exist.
import type { SetUserMFAPreferenceRequest, SetUserMFAPreferenceResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const setUserMFAPreference = defineOperation<SetUserMFAPreferenceRequest, SetUserMFAPreferenceResponse>({
  name: 'SetUserMFAPreference',
  service: 'idp',
  auth: 'accessToken',
  async handler(input, { services }) {
    await services.mfa.setUserMfaPreference(input);
    return {};
  },
});
