import type { FastifyInstance } from 'fastify';
import { RedirectableError, UntrustedRequestError, type AuthorizationRequest } from '../../domain/oauth/authorization-request.js';
import { frameOf, linkTo, redirect, sendPage, sessionCookieName, type HostedContext, type HostedOptions } from './hosted-context.js';
import { errorPage, loginPage, type FormPage } from './pages.js';
import { parseCookies, type CsrfTokens } from './security.js';

/** What every hosted page does with the authorization request it continues. */
export function createHostedFlow(options: HostedOptions, csrf: CsrfTokens) {
  const authorization = options.services.oauth.authorization;

  /** The checked authorization request, or the page/redirect that answers a bad one (already sent). */
  const checkedRequest = async (context: HostedContext): Promise<AuthorizationRequest | undefined> => {
    let request: AuthorizationRequest;
    if (context.duplicate !== undefined) {
      sendPage(context, 400, errorPage(frameOf(context), `The ${context.duplicate} parameter was given more than once.`));
      return undefined;
    }
    try {
      request = await authorization.check(context.query, context.poolId);
    } catch (error) {
      if (error instanceof UntrustedRequestError) {
        sendPage(context, 400, errorPage(frameOf(context), error.message));
        return undefined;
      }
      if (error instanceof RedirectableError) {
        redirect(context.reply, authorization.errorRedirect(error));
        return undefined;
      }
      throw error;
    }
    // Every page of the request is drawn with the client's (or the pool's) customization.
    context.branding = await options.services.uiCustomization.brandingFor(request.pool.id, request.client.id);
    return request;
  };

  const signedIn = (context: HostedContext, request: AuthorizationRequest) =>
    authorization.sessions.find(request.pool, parseCookies(context.request.headers.cookie)[sessionCookieName(request.pool.id)]);

  const formPage = (context: HostedContext, error?: string, page = 'login'): FormPage => ({
    frame: frameOf(context),
    action: linkTo(context, `${context.base}/${page}`),
    csrf: csrf.tokenFor(context.request, context.reply, context.secure),
    ...(error !== undefined ? { error } : {}),
    links: {
      login: linkTo(context, `${context.base}/login`),
      signup: linkTo(context, `${context.base}/signup`),
      forgotPassword: linkTo(context, `${context.base}/forgotPassword`),
    },
  });

  const showLogin = (context: HostedContext, request: AuthorizationRequest, status = 200, error?: string, username?: string, notice?: string) =>
    sendPage(
      context,
      status,
      loginPage({
        ...formPage(context, error),
        ...(username !== undefined ? { username } : {}),
        ...(notice !== undefined ? { notice } : {}),
        allowSignUp: !request.pool.settings.AdminCreateUserConfig?.AllowAdminCreateUserOnly,
      }),
      [request.redirectUri],
    );

  return { checkedRequest, signedIn, formPage, showLogin };
}

/** Serves the logo of a pool's or client's UI customization. */
export function registerLogoRoute(app: FastifyInstance, options: HostedOptions): void {
  app.get<{ Params: { poolId: string; clientKey: string } }>('/:poolId/hosted-ui/logo/:clientKey', async (request, reply) => {
    const logo = await options.services.uiCustomization.logo(request.params.poolId, request.params.clientKey).catch(() => undefined);
    if (!logo) return reply.status(404).header('cache-control', 'no-store').send({ error: 'not_found' });
    return reply
      .header('content-type', logo.contentType)
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'")
      .header('cache-control', 'public, max-age=86400')
      .send(logo.data);
  });
}
