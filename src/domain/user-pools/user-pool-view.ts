import type { UserPoolDescriptionType, UserPoolType } from '@aws-sdk/client-cognito-identity-provider';
import type { UserPool } from './user-pool.js';

/** DescribeUserPool's UserPoolType: the stored settings plus identity, dates and counts. */
export function toUserPoolType(pool: UserPool, arn: string, estimatedNumberOfUsers: number): UserPoolType {
  const { MfaSettings: _mfa, FrontdeskOptions: _extensions, ...settings } = pool.settings;
  return {
    Id: pool.id,
    Name: pool.name,
    Arn: arn,
    CreationDate: pool.createdAt,
    LastModifiedDate: pool.updatedAt,
    EstimatedNumberOfUsers: estimatedNumberOfUsers,
    ...settings,
  };
}

export function toUserPoolDescription(pool: UserPool): UserPoolDescriptionType {
  return {
    Id: pool.id,
    Name: pool.name,
    LambdaConfig: pool.settings.LambdaConfig ?? {},
    CreationDate: pool.createdAt,
    LastModifiedDate: pool.updatedAt,
  };
}
