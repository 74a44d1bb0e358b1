import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { UserImportService, UploadResult } from '../../domain/user-import/user-import-service.js';
import { UPLOAD_PATH_PREFIX } from '../../domain/user-import/upload-url.js';

// The PreSignedUrl of CreateUserImportJob: `PUT <publicUrl>/user-import/<pool>/<job>?X-Frontdesk-…`
// with the CSV as the body, as Cognito's guide has curl send it to S3
// (`curl -T users.csv -H "x-amz-server-side-encryption:aws:kms" "$PRE_SIGNED_URL"`). Answers
// are S3's: 200 with an empty body, or an XML <Error> with S3's codes. The body is streamed to the
// database in chunks, never held whole, and is refused past 100 MB (Cognito's limit).

/** What S3 accepts for x-amz-server-side-encryption; Frontdesk accepts and ignores it. */
const SSE_VALUES = new Set(['aws:kms', 'AES256', 'aws:kms:dsse']);

export async function userImportUploadPlugin(app: FastifyInstance, options: { userImports: UserImportService }): Promise<void> {
  const upload = async (request: FastifyRequest, reply: FastifyReply) => {
    const { poolId, jobId } = request.params as { poolId: string; jobId: string };
    const query = request.query as Record<string, unknown>;
    const sse = request.headers['x-amz-server-side-encryption'];
    if (sse !== undefined && (typeof sse !== 'string' || !SSE_VALUES.has(sse))) {
      return s3Error(reply, 400, 'InvalidArgument', 'The encryption method specified is not supported');
    }
    const length = request.headers['content-length'];
    const declared = length === undefined ? undefined : Number(length);
    let result: UploadResult;
    try {
      result = await options.userImports.upload(
        poolId,
        jobId,
        { expires: query['X-Frontdesk-Expires'], signature: query['X-Frontdesk-Signature'] },
        request.raw,
        Number.isFinite(declared) ? declared : undefined,
      );
    } catch (error) {
      request.log.error({ err: error }, 'user import upload failed');
      return s3Error(reply, 500, 'InternalError', 'We encountered an internal error. Please try again.');
    }
    switch (result.kind) {
      case 'ok':
        return reply.status(200).header('content-length', '0').send();
      case 'invalid':
        return s3Error(reply, 403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
      case 'expired':
        return s3Error(reply, 403, 'AccessDenied', 'Request has expired');
      case 'closed':
        return s3Error(reply, 403, 'AccessDenied', 'The user import job no longer accepts a CSV file.');
      case 'tooLarge':
        return s3Error(reply, 400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size (100 MB).');
    }
  };

  // The body is read in onRequest, before any content-type parser could buffer it.
  app.route({
    method: 'PUT',
    url: `${UPLOAD_PATH_PREFIX}/:poolId/:jobId`,
    onRequest: async (request, reply) => {
      await upload(request, reply);
      return reply;
    },
    handler: async (_request, reply) => reply,
  });
}

function s3Error(reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  // The rest of a refused body is not read: close the connection rather than drain it.
  return reply
    .status(status)
    .header('content-type', 'application/xml')
    .header('connection', 'close')
    .send(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`);
}
