import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { InvalidClientError, type TokenIntrospection } from '../../domain/tokens/introspection.js';
import { basicCredentials } from './client-credentials.js';

// POST /oauth2/introspect — RFC 7662 token introspection, a Frontdesk extension (Cognito has none).
// Form-encoded `token` (and an ignored `token_type_hint`); the caller authenticates as a confidential
// app client of the token's pool with HTTP Basic (client_id:client_secret) or `client_id` and
// `client_secret` in the body. Answers `{"active": false}` or the token's claims.

export interface IntrospectionOptions {
  introspection: TokenIntrospection;
  bodyLimit: number;
}

const oauthError = (reply: FastifyReply, status: number, error: string, description: string) =>
  reply.status(status).header('cache-control', 'no-store').send({ error, error_description: description });

export async function introspectionPlugin(app: FastifyInstance, options: IntrospectionOptions): Promise<void> {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: options.bodyLimit }, (_req, body, done) =>
    done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );
  app.setErrorHandler((error, request, reply) => {
    const status = (error as { statusCode?: number }).statusCode;
    if (status && status < 500) return oauthError(reply, status, 'invalid_request', 'The request could not be read.');
    request.log.error({ err: error }, 'introspection failed');
    return oauthError(reply, 500, 'server_error', 'Internal error');
  });

  const introspect = async (request: FastifyRequest, reply: FastifyReply) => {
    const form = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Record<string, string>;
    if (!/^application\/x-www-form-urlencoded/i.test(request.headers['content-type'] ?? '')) {
      return oauthError(reply, 400, 'invalid_request', 'Use application/x-www-form-urlencoded.');
    }
    const credentials =
      basicCredentials(request.headers.authorization) ??
      (form.client_id && form.client_secret ? { clientId: form.client_id, clientSecret: form.client_secret } : undefined);
    if (!credentials) {
      reply.header('www-authenticate', 'Basic realm="frontdesk"');
      return oauthError(reply, 401, 'invalid_client', 'Client authentication is required.');
    }
    if (!form.token) return oauthError(reply, 400, 'invalid_request', 'The token parameter is required.');
    try {
      const result = await options.introspection.introspect(credentials, form.token);
      return reply.header('cache-control', 'no-store').send(result);
    } catch (error) {
      if (!(error instanceof InvalidClientError)) throw error;
      reply.header('www-authenticate', 'Basic realm="frontdesk"');
      return oauthError(reply, 401, 'invalid_client', 'Client authentication failed.');
    }
  };
  app.post('/oauth2/introspect', introspect);
  // Also under the issuer path, where the discovery document lists it (the token's pool decides).
  app.post('/:poolId/oauth2/introspect', introspect);
}
