import type { FastifyRequest } from 'fastify';
import type { Services } from '../../domain/services.js';

/** Cognito's pool id shape. */
export const POOL_ID = /^[a-z]{2}(-[a-z]+)+-\d+_[0-9A-Za-z]+$/;

/**
 * Which pool an OAuth endpoint or hosted page was called for:
 * - `/<poolId>/oauth2/...` (the issuer path, which discovery lists): that pool;
 * - a Host that is a pool's domain (`<prefix>.<base domain>` or a custom domain): the domain's pool;
 * - the server's own host: no pool (the client id decides).
 * `missing` when the request names a pool or prefix domain that does not exist.
 */
export async function endpointPool(
  request: FastifyRequest,
  services: Services,
  baseDomain: string,
): Promise<{ poolId?: string } | 'missing'> {
  const params = request.params as { poolId?: string } | undefined;
  if (params?.poolId !== undefined) {
    if (!POOL_ID.test(params.poolId)) return 'missing';
    const pool = await services.userPools.get(params.poolId).catch(() => undefined);
    return pool ? { poolId: pool.id } : 'missing';
  }
  const host = (request.headers.host ?? '').toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
  if (!host) return {};
  const underBase = host.endsWith(`.${baseDomain}`);
  const domain = await services.domains.forHost(host, baseDomain);
  if (domain) return { poolId: domain.userPoolId };
  return underBase ? 'missing' : {};
}
