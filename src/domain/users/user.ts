import type { UserStatusType } from '@aws-sdk/client-cognito-identity-provider';
import type { ImportedHashScheme } from '../../crypto/imported-password-hash.js';

/**
 * How a user's password is held. SRP pools keep the SRP verifier (sealed); others an Argon2id hash.
 * `imported`: a hash from another system, or an SRP verifier made for another pool (`srp`, encoded
 * `<pool short name>$<salt>$<verifier>`), held (sealed) until the next password sign-in replaces
 * it with the pool's own credential (see users/transfer/ and docs/user-transfer.md).
 */
export type PasswordCredential =
  | { kind: 'srp'; salt: string; verifier: string }
  | { kind: 'argon2id'; hash: string }
  | { kind: 'imported'; scheme: ImportedHashScheme | 'srp'; encoded: string };

export interface User {
  /** The user's `sub` (a UUID), also the primary key. */
  id: string;
  userPoolId: string;
  /** Cognito's internal username: what USER_ID_FOR_SRP and `cognito:username` carry. */
  username: string;
  status: UserStatusType;
  enabled: boolean;
  /** Every attribute except `sub`, by Cognito name (`email`, `custom:tenant`, …). */
  attributes: Record<string, string>;
  /**
   * New email/phone values that wait for verification before they replace the old ones
   * (UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate).
   */
  pendingAttributes?: Record<string, string>;
  password?: PasswordCredential;
  passwordSetAt?: Date;
  /** Opaque JSON owned by the MFA capability. */
  mfa?: unknown;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}
