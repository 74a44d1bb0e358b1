// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SignUp.html
// Implemented: password policy, attributes and client WriteAttributes, UsernameAttributes/AliasAttributes, SECRET_HASH, a code to an auto-verified email/phone.
// Threat protection: the compromised-credentials check (EventFilter SIGN_UP; BLOCK in ENFORCED mode → InvalidPasswordException, no user) and a SignUp auth event.
// DEVIATION: passwordless sign-up (no Password) is refused until choice-based sign-in lands.
import type { SignUpRequest, SignUpResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const signUp = defineOperation<SignUpRequest, SignUpResponse>({
  name: 'SignUp',
  service: 'idp',
  auth: 'none',
  async handler(input, { services, sourceIp }) {
    return services.signUp.signUp(input, { sourceIp });
  },
});
