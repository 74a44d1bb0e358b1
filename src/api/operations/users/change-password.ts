// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ChangePassword.html
// Implemented: previous password checked (with lockout), new one against the policy.
// Threat protection: the compromised-credentials check (EventFilter PASSWORD_CHANGE; BLOCK in ENFORCED mode → InvalidPasswordException) and PasswordChange auth events (Pass / Fail).
import type { ChangePasswordRequest, ChangePasswordResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const changePassword = defineOperation<ChangePasswordRequest, ChangePasswordResponse>({
  name: 'ChangePassword',
  service: 'idp',
  auth: 'accessToken',
  async handler(input, { services, sourceIp }) {
    await services.selfService.changePassword(input.AccessToken!, input.PreviousPassword, input.ProposedPassword!, { sourceIp });
    return {};
  },
});
