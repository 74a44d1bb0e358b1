/**
 * A function of the trigger registry: what runs when a pool's LambdaConfig names its ARN.
 *
 * - `webhook`: the event is POSTed as JSON, signed the Standard Webhooks way with `secret`; the JSON
 *   answer is the returned event.
 * - `module`: an ES module (or CommonJS file) on this server exporting `handler(event, context)`,
 *   loaded once into the Frontdesk process.
 * - `command`: a Lambda handler file run unmodified in its own runtime (Node.js or Python) through a
 *   small bootstrap: the event on stdin, the returned event on stdout.
 * - `lambda`: the AWS Lambda Invoke API (AWS itself, or any compatible endpoint such as
 *   LocalStack), signed with SigV4 with the function's own access key.
 */
export type TriggerFunctionDefinition =
  | { transport: 'webhook'; url: string }
  | { transport: 'module'; path: string; handler: string }
  | {
      transport: 'command';
      runtime: CommandRuntime;
      file: string;
      handler: string;
      /** Environment of the process (nothing of Frontdesk's own environment is passed on). */
      environment: Record<string, string>;
    }
  | { transport: 'lambda'; endpoint: string; functionName: string };

export type CommandRuntime = 'nodejs' | 'python';
export const COMMAND_RUNTIMES: readonly CommandRuntime[] = ['nodejs', 'python'];

export interface TriggerFunction {
  arn: string;
  definition: TriggerFunctionDefinition;
  /** Per-function deadline; default the server's trigger timeout (Cognito: 5 s). */
  timeoutMs?: number;
  /** Webhooks only: the signing secret, `whsec_<base64>` as Standard Webhooks writes it. */
  secret?: string;
  /** Lambda Invoke only: the access key requests are signed with. */
  credentials?: LambdaCredentials;
  /** `config` functions come from the config file and cannot be changed through the API. */
  source: 'config' | 'api';
  createdAt: Date;
  updatedAt: Date;
}

/**
 * Cognito's pattern for a function ARN in LambdaConfig (ArnType); in practice
 * `arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]`.
 */
export const FUNCTION_ARN_PATTERN = /^arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?$/;

export interface LambdaCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** The region of a function ARN (`arn:aws:lambda:<region>:…`), if it names one. */
export function regionOfArn(arn: string): string | undefined {
  return arn.split(':')[3] || undefined;
}

/** AWS's Lambda endpoint for the ARN's region (or the given one). */
export function defaultLambdaEndpoint(arn: string, fallbackRegion: string): string {
  return `https://lambda.${regionOfArn(arn) ?? fallbackRegion}.amazonaws.com`;
}

/** The function name of an ARN (`…:function:<name>[:qualifier]`), for the Lambda context object. */
export function functionNameOf(arn: string): string {
  const parts = arn.split(':');
  const at = parts.indexOf('function');
  return at >= 0 && parts[at + 1] ? parts[at + 1]! : parts[parts.length - 1]!;
}
