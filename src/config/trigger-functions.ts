import { ConfigError } from './config.js';
import {
  COMMAND_RUNTIMES,
  defaultLambdaEndpoint,
  type LambdaCredentials,
  FUNCTION_ARN_PATTERN,
  type CommandRuntime,
  type TriggerFunctionDefinition,
} from '../domain/triggers/trigger-function.js';
import { isWebhookSecret } from '../domain/triggers/transports/webhook-signature.js';

/** A function of the trigger registry as the config file declares it. */
export interface ConfiguredTriggerFunction {
  arn: string;
  definition: TriggerFunctionDefinition;
  timeoutMs?: number;
  secret?: string;
  credentials?: LambdaCredentials;
}

/**
 * `triggerFunctions` (file) / FRONTDESK_TRIGGER_FUNCTIONS (JSON text): a list of
 *   {"arn": "arn:aws:lambda:…:function:name",
 *    "webhook": {"url": "https://…", "secret": "whsec_…"}
 *    | "module": {"path": "./triggers/pre-sign-up.mjs", "handler": "handler"}
 *    | "command": {"runtime": "python" | "nodejs", "file": "./lambda/handler.py", "handler": "handler", "environment": {…}}
 *    | "lambda": {"accessKeyId": "…", "secretAccessKey": "…", "endpoint"?: "https://lambda.<region>.amazonaws.com", "functionName"?: "<name or ARN>"},
 *    "timeoutMs": 5000}
 * Relative paths are resolved against the working directory of the server.
 */
export function parseTriggerFunctions(raw: string): ConfiguredTriggerFunction[] {
  let list: unknown;
  try {
    list = JSON.parse(raw);
  } catch {
    throw new ConfigError('must be a JSON list of functions');
  }
  if (!Array.isArray(list)) throw new ConfigError('must be a JSON list of functions');
  const seen = new Set<string>();
  return list.map((item, index) => {
    const where = `function ${index + 1}`;
    if (!isObject(item)) throw new ConfigError(`${where}: must be an object`);
    const arn = item.arn;
    if (typeof arn !== 'string' || !FUNCTION_ARN_PATTERN.test(arn) || arn.length > 2048) {
      throw new ConfigError(`${where}: "arn" must be a function ARN (arn:aws:lambda:<region>:<account>:function:<name>)`);
    }
    if (seen.has(arn)) throw new ConfigError(`${where}: ${arn} is declared twice`);
    seen.add(arn);
    const transports = ['webhook', 'module', 'command', 'lambda'].filter((key) => item[key] !== undefined);
    if (transports.length !== 1) throw new ConfigError(`${where}: needs exactly one of "webhook", "module", "command", "lambda"`);
    const timeoutMs = item.timeoutMs;
    if (timeoutMs !== undefined && !(Number.isInteger(timeoutMs) && (timeoutMs as number) >= 1 && (timeoutMs as number) <= 900_000)) {
      throw new ConfigError(`${where}: "timeoutMs" must be an integer from 1 to 900000`);
    }
    const base = { arn, ...(timeoutMs !== undefined ? { timeoutMs: timeoutMs as number } : {}) };
    if (item.webhook !== undefined) {
      const webhook = item.webhook;
      if (!isObject(webhook) || typeof webhook.url !== 'string' || !isHttpUrl(webhook.url)) {
        throw new ConfigError(`${where}: "webhook.url" must be an http(s) URL`);
      }
      if (typeof webhook.secret !== 'string' || !isWebhookSecret(webhook.secret)) {
        throw new ConfigError(`${where}: "webhook.secret" must be a Standard Webhooks secret, whsec_<base64 of 24-64 bytes>`);
      }
      return { ...base, definition: { transport: 'webhook', url: webhook.url }, secret: webhook.secret };
    }
    if (item.lambda !== undefined) {
      const lambda = item.lambda;
      if (!isObject(lambda) || typeof lambda.accessKeyId !== 'string' || typeof lambda.secretAccessKey !== 'string' || !lambda.accessKeyId || !lambda.secretAccessKey) {
        throw new ConfigError(`${where}: "lambda.accessKeyId" and "lambda.secretAccessKey" are required`);
      }
      if (lambda.endpoint !== undefined && (typeof lambda.endpoint !== 'string' || !isHttpUrl(lambda.endpoint))) {
        throw new ConfigError(`${where}: "lambda.endpoint" must be an http(s) URL`);
      }
      if (lambda.functionName !== undefined && (typeof lambda.functionName !== 'string' || lambda.functionName === '')) {
        throw new ConfigError(`${where}: "lambda.functionName" must be a function name or ARN`);
      }
      return {
        ...base,
        definition: {
          transport: 'lambda',
          endpoint: (lambda.endpoint as string | undefined) ?? defaultLambdaEndpoint(arn, 'us-east-1'),
          functionName: (lambda.functionName as string | undefined) ?? arn,
        },
        credentials: { accessKeyId: lambda.accessKeyId, secretAccessKey: lambda.secretAccessKey },
      };
    }
    if (item.module !== undefined) {
      const module = item.module;
      if (!isObject(module) || typeof module.path !== 'string' || module.path === '') throw new ConfigError(`${where}: "module.path" must be a file path`);
      return { ...base, definition: { transport: 'module', path: module.path, handler: handlerName(module.handler, where) } };
    }
    const command = item.command;
    if (!isObject(command) || !COMMAND_RUNTIMES.includes(command.runtime as CommandRuntime)) {
      throw new ConfigError(`${where}: "command.runtime" must be one of ${COMMAND_RUNTIMES.join(', ')}`);
    }
    if (typeof command.file !== 'string' || command.file === '') throw new ConfigError(`${where}: "command.file" must be a file path`);
    const environment = command.environment ?? {};
    if (!isObject(environment) || Object.values(environment).some((v) => typeof v !== 'string')) {
      throw new ConfigError(`${where}: "command.environment" must map names to strings`);
    }
    return {
      ...base,
      definition: {
        transport: 'command',
        runtime: command.runtime as CommandRuntime,
        file: command.file,
        handler: handlerName(command.handler, where),
        environment: environment as Record<string, string>,
      },
    };
  });
}

function handlerName(value: unknown, where: string): string {
  if (value === undefined) return 'handler';
  if (typeof value !== 'string' || !/^[A-Za-z_$][\w$]*$/.test(value)) throw new ConfigError(`${where}: "handler" must be an identifier`);
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isHttpUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
