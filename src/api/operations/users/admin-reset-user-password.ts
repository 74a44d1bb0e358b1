// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminResetUserPassword.html
// Implemented: status RESET_REQUIRED and a forgot-password code (one hour) sent to the channel
// AccountRecoverySetting picks among the user's verified email and phone (without the setting: a
// verified phone, else a verified email). Sign-in then answers PasswordResetRequiredException and
// ConfirmForgotPassword with the code sets the new password and confirms the user. Refused with
// nothing changed: recovery set to admin_only (NotAuthorizedException "Contact administrator to
// reset password.", as ForgotPassword), no verified email or phone (InvalidParameterException
// "Cannot reset password for the user as there is no registered/verified email or phone_number"),
// and FORCE_CHANGE_PASSWORD or UNCONFIRMED users (NotAuthorizedException "User password cannot be
// reset in the current state."). Existing sessions are not revoked (Cognito documents no
// revocation here; AdminUserGlobalSignOut ends them).
// ClientMetadata goes to the CustomMessage trigger (CustomMessage_ForgotPassword).
import type { AdminResetUserPasswordRequest, AdminResetUserPasswordResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const adminResetUserPassword = defineOperation<AdminResetUserPasswordRequest, AdminResetUserPasswordResponse>({
  name: 'AdminResetUserPassword',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    await services.adminUsers.resetUserPassword(input.UserPoolId!, input.Username!, input.ClientMetadata);
    return {};
  },
});
