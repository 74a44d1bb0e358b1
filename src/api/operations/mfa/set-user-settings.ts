// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SetUserSettings.html
// Implemented: the legacy SMS MFA switch: one MFAOptions entry (SMS to phone_number) turns SMS MFA
// on, an empty list turns it off; GetUser shows it back as MFAOptions.
import type { SetUserSettingsRequest, SetUserSettingsResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const setUserSettings = defineOperation<SetUserSettingsRequest, SetUserSettingsResponse>({
  name: 'SetUserSettings',
  service: 'idp',
  auth: 'accessToken',
  async handler(input, { services }) {
    await services.mfa.setUserSettings(input.AccessToken!, input.MFAOptions ?? []);
    return {};
  },
});
