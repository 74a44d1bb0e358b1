import type { FastifyBaseLogger } from 'fastify';
import type { ServiceKey } from './protocol/shape-types.js';
import type { Services } from '../domain/services.js';

export interface OperationContext {
  requestId: string;
  services: Services;
  /** The access key that signed the request (SigV4 operations only). */
  accessKeyId?: string;
  sourceIp: string;
  log: FastifyBaseLogger;
}

/**
 * One Cognito operation. `auth` says how the caller proves who it is: `sigv4` (admin credentials),
 * `none` (public: SignUp, InitiateAuth…) or `accessToken` (a user's access token in the input).
 * Input arrives already validated against the model shape.
 */
export interface OperationDescriptor<Input = any, Output = any> {
  name: string;
  service: ServiceKey;
  auth: 'sigv4' | 'none' | 'accessToken';
  handler(input: Input, context: OperationContext): Promise<Output>;
}

/** Placeholder for an operation of the models that Frontdesk does not implement yet (→ 501). */
export const notImplemented = { notImplemented: true } as const;
export type NotImplemented = typeof notImplemented;

export function defineOperation<Input, Output>(
  descriptor: OperationDescriptor<Input, Output>,
): OperationDescriptor<Input, Output> {
  return descriptor;
}
