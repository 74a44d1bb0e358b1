// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_VerifySoftwareToken.html
// Implemented: the pending secret is confirmed by an RFC 6238 code (±1 step, never a step twice)
// and named FriendlyDeviceName; with a Session (sign-in at MFA_SETUP) software-token MFA is turned
// on and preferred, and the next Session is returned for RespondToAuthChallenge(MFA_SETUP).
// A wrong code: EnableSoftwareTokenMFAException; the set-up Session may be tried again (5 times).
import type { VerifySoftwareTokenRequest, VerifySoftwareTokenResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const verifySoftwareToken = defineOperation<VerifySoftwareTokenRequest, VerifySoftwareTokenResponse>({
  name: 'VerifySoftwareToken',
  service: 'idp',
  auth: 'none',
  async handler(input, { services }) {
    return services.mfa.verifySoftwareToken(input);
  },
});
