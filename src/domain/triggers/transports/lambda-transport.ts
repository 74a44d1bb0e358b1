import { SignatureV4 } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';
import { Hash } from '@smithy/hash-node';
import { regionOfArn } from '../trigger-function.js';
import { lambdaErrorMessage, parseJson, type Invocation, type InvocationOutcome, type Transport } from './transport.js';

/**
 * The AWS Lambda Invoke API (`POST /2015-03-31/functions/<name>/invocations`, RequestResponse),
 * signed with SigV4 (service `lambda`, the ARN's region) using the function's own access key: for
 * functions that really are on AWS Lambda, or on a compatible endpoint (LocalStack). A function
 * error (`X-Amz-Function-Error`) is the handler refusing; a Lambda service error
 * (AccessDeniedException, ResourceNotFoundException, TooManyRequestsException …) is reported by
 * name, as Cognito does ("… invocation failed due to error AccessDeniedException.").
 */
export class LambdaTransport implements Transport {
  async invoke(invocation: Invocation): Promise<InvocationOutcome> {
    const { fn, payload } = invocation;
    if (fn.definition.transport !== 'lambda' || !fn.credentials) throw new Error('not a Lambda function');
    const url = new URL(
      `${fn.definition.endpoint.replace(/\/+$/, '')}/2015-03-31/functions/${encodeURIComponent(fn.definition.functionName)}/invocations`,
    );
    const signer = new SignatureV4({
      service: 'lambda',
      region: regionOfArn(fn.arn) ?? invocation.region,
      credentials: fn.credentials,
      sha256: Hash.bind(null, 'sha256'),
    });
    const signed = await signer.sign(
      new HttpRequest({
        method: 'POST',
        protocol: url.protocol,
        hostname: url.hostname,
        ...(url.port ? { port: Number(url.port) } : {}),
        path: url.pathname,
        headers: {
          host: url.host,
          'content-type': 'application/json',
          'x-amz-invocation-type': 'RequestResponse',
          'x-amz-log-type': 'None',
        },
        body: payload,
      }),
    );
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(invocation.timeoutMs),
        headers: signed.headers as Record<string, string>,
        body: payload,
      });
      text = await response.text();
    } catch (error) {
      const err = error as { name?: string; cause?: { code?: string } };
      const reason =
        err.name === 'TimeoutError' || err.name === 'AbortError'
          ? 'Socket timeout while invoking Lambda function'
          : `${err.cause?.code ?? 'Connection failure'} while invoking Lambda function`;
      return { kind: 'unreachable', reason, retryable: true };
    }
    if (Buffer.byteLength(text) > invocation.maxResponseBytes) return { kind: 'malformed', reason: 'the answer is larger than the response size limit' };
    const parsed = parseJson(text);
    if (response.status === 200) {
      if (response.headers.get('x-amz-function-error')) {
        const message = parsed ? lambdaErrorMessage(parsed.value) : undefined;
        return { kind: 'handlerError', message: message ?? (text || 'Unhandled') };
      }
      return parsed ? { kind: 'returned', value: parsed.value } : { kind: 'malformed', reason: 'the answer is not JSON' };
    }
    // Lambda's own errors name themselves in x-amzn-ErrorType (or the body's Type / __type).
    const body = parsed?.value as { Type?: unknown; __type?: unknown } | undefined;
    const type = response.headers.get('x-amzn-errortype')?.split(':')[0] ?? (typeof body?.__type === 'string' ? body.__type : undefined);
    return {
      kind: 'unreachable',
      reason: type ?? `HTTP ${response.status} from the Lambda endpoint`,
      retryable: response.status === 429 || response.status >= 500,
    };
  }
}
