// Frontdesk's own API (X-Amz-Target `FrontdeskAdmin.GetCustomSenderKey`, SigV4 with the admin
// credentials): the key a pool's CustomEmailSender / CustomSMSSender function decrypts codes with.
// Cognito encrypts those codes under the pool's KMS key (LambdaConfig.KMSKeyID) and the function
// decrypts them with the AWS Encryption SDK; Frontdesk calls no KMS, so it encrypts them as a JWE
// (compact, alg "dir", enc "A256GCM", kid = KMSKeyID) under a key derived from the master key, the
// pool and KMSKeyID, which this operation returns (docs/triggers.md).
// Input: {UserPoolId}. Output: {UserPoolId, KMSKeyID, Key (base64url, 32 bytes), Format}.
// Errors: ResourceNotFoundException (no pool), InvalidParameterException (no KMSKeyID).
import { defineOperation } from '../../operation.js';

export const getCustomSenderKey = defineOperation<
  { UserPoolId: string },
  { UserPoolId: string; KMSKeyID: string; Key: string; Format: string }
>({
  name: 'GetCustomSenderKey',
  service: 'admin',
  auth: 'sigv4',
  async handler(input, { services }) {
    const { kmsKeyId, key } = await services.customSenderKeys.keyFor(input.UserPoolId);
    return { UserPoolId: input.UserPoolId, KMSKeyID: kmsKeyId, Key: key.toString('base64url'), Format: 'JWE compact; alg dir; enc A256GCM' };
  },
});
