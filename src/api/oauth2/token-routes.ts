import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../domain/services.js';
import { OAuthError } from '../../domain/oauth/oauth-error.js';
import { presentedClient } from './client-credentials.js';
import { endpointPool } from './endpoint-pool.js';
import { formOf } from './form-body.js';
import { noStoreJson, sendOAuthError } from './oauth-reply.js';

// /oauth2/token, /oauth2/userInfo and /oauth2/revoke, at the server's root, under the issuer path
// (/<poolId>/oauth2/...) and on the pools' domains. They are called by applications, not browsers:
// JSON answers with RFC 6749 error names.

export interface TokenRoutesOptions {
  services: Services;
  baseDomain: string;
}

const FORM = /^application\/x-www-form-urlencoded(?:\s*;|$)/i;

export function registerTokenRoutes(app: FastifyInstance, options: TokenRoutesOptions): void {
  const { services } = options;

  /** The pool constraint, or an answer already sent. */
  const poolOf = async (request: FastifyRequest): Promise<{ poolId?: string } | undefined> => {
    const pool = await endpointPool(request, services, options.baseDomain);
    return pool === 'missing' ? undefined : pool;
  };

  /** The form of a POST that must be form-encoded, with its client. */
  const readForm = (request: FastifyRequest) => {
    if (!FORM.test(request.headers['content-type'] ?? '')) throw new OAuthError('invalid_request', 'Use application/x-www-form-urlencoded.');
    const form = formOf(request);
    if (form.duplicate !== undefined) throw new OAuthError('invalid_request', `The ${form.duplicate} parameter was given more than once.`);
    const client = presentedClient(request.headers.authorization, form.fields);
    if (client === 'conflict') throw new OAuthError('invalid_request', 'Use one client authentication method.');
    return { fields: form.fields, client };
  };

  const guarded =
    (handler: (request: FastifyRequest, reply: FastifyReply, poolId: string | undefined) => Promise<unknown>) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      try {
        const pool = await poolOf(request);
        if (!pool) return reply.status(404).header('cache-control', 'no-store').send({ error: 'invalid_request', error_description: 'Not found.' });
        return await handler(request, reply, pool.poolId);
      } catch (error) {
        if (error instanceof OAuthError) return sendOAuthError(reply, error);
        throw error;
      }
    };

  const token = guarded(async (request, reply, poolId) => {
    const { fields, client } = readForm(request);
    return noStoreJson(reply, await services.oauth.tokenEndpoint.exchange(fields, client, poolId));
  });

  const revoke = guarded(async (request, reply, poolId) => {
    const { fields, client } = readForm(request);
    await services.oauth.revocation.revoke(fields, client, poolId);
    return noStoreJson(reply, {});
  });

  const userInfo = guarded(async (request, reply, poolId) => {
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    return noStoreJson(reply, await services.oauth.userInfo.claims(match?.[1], poolId));
  });

  for (const prefix of ['', '/:poolId']) {
    app.post(`${prefix}/oauth2/token`, token);
    app.post(`${prefix}/oauth2/revoke`, revoke);
    app.get(`${prefix}/oauth2/userInfo`, userInfo);
    app.post(`${prefix}/oauth2/userInfo`, userInfo);
  }
}
