import type { FastifyInstance, FastifyReply } from 'fastify';
import { InvalidClientError, type TokenIntrospection } from '../../domain/tokens/introspection.js';

// POST /oauth2/introspect — RFC 7662 token introspection, a Frontdesk extension (Cognito has none).
// Form-encoded `token` (and an ignored `token_type_hint`); the caller authenticates as a confidential
// app client of the token's pool with HTTP Basic (client_id:client_secret) or `client_id` and
// `client_secret` in the body. Answers `{"active": false}` or the token's claims.

export interface IntrospectionOptions {
  introspection: TokenIntrospection;
  bodyLimit: number;
}

function basicCredentials(header: string | undefined): { clientId: string; clientSecret: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  // RFC 6749 §2.3.1: both parts are form-urlencoded inside the header.
  const unescape = (value: string) => decodeURIComponent(value.replace(/\+/g, ' '));
  try {
    return { clientId: unescape(decoded.slice(0, colon)), clientSecret: unescape(decoded.slice(colon + 1)) };
  } catch {
    return undefined;
  }
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

  app.post('/oauth2/introspect', async (request, reply) => {
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
  });
}
