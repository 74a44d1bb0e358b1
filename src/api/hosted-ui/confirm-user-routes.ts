import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CognitoError } from '../errors/cognito-error.js';
import { formOf } from '../oauth2/form-body.js';
import { secretHashFor } from '../../domain/oauth/hosted-accounts.js';
import { confirmUserDonePage, confirmUserErrorPage, confirmUserQuestionPage, confirmUserTexts, type ConfirmUserLink } from './confirm-user-page.js';
import { frameOf, hostedContext, sendPage, type HostedContext, type HostedOptions } from './hosted-context.js';
import type { CsrfTokens } from './security.js';

// /confirmUser: where the link of a CONFIRM_WITH_LINK pool's sign-up email lands
// (`?client_id=…&user_name=…&confirmation_code=…`, Cognito's parameters). DEVIATION: Cognito
// confirms the account on the GET itself; Frontdesk shows a page whose button (a POST with a CSRF
// token) confirms it, because mail scanners and link previews fetch every link in an email and
// would confirm accounts nobody clicked. The confirmation is ConfirmSignUp's own.

const LINK_FIELDS = ['client_id', 'user_name', 'confirmation_code'] as const;

function linkOf(fields: Record<string, string | undefined>): ConfirmUserLink | undefined {
  const link: Partial<ConfirmUserLink> = {};
  for (const name of LINK_FIELDS) {
    const value = fields[name];
    if (!value || value.length > 512) return undefined;
    link[name] = value;
  }
  return link as ConfirmUserLink;
}

export function registerConfirmUserRoutes(app: FastifyInstance, options: HostedOptions, csrf: CsrfTokens): void {
  const { clients, signUp } = options.services;

  /** The link's client, if it exists and belongs to the pool this endpoint serves. */
  const clientOf = async (context: HostedContext, link: ConfirmUserLink) => {
    const found = await clients.resolvePublicClient(link.client_id).catch((error: unknown) => {
      if (error instanceof CognitoError && error.statusCode < 500) return undefined;
      throw error;
    });
    if (!found || (context.poolId !== undefined && context.poolId !== found.pool.id)) return undefined;
    return found.client;
  };

  const invalid = (context: HostedContext) => sendPage(context, 400, confirmUserErrorPage(frameOf(context), confirmUserTexts(context.lang).invalidLink));

  const show = async (req: FastifyRequest, reply: FastifyReply) => {
    const context = await hostedContext(req, reply, options, csrf);
    if (!context) return reply;
    const link = linkOf(context.query);
    if (!link || context.duplicate !== undefined || !(await clientOf(context, link))) return invalid(context);
    const page = confirmUserQuestionPage(frameOf(context), { action: `${context.base}/confirmUser`, csrf: csrf.tokenFor(req, reply, context.secure), link });
    return sendPage(context, 200, page);
  };

  const confirm = async (req: FastifyRequest, reply: FastifyReply) => {
    const context = await hostedContext(req, reply, options, csrf);
    if (!context) return reply;
    const form = formOf(req).fields;
    if (!csrf.verify(req, form._csrf)) return sendPage(context, 403, confirmUserErrorPage(frameOf(context), context.t.csrfFailed));
    const link = linkOf(form);
    const client = link && (await clientOf(context, link));
    if (!link || !client) return invalid(context);
    const secretHash = secretHashFor(client, link.user_name);
    try {
      await signUp.confirmSignUp({
        ClientId: client.id,
        Username: link.user_name,
        ConfirmationCode: link.confirmation_code,
        ...(secretHash !== undefined ? { SecretHash: secretHash } : {}),
      });
    } catch (error) {
      // A wrong, used or expired code, an unknown user: one answer, which says nothing about which.
      if (error instanceof CognitoError && error.statusCode < 500) return invalid(context);
      throw error;
    }
    return sendPage(context, 200, confirmUserDonePage(frameOf(context)));
  };

  for (const prefix of ['', '/:poolId']) {
    app.get(`${prefix}/confirmUser`, show);
    app.post(`${prefix}/confirmUser`, confirm);
  }
}
