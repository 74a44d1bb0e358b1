// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminRespondToAuthChallenge.html
// Implemented: PASSWORD_VERIFIER and NEW_PASSWORD_REQUIRED.
import type { AdminRespondToAuthChallengeRequest, AdminRespondToAuthChallengeResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const adminRespondToAuthChallenge = defineOperation<AdminRespondToAuthChallengeRequest, AdminRespondToAuthChallengeResponse>({
  name: 'AdminRespondToAuthChallenge',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services, sourceIp }) {
    return services.auth.adminRespondToAuthChallenge(input, { sourceIp });
  },
});
