import type { FastifyReply, FastifyRequest } from 'fastify';
import { CognitoError } from '../errors/cognito-error.js';
import { InternalErrorException } from '../../generated/exceptions.js';
import { RequestEntityTooLargeException, SerializationException } from '../errors/protocol-errors.js';

/**
 * The only writer of the wire error envelope: `{"__type", "message"}` plus `x-amzn-ErrorType`.
 * Anything that is not a CognitoError is logged with its cause and answered as
 * InternalErrorException, so no stack or internal detail ever reaches a client.
 */
export function sendError(reply: FastifyReply, error: unknown, request: FastifyRequest): void {
  const wire = toCognitoError(error);
  if (wire instanceof InternalErrorException) request.log.error({ err: error }, 'unhandled error');
  else request.log.info({ errorType: wire.name }, 'request refused');
  reply
    .status(wire.statusCode)
    .header('content-type', 'application/x-amz-json-1.1')
    .header('x-amzn-ErrorType', wire.name)
    .send(Buffer.from(JSON.stringify({ __type: wire.name, message: wire.message, ...wire.wireMembers() }), 'utf8'));
}

function toCognitoError(error: unknown): CognitoError {
  if (error instanceof CognitoError) return error;
  const code = (error as { code?: string } | undefined)?.code;
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new RequestEntityTooLargeException('Request body is too large');
  if (code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH' || code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
    return new SerializationException('The request body could not be read');
  }
  return new InternalErrorException('An internal error occurred.');
}
