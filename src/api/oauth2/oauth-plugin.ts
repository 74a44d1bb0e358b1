import type { FastifyInstance } from 'fastify';
import type { Services } from '../../domain/services.js';
import { addFormParser } from './form-body.js';
import { registerTokenRoutes } from './token-routes.js';
import { registerAuthorizeRoutes } from '../hosted-ui/authorize-routes.js';
import { registerAccountRoutes } from '../hosted-ui/account-routes.js';
import { registerAuthEventFeedbackRoutes } from '../hosted-ui/auth-event-feedback-routes.js';
import { registerConfirmUserRoutes } from '../hosted-ui/confirm-user-routes.js';
import { registerLogoRoute } from '../hosted-ui/hosted-flow.js';
import { CsrfTokens } from '../hosted-ui/security.js';
import { sendFailurePage } from '../hosted-ui/failure-page.js';
import type { SecretBox } from '../../crypto/secret-box.js';

// The OAuth 2.0 / OpenID Connect provider and the hosted UI, in one encapsulated scope with its
// own form parser and error handler (the AWS JSON API's catch-all POST routes are elsewhere).

export interface OAuthPluginOptions {
  services: Services;
  bodyLimit: number;
  /** Prefix domains are `<prefix>.<baseDomain>`. */
  baseDomain: string;
  /** Keys the hosted UI's CSRF tokens. */
  secrets: SecretBox;
  /** The server's public base URL; https means cookies are Secure. */
  publicUrl: () => string;
}

export async function oauthPlugin(app: FastifyInstance, options: OAuthPluginOptions): Promise<void> {
  addFormParser(app, options.bodyLimit);
  app.setErrorHandler((error, request, reply) => {
    const status = (error as { statusCode?: number }).statusCode;
    const clientError = status !== undefined && status >= 400 && status < 500;
    if (!clientError) request.log.error({ err: error }, 'OAuth endpoint failed');
    // Pages answer browsers with a page; the token, revocation and userInfo endpoints with JSON.
    if (!/\/oauth2\/(token|revoke|userInfo)$/.test(request.routeOptions.url ?? '')) {
      return sendFailurePage(reply, clientError ? status : 500);
    }
    return reply
      .status(clientError ? status : 500)
      .header('cache-control', 'no-store')
      .send(clientError ? { error: 'invalid_request', error_description: 'The request could not be read.' } : { error: 'server_error', error_description: 'Internal error' });
  });
  registerTokenRoutes(app, options);
  const hosted = { ...options, secureCookies: () => options.publicUrl().startsWith('https:') };
  const csrf = new CsrfTokens(options.secrets);
  registerAuthorizeRoutes(app, hosted, csrf);
  registerAccountRoutes(app, hosted, csrf);
  registerAuthEventFeedbackRoutes(app, hosted, csrf);
  registerConfirmUserRoutes(app, hosted, csrf);
  registerLogoRoute(app, hosted);
}
