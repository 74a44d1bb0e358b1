// Frontdesk's user transfer format, version 1 (docs/user-transfer.md is its reference). A file is
// JSON Lines: the first line a TransferHeader, then one TransferUser per line. The same records
// travel in FrontdeskAdmin.ExportUsers / ImportUsers, so the CLI only frames them.
//
// The file holds password verifiers and hashes in clear (unsealed): it is a secret.

export const TRANSFER_FORMAT = 'frontdesk-users';
export const TRANSFER_FORMAT_VERSION = 1;

export interface TransferHeader {
  Format: typeof TRANSFER_FORMAT;
  Version: typeof TRANSFER_FORMAT_VERSION;
  /** The pool the users were exported from. */
  UserPoolId: string;
  /** ISO 8601. */
  ExportDate: string;
  /** The pool's groups, so an import recreates them with their settings. */
  Groups: TransferGroup[];
}

export interface TransferGroup {
  GroupName: string;
  Description?: string;
  Precedence?: number;
  RoleArn?: string;
}

export interface TransferUser {
  /** Cognito's internal username (USER_ID_FOR_SRP, `cognito:username`). */
  Username: string;
  /** The user's `sub`, kept by the import. */
  Sub: string;
  UserStatus: string;
  Enabled: boolean;
  /** ISO 8601 (the import also accepts epoch seconds). */
  UserCreateDate: string;
  UserLastModifiedDate: string;
  /** Every attribute but `sub`, `*_verified` flags included. */
  Attributes: Record<string, string>;
  /** New email / phone values waiting for verification before they replace the current ones. */
  PendingAttributes?: Record<string, string>;
  /** Names of the user's groups. */
  Groups: string[];
  Password?: TransferPassword;
  /** MFA settings and the TOTP secret (see docs/user-transfer.md, "MFA"). */
  Mfa?: TransferMfa;
}

/**
 * SRP: Cognito's verifier (hex, as stored); PoolName is the pool short name mixed into it, so it
 * works for SRP only in a pool of that name. HASH: a PHC-style or crypt-style hash string.
 */
export type TransferPassword =
  | { Type: 'SRP'; PoolName: string; Salt: string; Verifier: string; SetDate?: string }
  | { Type: 'HASH'; Hash: string; SetDate?: string };

/**
 * MFA settings. `SoftwareToken.Secret` is the verified TOTP secret in base32, unsealed (the file is
 * a secret); `Preferred` / `Enabled` are factor names (SMS_MFA, SOFTWARE_TOKEN_MFA, EMAIL_OTP);
 * `LegacySms` is SMS MFA turned on through SetUserSettings; `State` carries any other member of the
 * MFA record verbatim.
 */
export interface TransferMfa {
  Preferred?: string;
  Enabled?: string[];
  LegacySms?: boolean;
  SoftwareToken?: { Secret: string; FriendlyName?: string; CreationDate?: string };
  State?: Record<string, unknown>;
}
