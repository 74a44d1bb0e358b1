import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CognitoError } from '../errors/cognito-error.js';
import { formOf } from '../oauth2/form-body.js';
import { feedbackErrorPage, feedbackQuestionPage, feedbackThanksPage, feedbackTexts, type FeedbackLink } from './auth-event-feedback-page.js';
import { frameOf, hostedContext, sendPage, type HostedContext, type HostedOptions } from './hosted-context.js';
import type { CsrfTokens } from './security.js';

// /auth-event-feedback: where the one-click links of threat protection's notification emails
// (src/domain/risk/risk-notifier.ts) land. GET shows the event the link names and asks "was this
// you?" — it changes nothing, because mail scanners and link previews fetch every link in an email;
// the user's answer is a POST of the page's form (CSRF token), which records it through the same
// service as UpdateAuthEventFeedback.

const LINK_FIELDS = ['user_pool_id', 'username', 'event_id', 'feedback_token'] as const;

/** The link's parameters, when all are there, non-empty and of a sane size. */
function linkOf(fields: Record<string, string | undefined>): FeedbackLink | undefined {
  const link: Partial<FeedbackLink> = {};
  for (const name of LINK_FIELDS) {
    const value = fields[name];
    if (!value || value.length > 512) return undefined;
    link[name] = value;
  }
  return link as FeedbackLink;
}

const feedbackValue = (value: string | undefined): 'Valid' | 'Invalid' | undefined => (value === 'Valid' || value === 'Invalid' ? value : undefined);

export function registerAuthEventFeedbackRoutes(app: FastifyInstance, options: HostedOptions, csrf: CsrfTokens): void {
  const adaptive = options.services.adaptiveAuth;

  /**
   * A refusal the user can act on, without saying which part was wrong (a stranger probing for
   * users or events learns nothing): a bad link, or a pool without threat protection. Anything
   * else (a store failure) is rethrown, for the plugin's failure page.
   */
  const refuse = (context: HostedContext, error: unknown): FastifyReply => {
    if (!(error instanceof CognitoError) || error.statusCode >= 500) throw error;
    const t = feedbackTexts(context.lang);
    const message = error.name === 'UserPoolAddOnNotEnabledException' ? t.unavailable : t.invalidLink;
    return sendPage(context, 400, feedbackErrorPage(frameOf(context), message));
  };

  /** The link names a pool; on a pool's own domain (or issuer path) it must be that pool. */
  const samePool = (context: HostedContext, link: FeedbackLink) => context.poolId === undefined || context.poolId === link.user_pool_id;

  const show = async (req: FastifyRequest, reply: FastifyReply) => {
    const context = await hostedContext(req, reply, options, csrf);
    if (!context) return reply;
    const t = feedbackTexts(context.lang);
    const link = linkOf(context.query);
    if (!link || context.duplicate !== undefined || !samePool(context, link)) return sendPage(context, 400, feedbackErrorPage(frameOf(context), t.invalidLink));
    let event;
    try {
      event = await adaptive.feedbackEvent(link.user_pool_id, link.username, link.event_id, link.feedback_token);
    } catch (error) {
      return refuse(context, error);
    }
    const suggested = feedbackValue(context.query.feedback_value);
    const page = feedbackQuestionPage(frameOf(context), {
      action: `${context.base}/auth-event-feedback`,
      csrf: csrf.tokenFor(req, reply, context.secure),
      link,
      event,
      ...(suggested ? { suggested } : {}),
    });
    return sendPage(context, 200, page);
  };

  const answer = async (req: FastifyRequest, reply: FastifyReply) => {
    const context = await hostedContext(req, reply, options, csrf);
    if (!context) return reply;
    const form = formOf(req).fields;
    const t = feedbackTexts(context.lang);
    if (!csrf.verify(req, form._csrf)) return sendPage(context, 403, feedbackErrorPage(frameOf(context), context.t.csrfFailed));
    const link = linkOf(form);
    const value = feedbackValue(form.feedback_value);
    if (!link || !value || !samePool(context, link)) return sendPage(context, 400, feedbackErrorPage(frameOf(context), t.invalidLink));
    try {
      await adaptive.updateFeedback(link.user_pool_id, link.username, link.event_id, link.feedback_token, value);
    } catch (error) {
      return refuse(context, error);
    }
    return sendPage(context, 200, feedbackThanksPage(frameOf(context), value));
  };

  for (const prefix of ['', '/:poolId']) {
    app.get(`${prefix}/auth-event-feedback`, show);
    app.post(`${prefix}/auth-event-feedback`, answer);
  }
}
