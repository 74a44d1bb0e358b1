import type {
  CreateUserPoolRequest,
  EmailMfaConfigType,
  SchemaAttributeType,
  WebAuthnConfigurationType,
} from '@aws-sdk/client-cognito-identity-provider';

/**
 * A pool's settings in Cognito's own member names, so they round-trip to DescribeUserPool unchanged.
 * The schema is always the full list (standard attributes plus `custom:` ones), with defaults filled in.
 */
export type UserPoolSettings = Omit<CreateUserPoolRequest, 'PoolName' | 'Schema'> & {
  SchemaAttributes: SchemaAttributeType[];
  /** Which MFA factors SetUserPoolMfaConfig enabled (Cognito keeps these apart from MfaConfiguration). */
  MfaSettings?: MfaSettings;
  /** Frontdesk extensions with no Cognito member; never shown by DescribeUserPool. */
  FrontdeskOptions?: FrontdeskPoolOptions;
};

export interface FrontdeskPoolOptions {
  /** Store Argon2id hashes instead of SRP verifiers; USER_SRP_AUTH is then refused. */
  SrpDisabled?: boolean;
}

export interface MfaSettings {
  SmsMfaEnabled?: boolean;
  SoftwareTokenMfaEnabled?: boolean;
  EmailMfaEnabled?: boolean;
  EmailMfaConfiguration?: EmailMfaConfigType;
  WebAuthnConfiguration?: WebAuthnConfigurationType;
}

export interface UserPool {
  id: string;
  name: string;
  settings: UserPoolSettings;
  /** Optimistic-concurrency counter: every write names the version it read. */
  version: number;
  createdAt: Date;
  updatedAt: Date;
}
