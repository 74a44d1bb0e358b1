// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RespondToAuthChallenge.html
// Implemented: PASSWORD_VERIFIER and NEW_PASSWORD_REQUIRED; sessions are single-use and last 3 minutes.
import type { RespondToAuthChallengeRequest, RespondToAuthChallengeResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const respondToAuthChallenge = defineOperation<RespondToAuthChallengeRequest, RespondToAuthChallengeResponse>({
  name: 'RespondToAuthChallenge',
  service: 'idp',
  auth: 'none',
  async handler(input, { services, sourceIp }) {
    return services.auth.respondToAuthChallenge(input, { sourceIp });
  },
});
