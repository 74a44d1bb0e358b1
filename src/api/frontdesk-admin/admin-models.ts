import type { OperationModel, ShapeTable } from '../protocol/shape-types.js';
import { triggerFunctionOperationNames, triggerFunctionOperationModels, triggerFunctionShapes } from './trigger-function-models.js';
import { idpShapes } from '../../generated/idp-shapes.js';

// Frontdesk's own administrative operations, under the X-Amz-Target prefix `FrontdeskAdmin`.
// They go through the same dispatcher as Cognito's (SigV4 with the admin credentials, scoped to the
// `cognito-idp` service so any Cognito-configured signer can call them; model validation; the same
// error envelope). Hand-written in the AWS model's compact form.

export const ADMIN_TARGET_PREFIX = 'FrontdeskAdmin';

export const adminOperationNames = [
  'ListMessages',
  'GetUserPoolOptions',
  'SetUserPoolOptions',
  'RotateSigningKey',
  ...triggerFunctionOperationNames,
  'ListUserImportJobErrors',
  'ExportUsers',
  'ImportUsers',
] as const;
export type AdminOperationName = (typeof adminOperationNames)[number];

export const adminShapes: ShapeTable = {
  DestinationType: { type: 'string', min: 1, max: 2048 },
  MessageLimitType: { type: 'integer', min: 1, max: 1000 },
  ListMessagesRequest: {
    type: 'structure',
    members: { Destination: 'DestinationType', MaxResults: 'MessageLimitType' },
  },
  UserPoolIdType: { type: 'string', min: 1, max: 55, pattern: '[\\w-]+_[0-9a-zA-Z]+' },
  BooleanType: { type: 'boolean' },
  GetUserPoolOptionsRequest: { type: 'structure', required: ['UserPoolId'], members: { UserPoolId: 'UserPoolIdType' } },
  SetUserPoolOptionsRequest: {
    type: 'structure',
    required: ['UserPoolId'],
    members: { UserPoolId: 'UserPoolIdType', SrpDisabled: 'BooleanType' },
  },
  ...triggerFunctionShapes,
  UserImportJobIdType: { type: 'string', min: 1, max: 55, pattern: 'import-[0-9a-zA-Z-]+' },
  ImportErrorLimitType: { type: 'integer', min: 1, max: 1000 },
  ImportErrorTokenType: { type: 'string', min: 1, max: 256, pattern: '[\\S]+' },
  ListUserImportJobErrorsRequest: {
    type: 'structure',
    required: ['UserPoolId', 'JobId'],
    members: { UserPoolId: 'UserPoolIdType', JobId: 'UserImportJobIdType', MaxResults: 'ImportErrorLimitType', NextToken: 'ImportErrorTokenType' },
  },
  // User export and import (docs/user-transfer.md). User records are checked one by one by the
  // import itself, so that a bad record fails alone: the model takes them as documents.
  ExportUsersRequest: {
    type: 'structure',
    required: ['UserPoolId'],
    members: { UserPoolId: 'UserPoolIdType', PaginationToken: 'TransferTokenType', MaxResults: 'ExportLimitType' },
  },
  TransferTokenType: { type: 'string', min: 1, max: 2048 },
  ExportLimitType: { type: 'integer', min: 1, max: 1000 },
  ImportUsersRequest: {
    type: 'structure',
    required: ['UserPoolId', 'Users'],
    members: { UserPoolId: 'UserPoolIdType', Users: 'TransferUserListType', Groups: 'TransferGroupListType', OnConflict: 'OnConflictType' },
  },
  TransferUserListType: { type: 'list', member: 'TransferUserType', min: 1, max: 1000 },
  TransferUserType: { type: 'structure', document: true },
  TransferGroupListType: { type: 'list', member: 'TransferGroupType', max: 10000 },
  TransferGroupType: {
    type: 'structure',
    required: ['GroupName'],
    members: { GroupName: 'GroupNameType', Description: 'DescriptionType', Precedence: 'PrecedenceType', RoleArn: 'ArnType' },
  },
  GroupNameType: idpShapes.GroupNameType!,
  DescriptionType: idpShapes.DescriptionType!,
  PrecedenceType: idpShapes.PrecedenceType!,
  ArnType: idpShapes.ArnType!,
  OnConflictType: { type: 'string', enum: ['FAIL', 'SKIP', 'OVERWRITE'] },
};

export const adminOperationModels: Record<string, OperationModel> = {
  [`${ADMIN_TARGET_PREFIX}.ListMessages`]: {
    service: 'admin',
    signingName: 'cognito-idp',
    name: 'ListMessages',
    auth: 'sigv4',
    input: 'ListMessagesRequest',
    output: null,
    errors: ['InvalidParameterException', 'InternalErrorException'],
  },
  [`${ADMIN_TARGET_PREFIX}.GetUserPoolOptions`]: {
    service: 'admin',
    signingName: 'cognito-idp',
    name: 'GetUserPoolOptions',
    auth: 'sigv4',
    input: 'GetUserPoolOptionsRequest',
    output: null,
    errors: ['InvalidParameterException', 'ResourceNotFoundException', 'InternalErrorException'],
  },
  [`${ADMIN_TARGET_PREFIX}.RotateSigningKey`]: {
    service: 'admin',
    signingName: 'cognito-idp',
    name: 'RotateSigningKey',
    auth: 'sigv4',
    input: 'GetUserPoolOptionsRequest',
    output: null,
    errors: ['InvalidParameterException', 'ResourceNotFoundException', 'InternalErrorException'],
  },
  [`${ADMIN_TARGET_PREFIX}.ListUserImportJobErrors`]: {
    service: 'admin',
    signingName: 'cognito-idp',
    name: 'ListUserImportJobErrors',
    auth: 'sigv4',
    input: 'ListUserImportJobErrorsRequest',
    output: null,
    errors: ['InvalidParameterException', 'ResourceNotFoundException', 'InternalErrorException'],
  },
  [`${ADMIN_TARGET_PREFIX}.SetUserPoolOptions`]: {
    service: 'admin',
    signingName: 'cognito-idp',
    name: 'SetUserPoolOptions',
    auth: 'sigv4',
    input: 'SetUserPoolOptionsRequest',
    output: null,
    errors: ['InvalidParameterException', 'ResourceNotFoundException', 'InternalErrorException'],
  },
  ...triggerFunctionOperationModels,
  [`${ADMIN_TARGET_PREFIX}.ExportUsers`]: {
    service: 'admin',
    signingName: 'cognito-idp',
    name: 'ExportUsers',
    auth: 'sigv4',
    input: 'ExportUsersRequest',
    output: null,
    errors: ['InvalidParameterException', 'ResourceNotFoundException', 'InternalErrorException'],
  },
  [`${ADMIN_TARGET_PREFIX}.ImportUsers`]: {
    service: 'admin',
    signingName: 'cognito-idp',
    name: 'ImportUsers',
    auth: 'sigv4',
    input: 'ImportUsersRequest',
    output: null,
    errors: ['InvalidParameterException', 'ResourceNotFoundException', 'InternalErrorException'],
  },
};
