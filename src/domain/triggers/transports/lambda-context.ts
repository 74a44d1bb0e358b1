import { functionNameOf, type TriggerFunction } from '../trigger-function.js';

/** What a Node.js Lambda handler receives as `context` (the members handlers actually read). */
export interface LambdaContext {
  callbackWaitsForEmptyEventLoop: boolean;
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
  getRemainingTimeInMillis(): number;
  done(error?: unknown, result?: unknown): void;
  fail(error: unknown): void;
  succeed(result: unknown): void;
}

/**
 * Calls a Lambda handler the ways Node.js Lambda supports: async (a returned promise), or the
 * older callback / context.done / context.succeed / context.fail styles. Whichever answers first
 * wins. A throw, a rejected promise or an error passed to the callback is the function's error.
 */
export function callLambdaHandler(
  handler: (event: unknown, context: LambdaContext, callback: (error?: unknown, result?: unknown) => void) => unknown,
  event: unknown,
  fn: TriggerFunction,
  requestId: string,
  deadline: number,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (error: unknown, result?: unknown) => {
      if (settled) return;
      settled = true;
      if (error !== undefined && error !== null) reject(error);
      else resolve(result);
    };
    const name = functionNameOf(fn.arn);
    const context: LambdaContext = {
      callbackWaitsForEmptyEventLoop: true,
      functionName: name,
      functionVersion: '$LATEST',
      invokedFunctionArn: fn.arn,
      memoryLimitInMB: '128',
      awsRequestId: requestId,
      logGroupName: `/aws/lambda/${name}`,
      logStreamName: 'frontdesk',
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      done: (error, result) => finish(error ?? null, result),
      fail: (error) => finish(error ?? new Error('handler failed')),
      succeed: (result) => finish(null, result),
    };
    try {
      const returned = handler(event, context, (error, result) => finish(error ?? null, result));
      if (returned && typeof (returned as PromiseLike<unknown>).then === 'function') {
        (returned as PromiseLike<unknown>).then(
          (value) => finish(null, value),
          (error: unknown) => finish(error ?? new Error('handler rejected')),
        );
      } else if (handler.length < 3 && returned !== undefined) {
        // A synchronous handler that returns its answer.
        finish(null, returned);
      }
    } catch (error) {
      finish(error ?? new Error('handler threw'));
    }
  });
}

/** The message Lambda reports for a function error: the Error's message, or the value as text. */
export function errorMessageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}
