// Frontdesk's own API (X-Amz-Target `FrontdeskAdmin.PutFunction` / `GetFunction` / `ListFunctions`
// / `DeleteFunction`, SigV4 with the admin credentials): the registry that resolves the function
// ARNs of a pool's LambdaConfig to handlers (docs/triggers.md). Cognito has no equivalent: there,
// ARNs name AWS Lambda functions.
// PutFunction {FunctionArn, Webhook {Url} | Module {Path, Handler?} | Command {Runtime, File,
//   Handler?, Environment?} | Lambda {AccessKeyId, SecretAccessKey, Endpoint?, FunctionName?},
//   TimeoutMs?, RotateSecret?} → {Function, WebhookSecret?}. Lambda: the AWS Lambda Invoke API at
//   Endpoint (default AWS's for the ARN's region), FunctionName defaulting to the ARN; the secret
//   key is sealed and never shown again (left out on a later PutFunction, the stored key stays). A webhook's
//   signing secret is generated, sealed at rest and answered once: when the function is created or
//   RotateSecret is set. Module and command functions run code on the server: the API accepts them
//   only with FRONTDESK_TRIGGER_CODE_FROM_API=on (the config file may always declare them).
// Function output: {FunctionArn, Transport, Webhook?|Module?|Command? (environment variable names,
//   never values), TimeoutMs?, Source (CONFIG | API), CreationDate, LastModifiedDate}.
import { InvalidParameterException } from '../../../generated/exceptions.js';
import { defineOperation } from '../../operation.js';
import {
  defaultLambdaEndpoint,
  type CommandRuntime,
  type LambdaCredentials,
  type TriggerFunction,
  type TriggerFunctionDefinition,
} from '../../../domain/triggers/trigger-function.js';

export interface PutFunctionRequest {
  FunctionArn: string;
  Webhook?: { Url: string };
  Module?: { Path: string; Handler?: string };
  Command?: { Runtime: CommandRuntime; File: string; Handler?: string; Environment?: Record<string, string> };
  Lambda?: { AccessKeyId?: string; SecretAccessKey?: string; Endpoint?: string; FunctionName?: string };
  TimeoutMs?: number;
  RotateSecret?: boolean;
}

export interface FunctionType {
  FunctionArn: string;
  Transport: 'WEBHOOK' | 'MODULE' | 'COMMAND' | 'LAMBDA';
  Webhook?: { Url: string };
  Module?: { Path: string; Handler: string };
  Command?: { Runtime: CommandRuntime; File: string; Handler: string; EnvironmentVariableNames: string[] };
  Lambda?: { Endpoint: string; FunctionName: string; AccessKeyId?: string };
  TimeoutMs?: number;
  Source: 'CONFIG' | 'API';
  CreationDate?: Date;
  LastModifiedDate?: Date;
}

function toFunctionType(fn: TriggerFunction): FunctionType {
  const d = fn.definition;
  return {
    FunctionArn: fn.arn,
    Transport: d.transport === 'webhook' ? 'WEBHOOK' : d.transport === 'module' ? 'MODULE' : d.transport === 'command' ? 'COMMAND' : 'LAMBDA',
    ...(d.transport === 'webhook' ? { Webhook: { Url: d.url } } : {}),
    ...(d.transport === 'module' ? { Module: { Path: d.path, Handler: d.handler } } : {}),
    ...(d.transport === 'command'
      ? { Command: { Runtime: d.runtime, File: d.file, Handler: d.handler, EnvironmentVariableNames: Object.keys(d.environment).sort() } }
      : {}),
    ...(d.transport === 'lambda'
      ? { Lambda: { Endpoint: d.endpoint, FunctionName: d.functionName, ...(fn.credentials ? { AccessKeyId: fn.credentials.accessKeyId } : {}) } }
      : {}),
    ...(fn.timeoutMs !== undefined ? { TimeoutMs: fn.timeoutMs } : {}),
    Source: fn.source === 'config' ? 'CONFIG' : 'API',
    ...(fn.source === 'api' ? { CreationDate: fn.createdAt, LastModifiedDate: fn.updatedAt } : {}),
  };
}

function definitionOf(input: PutFunctionRequest): TriggerFunctionDefinition {
  const given = [input.Webhook, input.Module, input.Command, input.Lambda].filter((t) => t !== undefined).length;
  if (given !== 1) throw new InvalidParameterException('Exactly one of Webhook, Module, Command and Lambda is required.');
  if (input.Lambda) {
    return {
      transport: 'lambda',
      endpoint: input.Lambda.Endpoint ?? defaultLambdaEndpoint(input.FunctionArn, 'us-east-1'),
      functionName: input.Lambda.FunctionName ?? input.FunctionArn,
    };
  }
  if (input.Webhook) return { transport: 'webhook', url: input.Webhook.Url };
  if (input.Module) return { transport: 'module', path: input.Module.Path, handler: input.Module.Handler ?? 'handler' };
  const command = input.Command!;
  return { transport: 'command', runtime: command.Runtime, file: command.File, handler: command.Handler ?? 'handler', environment: command.Environment ?? {} };
}

function credentialsOf(input: PutFunctionRequest): { credentials?: LambdaCredentials } {
  const lambda = input.Lambda;
  if (!lambda || (lambda.AccessKeyId === undefined && lambda.SecretAccessKey === undefined)) return {};
  if (!lambda.AccessKeyId || !lambda.SecretAccessKey) throw new InvalidParameterException('AccessKeyId and SecretAccessKey go together.');
  return { credentials: { accessKeyId: lambda.AccessKeyId, secretAccessKey: lambda.SecretAccessKey } };
}

export const putFunction = defineOperation<PutFunctionRequest, { Function: FunctionType; WebhookSecret?: string }>({
  name: 'PutFunction',
  service: 'admin',
  auth: 'sigv4',
  async handler(input, { services }) {
    const { fn, newSecret } = await services.triggerFunctions.put({
      arn: input.FunctionArn,
      definition: definitionOf(input),
      ...credentialsOf(input),
      ...(input.TimeoutMs !== undefined ? { timeoutMs: input.TimeoutMs } : {}),
      ...(input.RotateSecret ? { rotateSecret: true } : {}),
    });
    return { Function: toFunctionType(fn), ...(newSecret !== undefined ? { WebhookSecret: newSecret } : {}) };
  },
});

export const getFunction = defineOperation<{ FunctionArn: string }, { Function: FunctionType }>({
  name: 'GetFunction',
  service: 'admin',
  auth: 'sigv4',
  async handler(input, { services }) {
    return { Function: toFunctionType(await services.triggerFunctions.get(input.FunctionArn)) };
  },
});

export const listFunctions = defineOperation<Record<string, never>, { Functions: FunctionType[] }>({
  name: 'ListFunctions',
  service: 'admin',
  auth: 'sigv4',
  async handler(_input, { services }) {
    return { Functions: (await services.triggerFunctions.list()).map(toFunctionType) };
  },
});

export const deleteFunction = defineOperation<{ FunctionArn: string }, Record<string, never>>({
  name: 'DeleteFunction',
  service: 'admin',
  auth: 'sigv4',
  async handler(input, { services }) {
    await services.triggerFunctions.delete(input.FunctionArn);
    return {};
  },
});
