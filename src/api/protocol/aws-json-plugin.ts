import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { operationModels } from '../../generated/operation-models.js';
import { idpShapes } from '../../generated/idp-shapes.js';
import { identityShapes } from '../../generated/identity-shapes.js';
import { adminOperations, identityOperations, idpOperations } from '../registry.js';
import { adminOperationModels, adminShapes } from '../frontdesk-admin/admin-models.js';
import type { OperationDescriptor, OperationContext } from '../operation.js';
import type { ServiceKey, ShapeTable } from './shape-types.js';
import { validateInput } from './input-validator.js';
import { withShapeOverrides } from './shape-overrides.js';
import { verifySigV4, type SecretLookup } from './sigv4-verifier.js';
import { sendError } from './error-envelope.js';
import { NotImplementedException, SerializationException, UnknownOperationException, UnsupportedMediaTypeException } from '../errors/protocol-errors.js';
import type { Services } from '../../domain/services.js';
import type { Clock } from '../../domain/clock.js';

export const AWS_JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';
const ACCEPTED_CONTENT_TYPES = new Set([AWS_JSON_CONTENT_TYPE, 'application/x-amz-json-1.0', 'application/json']);

const shapesOf: Record<ServiceKey, ShapeTable> = { idp: withShapeOverrides(idpShapes), identity: identityShapes, admin: adminShapes };
const registryOf: Record<ServiceKey, Record<string, OperationDescriptor | { notImplemented: true }>> = {
  idp: idpOperations,
  identity: identityOperations,
  admin: adminOperations,
};
// A Map, so that a target such as `constructor` cannot reach Object.prototype.
const allOperationModels = new Map(Object.entries({ ...operationModels, ...adminOperationModels }));

export interface AwsJsonOptions {
  services: Services;
  clock: Clock;
  lookupSecret: SecretLookup;
  bodyLimit: number;
}

/** Serialises dates as epoch seconds with fractional milliseconds, as the AWS JSON protocol does. */
function toWireJson(output: unknown): string {
  return JSON.stringify(output ?? {}, function (this: Record<string, unknown>, key, value) {
    const raw = this[key];
    return raw instanceof Date ? raw.getTime() / 1000 : value;
  });
}

/**
 * The AWS JSON 1.1 front door: POST on any path, operation named by X-Amz-Target. It authenticates
 * (SigV4 where the model requires it), validates the input against the model, calls the one
 * descriptor, and writes either the output or Cognito's error envelope.
 */
export async function awsJsonPlugin(app: FastifyInstance, options: AwsJsonOptions): Promise<void> {
  // Every body is read as text: SigV4 hashes the exact bytes, and a wrong content type must get
  // an AWS-shaped error rather than the framework's.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: options.bodyLimit }, (_req, body, done) => done(null, body));

  const handle = async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      const output = await dispatch(request, options);
      // A Buffer, so the framework does not append "; charset=utf-8" to AWS's content type.
      reply.header('content-type', AWS_JSON_CONTENT_TYPE).send(Buffer.from(toWireJson(output), 'utf8'));
    } catch (error) {
      sendError(reply, error, request);
    }
  };
  // Failures before the handler runs (body too large, unreadable body) get the same envelope.
  app.setErrorHandler((error, request, reply) => sendError(reply, error, request));
  app.post('/', handle);
  app.post('/*', handle);
}

async function dispatch(request: FastifyRequest, options: AwsJsonOptions): Promise<unknown> {
  const target = request.headers['x-amz-target'];
  const model = typeof target === 'string' ? allOperationModels.get(target) : undefined;
  if (!model) throw new UnknownOperationException(typeof target === 'string' ? `Unknown operation ${target}` : 'Missing X-Amz-Target header');

  const contentType = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (!ACCEPTED_CONTENT_TYPES.has(contentType)) {
    throw new UnsupportedMediaTypeException(`Unsupported content type '${contentType}'; use ${AWS_JSON_CONTENT_TYPE}`);
  }
  const rawBody = typeof request.body === 'string' ? request.body : '';

  const context: OperationContext = {
    requestId: request.id,
    services: options.services,
    sourceIp: request.ip,
    log: request.log,
  };
  if (model.auth === 'sigv4') {
    const caller = await verifySigV4(
      { method: request.method, url: request.url, headers: request.headers, body: rawBody },
      model.signingName,
      options.lookupSecret,
      options.clock.now(),
    );
    context.accessKeyId = caller.accessKeyId;
  }

  let parsed: unknown;
  try {
    parsed = rawBody.trim() === '' ? {} : JSON.parse(rawBody);
  } catch {
    throw new SerializationException('The request body is not valid JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new SerializationException('The request body must be a JSON object');
  }

  const input = model.input ? validateInput(shapesOf[model.service], model.input, parsed) : {};
  const descriptor = registryOf[model.service][model.name];
  if (!descriptor || 'notImplemented' in descriptor) {
    throw new NotImplementedException(`Frontdesk does not implement ${model.name} yet`);
  }
  request.log.debug({ operation: model.name }, 'operation');
  return descriptor.handler(input, context);
}
