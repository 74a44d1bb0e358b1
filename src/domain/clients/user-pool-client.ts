import type { CreateUserPoolClientRequest } from '@aws-sdk/client-cognito-identity-provider';

/** A client's settings in Cognito's member names (defaults filled in), minus identity and secret. */
export type UserPoolClientSettings = Omit<
  CreateUserPoolClientRequest,
  'UserPoolId' | 'ClientName' | 'GenerateSecret' | 'ClientSecret'
>;

export interface UserPoolClient {
  id: string;
  userPoolId: string;
  name: string;
  /** The plaintext secret, decrypted on read; undefined when the client has none. */
  secret?: string;
  settings: UserPoolClientSettings;
  createdAt: Date;
  updatedAt: Date;
}
