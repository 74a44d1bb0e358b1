import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TokenService } from '../../domain/tokens/token-service.js';

// GET /<poolId>/.well-known/jwks.json and /<poolId>/.well-known/openid-configuration, as Cognito
// serves them at https://cognito-idp.<region>.amazonaws.com/<poolId>/.well-known/…
//
// DEVIATION: Cognito signs ID and access tokens with two different keys, so its JWKS has two
// members; Frontdesk signs both with the pool's one current key (plus retired keys still in use).

export interface WellKnownOptions {
  tokens: TokenService;
}

/** Cognito's pool id shape; anything else is answered without touching the database. */
const POOL_ID = /^[a-z]{2}(-[a-z]+)+-\d+_[0-9A-Za-z]+$/;

/**
 * Verifiers re-fetch the JWKS when they meet an unknown kid, so a short cache lifetime only bounds
 * how long a shared HTTP cache could hide a freshly rotated key. The discovery document changes
 * only with the public URL.
 */
const JWKS_CACHE = 'public, max-age=300';
const DISCOVERY_CACHE = 'public, max-age=3600';

export async function wellKnownPlugin(app: FastifyInstance, options: WellKnownOptions): Promise<void> {
  const { tokens } = options;

  // A failing database must not leak its message; Fastify's default handler would send it.
  app.setErrorHandler((error, request, reply) => {
    request.log.error({ err: error }, 'well-known endpoint failed');
    return reply.status(500).header('cache-control', 'no-store').send({ code: 'InternalErrorException', message: 'Internal error' });
  });

  const notFound = (reply: FastifyReply, poolId: string) =>
    reply
      .status(404)
      .header('cache-control', 'no-store')
      .send({ code: 'ResourceNotFoundException', message: `User pool ${poolId} does not exist.` });

  app.get<{ Params: { poolId: string } }>('/:poolId/.well-known/jwks.json', async (request, reply) => {
    const { poolId } = request.params;
    const jwks = POOL_ID.test(poolId) ? await tokens.jwks(poolId) : undefined;
    if (!jwks) return notFound(reply, poolId);
    return reply.header('cache-control', JWKS_CACHE).send(jwks);
  });

  app.get<{ Params: { poolId: string } }>('/:poolId/.well-known/openid-configuration', async (request, reply) => {
    const { poolId } = request.params;
    const document = POOL_ID.test(poolId) ? await tokens.openIdConfiguration(poolId) : undefined;
    if (!document) return notFound(reply, poolId);
    return reply.header('cache-control', DISCOVERY_CACHE).send(document);
  });
}
