import type { TriggerFunction } from '../trigger-function.js';

/** One invocation as a transport sees it. */
export interface Invocation {
  fn: TriggerFunction;
  /** The event, already serialised: every transport hands the handler its own copy. */
  payload: string;
  /** Lambda's awsRequestId; the webhook id, so a retried delivery keeps its idempotency key. */
  requestId: string;
  region: string;
  timeoutMs: number;
  /** Largest answer accepted, in bytes. */
  maxResponseBytes: number;
}

/**
 * What came back, before any trigger-specific check. The invoker maps each kind to Cognito's
 * exception: `handlerError` → UserLambdaValidationException, `unreachable` →
 * UnexpectedLambdaException, `malformed` → InvalidLambdaResponseException.
 */
export type InvocationOutcome =
  | { kind: 'returned'; value: unknown }
  | { kind: 'handlerError'; message: string }
  | { kind: 'unreachable'; reason: string; retryable: boolean }
  | { kind: 'malformed'; reason: string };

export interface Transport {
  invoke(invocation: Invocation): Promise<InvocationOutcome>;
}

/** Lambda's function-error document (`{"errorMessage", "errorType"}`), as runtimes print it. */
export function lambdaErrorMessage(value: unknown): string | undefined {
  if (value && typeof value === 'object' && typeof (value as { errorMessage?: unknown }).errorMessage === 'string') {
    return (value as { errorMessage: string }).errorMessage;
  }
  return undefined;
}

/** Parses a JSON answer; undefined when it is not JSON. */
export function parseJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}
