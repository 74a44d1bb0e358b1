import { spawn } from 'node:child_process';
import { isAbsolute, resolve } from 'node:path';
import { lambdaErrorMessage, parseJson, type Invocation, type InvocationOutcome, type Transport } from './transport.js';
import { NODE_BOOTSTRAP, PYTHON_BOOTSTRAP } from './bootstraps.js';
import { functionNameOf, type CommandRuntime } from '../trigger-function.js';

/** How each runtime is started around its bootstrap. */
const RUNTIMES: Record<CommandRuntime, { command: () => string; args: string[] }> = {
  nodejs: { command: () => process.execPath, args: ['--input-type=module', '-e', NODE_BOOTSTRAP] },
  python: { command: () => 'python3', args: ['-c', PYTHON_BOOTSTRAP] },
};

/** Largest stderr kept for the log, per invocation. */
const STDERR_LIMIT = 16 * 1024;

/**
 * Runs an unmodified Lambda handler file in its own runtime, one process per invocation: the event
 * on stdin, the returned event on stdout (see bootstraps.ts). The process gets a clean environment
 * (PATH, LANG, Lambda's AWS_* variables and the function's own variables, never Frontdesk's
 * secrets) and is killed at the deadline.
 */
export class CommandTransport implements Transport {
  constructor(private readonly log?: { debug(obj: object, msg: string): void }) {}

  invoke(invocation: Invocation): Promise<InvocationOutcome> {
    const { fn } = invocation;
    if (fn.definition.transport !== 'command') throw new Error('not a command function');
    const { runtime, file, handler, environment } = fn.definition;
    const deadline = Date.now() + invocation.timeoutMs;
    const name = functionNameOf(fn.arn);
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
      LANG: 'C.UTF-8',
      TZ: ':UTC',
      PYTHONDONTWRITEBYTECODE: '1',
      PYTHONIOENCODING: 'utf-8',
      AWS_REGION: invocation.region,
      AWS_DEFAULT_REGION: invocation.region,
      AWS_LAMBDA_FUNCTION_NAME: name,
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
      AWS_EXECUTION_ENV: runtime === 'python' ? 'AWS_Lambda_python3' : 'AWS_Lambda_nodejs',
      ...environment,
      FRONTDESK_HANDLER_FILE: isAbsolute(file) ? file : resolve(file),
      FRONTDESK_HANDLER_NAME: handler,
      FRONTDESK_DEADLINE_MS: String(deadline),
      FRONTDESK_REQUEST_ID: invocation.requestId,
      FRONTDESK_FUNCTION_ARN: fn.arn,
    };
    const { command, args } = RUNTIMES[runtime];

    return new Promise((done) => {
      let settled = false;
      const settle = (outcome: InvocationOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        done(outcome);
      };
      const child = spawn(command(), args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        settle({ kind: 'unreachable', reason: 'Socket timeout while invoking Lambda function', retryable: false });
      }, invocation.timeoutMs);
      const out: Buffer[] = [];
      let outSize = 0;
      let tooLarge = false;
      let err = '';
      child.stdout.on('data', (chunk: Buffer) => {
        outSize += chunk.length;
        if (outSize > invocation.maxResponseBytes) {
          tooLarge = true;
          child.kill('SIGKILL');
        } else out.push(chunk);
      });
      child.stderr.on('data', (chunk: Buffer) => {
        if (err.length < STDERR_LIMIT) err += chunk.toString('utf8');
      });
      child.on('error', (error: NodeJS.ErrnoException) => {
        settle({ kind: 'unreachable', reason: `${error.code ?? 'Error'} while starting the ${runtime} runtime`, retryable: false });
      });
      child.stdin.on('error', () => undefined); // a handler that exits without reading its input
      child.stdin.end(invocation.payload);
      child.on('close', (code, signal) => {
        if (tooLarge) return settle({ kind: 'malformed', reason: 'the answer is larger than the response size limit' });
        if (err) this.log?.debug({ functionArn: fn.arn, stderr: err.slice(0, STDERR_LIMIT) }, 'trigger function output on stderr');
        const parsed = parseJson(Buffer.concat(out).toString('utf8'));
        if (code === 0) {
          return settle(parsed ? { kind: 'returned', value: parsed.value } : { kind: 'malformed', reason: 'the answer is not JSON' });
        }
        const message = parsed ? lambdaErrorMessage(parsed.value) : undefined;
        settle({ kind: 'handlerError', message: message ?? `Runtime exited with error: ${signal ? `signal: ${signal}` : `exit status ${code}`}` });
      });
    });
  }
}
