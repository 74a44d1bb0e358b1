import type { GroupType } from '@aws-sdk/client-cognito-identity-provider';

/** A user pool group. Names are case-sensitive and unique within their pool. */
export interface Group {
  userPoolId: string;
  name: string;
  description?: string;
  roleArn?: string;
  /** Lower wins; undefined ranks after every number. */
  precedence?: number;
  createdAt: Date;
  updatedAt: Date;
}

export function toGroupType(group: Group): GroupType {
  return {
    GroupName: group.name,
    UserPoolId: group.userPoolId,
    ...(group.description !== undefined ? { Description: group.description } : {}),
    ...(group.roleArn !== undefined ? { RoleArn: group.roleArn } : {}),
    ...(group.precedence !== undefined ? { Precedence: group.precedence } : {}),
    LastModifiedDate: group.updatedAt,
    CreationDate: group.createdAt,
  };
}
