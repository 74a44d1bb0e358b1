import type { FastifyReply } from 'fastify';
import { OAuthError } from '../../domain/oauth/oauth-error.js';

/** A direct OAuth answer (RFC 6749 §5.2): JSON, never cached. */
export function sendOAuthError(reply: FastifyReply, error: OAuthError): FastifyReply {
  if (error.status === 401) {
    reply.header('www-authenticate', error.error === 'invalid_token' ? `Bearer error="invalid_token"` : 'Basic realm="frontdesk"');
  }
  return reply
    .status(error.status)
    .header('cache-control', 'no-store')
    .header('pragma', 'no-cache')
    .send({ error: error.error, error_description: error.description });
}

export const noStoreJson = (reply: FastifyReply, body: unknown): FastifyReply =>
  reply.header('cache-control', 'no-store').header('pragma', 'no-cache').send(body);

export { OAuthError };
