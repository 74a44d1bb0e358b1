import type { OperationModel, ShapeTable } from '../protocol/shape-types.js';

// FrontdeskAdmin.PutFunction / GetFunction / ListFunctions / DeleteFunction: the Lambda trigger
// function registry (docs/triggers.md). Hand-written in the AWS model's compact form.

export const triggerFunctionOperationNames = ['PutFunction', 'GetFunction', 'ListFunctions', 'DeleteFunction', 'GetCustomSenderKey'] as const;

export const triggerFunctionShapes: ShapeTable = {
  FunctionArnType: {
    type: 'string',
    min: 20,
    max: 2048,
    pattern: 'arn:[\\w+=/,.@-]+:[\\w+=/,.@-]+:([\\w+=/,.@-]*)?:[0-9]+:[\\w+=/,.@-]+(:[\\w+=/,.@-]+)?(:[\\w+=/,.@-]+)?',
  },
  FunctionUrlType: { type: 'string', min: 1, max: 2048, pattern: 'https?://.+' },
  FunctionPathType: { type: 'string', min: 1, max: 4096 },
  FunctionHandlerType: { type: 'string', min: 1, max: 128, pattern: '[A-Za-z_$][\\w$]*' },
  FunctionRuntimeType: { type: 'string', enum: ['nodejs', 'python'] },
  FunctionTimeoutType: { type: 'integer', min: 1, max: 900000 },
  FunctionEnvNameType: { type: 'string', min: 1, max: 128, pattern: '[A-Za-z_][A-Za-z0-9_]*' },
  FunctionEnvValueType: { type: 'string', max: 4096, sensitive: true },
  FunctionEnvironmentType: { type: 'map', key: 'FunctionEnvNameType', value: 'FunctionEnvValueType', max: 100 },
  FunctionBooleanType: { type: 'boolean' },
  WebhookFunctionType: { type: 'structure', required: ['Url'], members: { Url: 'FunctionUrlType' } },
  ModuleFunctionType: { type: 'structure', required: ['Path'], members: { Path: 'FunctionPathType', Handler: 'FunctionHandlerType' } },
  CommandFunctionType: {
    type: 'structure',
    required: ['Runtime', 'File'],
    members: { Runtime: 'FunctionRuntimeType', File: 'FunctionPathType', Handler: 'FunctionHandlerType', Environment: 'FunctionEnvironmentType' },
  },
  FunctionAccessKeyIdType: { type: 'string', min: 1, max: 128 },
  FunctionSecretKeyType: { type: 'string', min: 1, max: 256, sensitive: true },
  FunctionNameType: { type: 'string', min: 1, max: 256 },
  LambdaFunctionType: {
    type: 'structure',
    members: { AccessKeyId: 'FunctionAccessKeyIdType', SecretAccessKey: 'FunctionSecretKeyType', Endpoint: 'FunctionUrlType', FunctionName: 'FunctionNameType' },
  },
  PutFunctionRequest: {
    type: 'structure',
    required: ['FunctionArn'],
    members: {
      FunctionArn: 'FunctionArnType',
      Webhook: 'WebhookFunctionType',
      Module: 'ModuleFunctionType',
      Command: 'CommandFunctionType',
      Lambda: 'LambdaFunctionType',
      TimeoutMs: 'FunctionTimeoutType',
      RotateSecret: 'FunctionBooleanType',
    },
  },
  FunctionArnRequest: { type: 'structure', required: ['FunctionArn'], members: { FunctionArn: 'FunctionArnType' } },
  ListFunctionsRequest: { type: 'structure', members: {} },
  GetCustomSenderKeyRequest: { type: 'structure', required: ['UserPoolId'], members: { UserPoolId: 'UserPoolIdType' } },
};

const model = (name: string, input: string, errors: string[]): OperationModel => ({
  service: 'admin',
  signingName: 'cognito-idp',
  name,
  auth: 'sigv4',
  input,
  output: null,
  errors: [...errors, 'InvalidParameterException', 'InternalErrorException'],
});

export const triggerFunctionOperationModels: Record<string, OperationModel> = {
  'FrontdeskAdmin.PutFunction': model('PutFunction', 'PutFunctionRequest', []),
  'FrontdeskAdmin.GetFunction': model('GetFunction', 'FunctionArnRequest', ['ResourceNotFoundException']),
  'FrontdeskAdmin.ListFunctions': model('ListFunctions', 'ListFunctionsRequest', []),
  'FrontdeskAdmin.DeleteFunction': model('DeleteFunction', 'FunctionArnRequest', ['ResourceNotFoundException']),
  'FrontdeskAdmin.GetCustomSenderKey': model('GetCustomSenderKey', 'GetCustomSenderKeyRequest', ['ResourceNotFoundException']),
};
