// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AssociateSoftwareToken.html
// Implemented: a new TOTP secret (base32, 52 characters) for a signed-in user (AccessToken) or for a
// sign-in waiting at MFA_SETUP (Session, answered with the next Session). The secret stays pending
// until VerifySoftwareToken; apps take it as otpauth://totp/<issuer>:<username>?secret=…&issuer=…
// (docs/mfa.md).
// DEVIATION: an authenticator the user already verified keeps working until the new one is
// verified (Cognito stops honouring it at once).
import type { AssociateSoftwareTokenRequest, AssociateSoftwareTokenResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const associateSoftwareToken = defineOperation<AssociateSoftwareTokenRequest, AssociateSoftwareTokenResponse>({
  name: 'AssociateSoftwareToken',
  service: 'idp',
  auth: 'none',
  async handler(input, { services }) {
    return services.mfa.associateSoftwareToken(input);
  },
});
