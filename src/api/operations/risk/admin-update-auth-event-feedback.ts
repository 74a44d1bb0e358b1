// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminUpdateAuthEventFeedback.html
// Implemented: Valid / Invalid feedback on an event; later risk decisions take it into account.
import type { AdminUpdateAuthEventFeedbackRequest, AdminUpdateAuthEventFeedbackResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const adminUpdateAuthEventFeedback = defineOperation<AdminUpdateAuthEventFeedbackRequest, AdminUpdateAuthEventFeedbackResponse>({
  name: 'AdminUpdateAuthEventFeedback',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    await services.adaptiveAuth.adminUpdateFeedback(input.UserPoolId!, input.Username!, input.EventId!, input.FeedbackValue!);
    return {};
  },
});
