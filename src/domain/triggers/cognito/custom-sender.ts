import { createCipheriv, randomBytes } from 'node:crypto';
import { InvalidParameterException } from '../../../generated/exceptions.js';
import type { UserPool } from '../../user-pools/user-pool.js';
import type { User } from '../../users/user.js';
import { optionalMap, type Triggers } from '../triggers.js';
import type { MessageContext } from './custom-message.js';
import { eventAttributes } from './user-attributes.js';

// Custom email / SMS sender:
//   https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-email-sender.html
//   https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-sms-sender.html
// With LambdaConfig.CustomEmailSender / CustomSMSSender set, Frontdesk sends no message of that
// medium itself: the function gets the code (or temporary password) encrypted and delivers it.
//
// DEVIATION: Cognito encrypts the code with the AWS Encryption SDK under the pool's KMS key
// (KMSKeyID). Frontdesk calls no KMS: the code is a JWE in compact form (alg "dir", enc
// "A256GCM", kid = the pool's KMSKeyID) under a 256-bit key derived from the master key, the pool
// and KMSKeyID; FrontdeskAdmin.GetCustomSenderKey gives it to the administrator, who configures
// the function with it (docs/triggers.md shows decryption in Node.js and Python). Changing
// KMSKeyID changes the key.

export type SenderMedium = 'EMAIL' | 'SMS';

/** The derived key: an HMAC under the master key's MAC key, so every node derives the same one. */
export type SenderKeyDerivation = (data: string, purpose: string) => string;

export function customSenderKey(mac: SenderKeyDerivation, pool: UserPool): { kmsKeyId: string; key: Buffer } {
  const kmsKeyId = pool.settings.LambdaConfig?.KMSKeyID;
  if (!kmsKeyId) throw new InvalidParameterException('The user pool has no KMSKeyID in its LambdaConfig.');
  return { kmsKeyId, key: Buffer.from(mac(`${pool.id}\0${kmsKeyId}`, 'custom-sender-key'), 'hex') };
}

/** JWE compact serialization, alg "dir", enc "A256GCM" (RFC 7516 / 7518). */
export function encryptCode(key: Buffer, kmsKeyId: string, code: string): string {
  const header = Buffer.from(JSON.stringify({ alg: 'dir', enc: 'A256GCM', kid: kmsKeyId })).toString('base64url');
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(header, 'ascii'));
  const ciphertext = Buffer.concat([cipher.update(code, 'utf8'), cipher.final()]);
  return `${header}..${iv.toString('base64url')}.${ciphertext.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}`;
}

/** The sender function the pool configures for a medium, if any. */
export function senderArnOf(pool: UserPool, medium: SenderMedium): string | undefined {
  const config = medium === 'EMAIL' ? pool.settings.LambdaConfig?.CustomEmailSender : pool.settings.LambdaConfig?.CustomSMSSender;
  return config?.LambdaArn || undefined;
}

/** Hands the (encrypted) code to the pool's sender function; false when the pool has none for the medium. */
export async function runCustomSender(
  triggers: Triggers,
  mac: SenderKeyDerivation,
  pool: UserPool,
  input: { medium: SenderMedium; context: MessageContext; user: Pick<User, 'id' | 'username' | 'attributes' | 'status'>; code: string },
): Promise<boolean> {
  const arn = senderArnOf(pool, input.medium);
  if (!arn) return false;
  const { kmsKeyId, key } = customSenderKey(mac, pool);
  const name = input.medium === 'EMAIL' ? 'CustomEmailSender' : 'CustomSMSSender';
  await triggers.run(pool, name, arn, {
    userName: input.user.username,
    clientId: input.context.clientId,
    triggerSource: input.context.triggerSource.replace(/^CustomMessage_/, `${name}_`),
    request: {
      type: input.medium === 'EMAIL' ? 'customEmailSenderRequestV1' : 'customSMSSenderRequestV1',
      code: encryptCode(key, kmsKeyId, input.code),
      ...optionalMap('clientMetadata', input.context.clientMetadata),
      userAttributes: eventAttributes(input.user),
    },
    response: {},
  });
  return true;
}
