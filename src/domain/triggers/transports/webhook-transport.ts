import { lambdaErrorMessage, parseJson, type Invocation, type InvocationOutcome, type Transport } from './transport.js';
import { signWebhook } from './webhook-signature.js';

/**
 * POSTs the event as JSON, signed the Standard Webhooks way. A 2xx JSON answer is the returned
 * event. A non-2xx answer whose body is Lambda's error document (`{"errorMessage": "…"}`) is the
 * handler refusing (as a thrown error); any other failure means the function could not be reached.
 * Redirects are not followed: the configured URL is the only place events go.
 */
export class WebhookTransport implements Transport {
  constructor(private readonly now: () => Date) {}

  async invoke(invocation: Invocation): Promise<InvocationOutcome> {
    const { fn, payload } = invocation;
    if (fn.definition.transport !== 'webhook' || !fn.secret) throw new Error('not a webhook function');
    const timestamp = Math.floor(this.now().getTime() / 1000);
    const id = `msg_${invocation.requestId}`;
    let response: Response;
    try {
      response = await fetch(fn.definition.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(invocation.timeoutMs),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Frontdesk-Triggers/1',
          'webhook-id': id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signWebhook(fn.secret, id, timestamp, payload),
        },
        body: payload,
      });
    } catch (error) {
      return { kind: 'unreachable', reason: describeFetchError(error), retryable: true };
    }
    let text: string | undefined;
    try {
      text = await readCapped(response, invocation.maxResponseBytes);
    } catch (error) {
      return { kind: 'unreachable', reason: describeFetchError(error), retryable: true };
    }
    if (text === undefined) return { kind: 'malformed', reason: 'the answer is larger than the response size limit' };
    const parsed = parseJson(text);
    if (response.status >= 200 && response.status < 300) {
      return parsed ? { kind: 'returned', value: parsed.value } : { kind: 'malformed', reason: 'the answer is not JSON' };
    }
    const message = parsed ? lambdaErrorMessage(parsed.value) : undefined;
    if (message !== undefined) return { kind: 'handlerError', message };
    return { kind: 'unreachable', reason: `HTTP ${response.status} from the webhook`, retryable: [502, 503, 504].includes(response.status) };
  }
}

/** The body as text, or undefined once it grows past the limit (the rest is not read). */
async function readCapped(response: Response, limit: number): Promise<string | undefined> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function describeFetchError(error: unknown): string {
  const err = error as { name?: string; cause?: { code?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return 'Socket timeout while invoking Lambda function';
  if (err.cause?.code) return `${err.cause.code} while invoking Lambda function`;
  return 'Connection failure while invoking Lambda function';
}
