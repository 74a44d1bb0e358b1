// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminListUserAuthEvents.html
// Implemented: a user's auth events (SignIn, including failed ones; SignUp, PasswordChange, ForgotPassword, ResendCode), newest first, with risk decision and level, challenges,
// IP address and device; each event also carries FrontdeskRiskSignals (why the decision was taken).
import type { AdminListUserAuthEventsRequest, AdminListUserAuthEventsResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const adminListUserAuthEvents = defineOperation<AdminListUserAuthEventsRequest, AdminListUserAuthEventsResponse>({
  name: 'AdminListUserAuthEvents',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    return services.adaptiveAuth.listUserAuthEvents(input);
  },
});
