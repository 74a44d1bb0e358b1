// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UpdateAuthEventFeedback.html
// Implemented: the user's one-click feedback from a risk notification email, proven by its FeedbackToken.
import type { UpdateAuthEventFeedbackRequest, UpdateAuthEventFeedbackResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const updateAuthEventFeedback = defineOperation<UpdateAuthEventFeedbackRequest, UpdateAuthEventFeedbackResponse>({
  name: 'UpdateAuthEventFeedback',
  service: 'idp',
  auth: 'none',
  async handler(input, { services }) {
    await services.adaptiveAuth.updateFeedback(input.UserPoolId!, input.Username!, input.EventId!, input.FeedbackToken!, input.FeedbackValue!);
    return {};
  },
});
