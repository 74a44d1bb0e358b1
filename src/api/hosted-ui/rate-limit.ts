import type { FastifyReply } from 'fastify';
import type { AuthorizationRequest } from '../../domain/oauth/authorization-request.js';
import type { HostedAction } from '../../domain/oauth/hosted-rate-limits.js';
import type { Services } from '../../domain/services.js';
import { frameOf, linkTo, sendPage, type HostedContext } from './hosted-context.js';
import { rateLimitedPage } from './pages.js';

/**
 * Counts a hosted-page attempt against the limits of its pool (client address and user name);
 * over a limit, answers 429 with Retry-After and a page saying to wait, and returns that reply.
 */
export async function refuseIfRateLimited(
  services: Services,
  context: HostedContext,
  request: AuthorizationRequest,
  action: HostedAction,
  name: string | undefined,
): Promise<FastifyReply | undefined> {
  const decision = await services.oauth.rateLimits.attempt(request.pool.id, action, context.request.ip, name);
  if (decision.allowed) return undefined;
  context.reply.header('retry-after', String(decision.retryAfterSeconds));
  return sendPage(context, 429, rateLimitedPage(frameOf(context), linkTo(context, `${context.base}/login`)), [request.redirectUri]);
}
