import { randomUUID } from 'node:crypto';
import {
  InvalidLambdaResponseException,
  UnexpectedLambdaException,
  UserLambdaValidationException,
} from '../../generated/exceptions.js';
import type { Clock } from '../clock.js';
import type { FunctionRegistry } from './function-registry.js';
import type { TriggerFunction } from './trigger-function.js';
import { CommandTransport } from './transports/command-transport.js';
import { ModuleTransport } from './transports/module-transport.js';
import type { InvocationOutcome, Transport } from './transports/transport.js';
import { WebhookTransport } from './transports/webhook-transport.js';
import { LambdaTransport } from './transports/lambda-transport.js';

/** Largest answer a function may give (Lambda's synchronous payload limit is 6 MB; events are small). */
export const MAX_RESPONSE_BYTES = 1024 * 1024;
/** Cognito tries a function up to three times when the call fails in a way that can be retried. */
export const MAX_ATTEMPTS = 3;
const RETRY_DELAY_MS = 100;

export interface TriggerLog {
  debug(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/**
 * Calls the function behind an ARN and maps every failure to Cognito's exception, worded as
 * Cognito words it:
 * - the function throws / reports an error → UserLambdaValidationException
 *   "<Trigger> failed with error <message>."
 * - no such function, unreachable, timed out → UnexpectedLambdaException
 *   "<Trigger> invocation failed due to error <reason>."
 * - an answer that is not JSON or too large → InvalidLambdaResponseException
 *   "Unrecognizable lambda output" (the trigger modules use the same for wrong shapes).
 * Webhooks are retried (same webhook-id, so receivers can deduplicate) on connection failures,
 * timeouts and 502/503/504, Lambda Invoke calls on connection failures, timeouts, throttling and
 * 5xx, up to three attempts in all.
 */
export class TriggerInvoker {
  private readonly transports: Record<TriggerFunction['definition']['transport'], Transport>;

  constructor(
    private readonly deps: {
      registry: FunctionRegistry;
      clock: Clock;
      region: string;
      timeoutMs: number;
      log?: TriggerLog;
    },
  ) {
    this.transports = {
      webhook: new WebhookTransport(() => deps.clock.now()),
      module: new ModuleTransport(deps.log),
      command: new CommandTransport(deps.log),
      lambda: new LambdaTransport(),
    };
  }

  /** Runs the function with the event; answers with what it returned (not yet checked for shape). */
  async invoke(trigger: string, arn: string, event: object): Promise<unknown> {
    const fn = await this.deps.registry.resolve(arn);
    if (!fn) throw new UnexpectedLambdaException(`${trigger} invocation failed due to error ResourceNotFoundException.`);
    const requestId = randomUUID();
    const payload = JSON.stringify(event);
    const transport = this.transports[fn.definition.transport];
    const started = Date.now();
    let outcome: InvocationOutcome;
    for (let attempt = 1; ; attempt++) {
      outcome = await transport.invoke({
        fn,
        payload,
        requestId,
        region: this.deps.region,
        timeoutMs: fn.timeoutMs ?? this.deps.timeoutMs,
        maxResponseBytes: MAX_RESPONSE_BYTES,
      });
      const remote = fn.definition.transport === 'webhook' || fn.definition.transport === 'lambda';
      const retry = outcome.kind === 'unreachable' && outcome.retryable && remote && attempt < MAX_ATTEMPTS;
      if (!retry) break;
      await new Promise((done) => setTimeout(done, RETRY_DELAY_MS * attempt));
    }
    // Never the event or the answer: they hold attributes, codes and (UserMigration) passwords.
    const summary = { trigger, functionArn: arn, transport: fn.definition.transport, outcome: outcome.kind, durationMs: Date.now() - started };
    if (outcome.kind === 'returned') this.deps.log?.debug(summary, 'trigger invoked');
    else this.deps.log?.warn({ ...summary, ...(outcome.kind !== 'handlerError' ? { reason: outcome.reason } : {}) }, 'trigger failed');
    switch (outcome.kind) {
      case 'returned':
        return outcome.value;
      case 'handlerError':
        throw new UserLambdaValidationException(`${trigger} failed with error ${outcome.message}.`);
      case 'unreachable':
        throw new UnexpectedLambdaException(`${trigger} invocation failed due to error ${outcome.reason}.`);
      case 'malformed':
        throw new InvalidLambdaResponseException('Unrecognizable lambda output');
    }
  }
}
