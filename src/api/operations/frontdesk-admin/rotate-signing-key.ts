// Frontdesk's own API (X-Amz-Target `FrontdeskAdmin.RotateSigningKey`, SigV4): makes a new RS256
// key the pool's signing key. Tokens signed with the old key keep verifying: it stays in the JWKS
// until every token it signed has expired. Cognito rotates its keys itself and offers no call.
// Input: { UserPoolId }. Output: { UserPoolId, Kid } (the new key's id).
import { defineOperation } from '../../operation.js';

export const rotateSigningKey = defineOperation<{ UserPoolId: string }, { UserPoolId: string; Kid: string }>({
  name: 'RotateSigningKey',
  service: 'admin',
  auth: 'sigv4',
  async handler(input, { services }) {
    const { kid } = await services.tokens.rotateSigningKey(input.UserPoolId);
    return { UserPoolId: input.UserPoolId, Kid: kid };
  },
});
