import type { UserPoolClientDescription, UserPoolClientType } from '@aws-sdk/client-cognito-identity-provider';
import type { UserPoolClient } from './user-pool-client.js';

/**
 * Create/Describe/UpdateUserPoolClient's UserPoolClientType. Cognito returns the secret on every
 * one of them (apps read it back with DescribeUserPoolClient), so it is included when the client
 * has one.
 */
export function toUserPoolClientType(client: UserPoolClient): UserPoolClientType {
  return {
    // Settings first, so nothing stored in them can shadow the identity or secret members.
    ...client.settings,
    UserPoolId: client.userPoolId,
    ClientName: client.name,
    ClientId: client.id,
    ...(client.secret !== undefined ? { ClientSecret: client.secret } : {}),
    LastModifiedDate: client.updatedAt,
    CreationDate: client.createdAt,
  };
}

export function toUserPoolClientDescription(client: UserPoolClient): UserPoolClientDescription {
  return { ClientId: client.id, UserPoolId: client.userPoolId, ClientName: client.name };
}
