import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  CodeMismatchException,
  EnableSoftwareTokenMFAException,
  ExpiredCodeException,
  InvalidLambdaResponseException,
  InvalidParameterException,
  MFAMethodNotFoundException,
  UnexpectedLambdaException,
  UserLambdaValidationException,
  InvalidPasswordException,
  NotAuthorizedException,
  PasswordResetRequiredException,
  SoftwareTokenMFANotFoundException,
  UserNotConfirmedException,
  UserNotFoundException,
} from '../../generated/exceptions.js';
import { UntrustedRequestError, type AuthorizationRequest } from '../../domain/oauth/authorization-request.js';
import type { SettledStep } from '../../domain/auth/auth-service.js';
import { OAuthError } from '../../domain/oauth/oauth-error.js';
import { checkPasswordPolicy } from '../../domain/users/password-policy.js';
import { formOf } from '../oauth2/form-body.js';
import { challengePages, type ChallengeTools } from './challenge-pages.js';
import './mfa-challenge-pages.js';
import { createHostedFlow } from './hosted-flow.js';
import { refuseIfRateLimited } from './rate-limit.js';
import { frameOf, hostedContext, linkTo, redirect, sendPage, sessionCookieName, type HostedContext, type HostedOptions } from './hosted-context.js';
import type { Messages } from './i18n.js';
import { errorPage, signedOutPage } from './pages.js';
import { clearCookie, parseCookies, setCookie, type CsrfTokens } from './security.js';

// /oauth2/authorize, /login and /logout: the browser side of the provider. Requests that cannot be
// trusted (unknown client, unregistered redirect_uri) get an error page, never a redirect; every
// other error goes back to the client's redirect_uri with RFC 6749's error names.

export function registerAuthorizeRoutes(app: FastifyInstance, options: HostedOptions, csrf: CsrfTokens): void {
  const { services } = options;
  const authorization = services.oauth.authorization;

  const { checkedRequest, signedIn, formPage, showLogin } = createHostedFlow(options, csrf);

  /** What a challenge page may use for this request (see challenge-pages.ts). */
  const toolsFor = (request: AuthorizationRequest, challengeName: string, sourceIp?: string): ChallengeTools => ({
    request,
    // The user's IP goes with every answer, as with the login itself (risk decisions, auth events).
    respond: (responses, session) => authorization.respond(request, challengeName, responses, session, sourceIp),
    mfa: services.mfa,
    seal: (value) => options.secrets.seal(value, 'hosted-ui challenge page'),
    open: (sealed) => {
      try {
        return sealed ? options.secrets.open(sealed, 'hosted-ui challenge page') : undefined;
      } catch {
        return undefined;
      }
    },
  });

  /** Signed in: remember it in the hosted-UI session, then send the browser back with a code. */
  const finish = async (context: HostedContext, request: AuthorizationRequest, step: Extract<SettledStep, { kind: 'authenticated' }>) => {
    // The redirect first: when it fails (a PreTokenGeneration refusal in the implicit flow), no
    // hosted-UI session is left behind.
    const target = await authorization.complete(request, step.user, step.authTime);
    const session = await authorization.sessions.open(request.pool, step.user, step.authTime);
    setCookie(context.reply, sessionCookieName(request.pool.id), session.value, { maxAgeSeconds: session.maxAgeSeconds, secure: context.secure });
    return redirect(context.reply, target);
  };

  /**
   * The page's context and checked authorization request; undefined when the reply has been sent
   * already: an error, or a user signed in here before (and not asked to again) sent back to the app.
   */
  const openAuthorization = async (req: FastifyRequest, reply: FastifyReply) => {
    const context = await hostedContext(req, reply, options, csrf);
    if (!context) return undefined;
    const request = await checkedRequest(context);
    if (!request) return undefined;
    const session = request.prompt === 'login' ? undefined : await signedIn(context, request);
    if (session) {
      redirect(reply, await authorization.complete(request, session.user, session.authTime));
      return undefined;
    }
    return { context, request };
  };

  const authorize = async (req: FastifyRequest, reply: FastifyReply) => {
    const opened = await openAuthorization(req, reply);
    if (!opened) return reply;
    const { context, request } = opened;
    if (request.prompt === 'none') return redirect(reply, authorization.errorRedirectFor(request, new OAuthError('login_required', 'The user is not signed in.')));
    return redirect(reply, linkTo(context, `${context.base}/login`));
  };

  const showLoginRoute = async (req: FastifyRequest, reply: FastifyReply) => {
    const opened = await openAuthorization(req, reply);
    if (!opened) return reply;
    const { context, request } = opened;
    const notice = context.query.notice === 'confirmed' ? context.t.accountConfirmed : context.query.notice === 'passwordChanged' ? context.t.passwordChanged : undefined;
    return showLogin(context, request, 200, undefined, context.query.username, notice);
  };

  const submitLogin = async (req: FastifyRequest, reply: FastifyReply) => {
    const context = await hostedContext(req, reply, options, csrf);
    if (!context) return reply;
    const form = formOf(req).fields;
    if (!csrf.verify(req, form._csrf)) return sendPage(context, 403, errorPage(frameOf(context), context.t.csrfFailed));
    const request = await checkedRequest(context);
    if (!request) return reply;
    const { t } = context;

    const challengeName = form.challenge;
    if (challengeName !== undefined) {
      const page = challengePages.get(challengeName);
      if (!page) return showLogin(context, request, 400, t.signInFailed);
      // Form errors are found before the (single-use) session is spent, so the page can be retried.
      const tools = toolsFor(request, challengeName, req.ip);
      const again = (error: string) =>
        sendPage(context, 400, page.render({ ...formPage(context, error), session: form.session ?? '', parameters: page.restore(form, tools) }), [request.redirectUri]);
      const parsed = page.responses(form, t);
      if ('error' in parsed) return again(parsed.error);
      if (challengeName === 'NEW_PASSWORD_REQUIRED') {
        try {
          checkPasswordPolicy(request.pool.settings.Policies?.PasswordPolicy, parsed.responses.NEW_PASSWORD!);
        } catch (error) {
          if (!(error instanceof InvalidPasswordException)) throw error;
          return again(error.message);
        }
      }
      const run = () => (page.answer ? page.answer(form, parsed.responses, tools) : tools.respond(parsed.responses, form.session));
      // A wrong code is tried again on the same page and Session (the handlers keep it answerable
      // for a few attempts, as in the API); other failures end on the login page.
      return settle(context, request, run, undefined, (error) => {
        const message = challengeErrorMessage(error, t);
        return message === undefined ? undefined : again(message);
      });
    }

    const username = (form.username ?? '').trim();
    if (!username || !form.password) return showLogin(context, request, 400, t.badCredentials, username || undefined);
    const limited = await refuseIfRateLimited(services, context, request, 'signIn', username);
    if (limited) return limited;
    return settle(context, request, () => authorization.signIn(request, username, form.password!, req.ip), username);
  };

  /** Runs a sign-in step and answers with the next page, the error, or the redirect with a code. */
  const settle = async (
    context: HostedContext,
    request: AuthorizationRequest,
    run: () => Promise<SettledStep>,
    username?: string,
    retry?: (error: unknown) => FastifyReply | undefined,
  ) => {
    let step: SettledStep;
    try {
      step = await run();
    } catch (error) {
      const retried = retry?.(error);
      if (retried) return retried;
      // An unconfirmed account is sent to confirm itself, as Cognito's hosted UI does.
      if (error instanceof UserNotConfirmedException && username) {
        const url = new URL(linkTo(context, `${context.base}/confirm`), 'http://x');
        url.searchParams.set('username', username);
        return redirect(context.reply, `${url.pathname}${url.search}`);
      }
      const message = signInErrorMessage(error, context.t);
      if (message === undefined) throw error;
      return showLogin(context, request, 400, message, username);
    }
    if (step.kind === 'authenticated') {
      try {
        return await finish(context, request, step);
      } catch (error) {
        // The implicit flow mints tokens here, so PreTokenGeneration can still refuse.
        const message = signInErrorMessage(error, context.t);
        if (message === undefined) throw error;
        return showLogin(context, request, 400, message, username);
      }
    }
    const page = challengePages.get(step.name);
    if (!page || !step.session) return showLogin(context, request, 400, context.t.unsupportedChallenge, username);
    const drawn = page.prepare
      ? await page.prepare({ session: step.session, parameters: step.parameters }, toolsFor(request, step.name))
      : { session: step.session, parameters: step.parameters };
    return sendPage(context, 200, page.render({ ...formPage(context), ...drawn }), [request.redirectUri]);
  };

  const logout = async (req: FastifyRequest, reply: FastifyReply) => {
    const context = await hostedContext(req, reply, options, csrf);
    if (!context) return reply;
    if (context.duplicate !== undefined) return sendPage(context, 400, errorPage(frameOf(context), `The ${context.duplicate} parameter was given more than once.`));
    let outcome;
    try {
      outcome = await services.oauth.logout.resolve(context.query, context.poolId);
    } catch (error) {
      if (error instanceof UntrustedRequestError) return sendPage(context, 400, errorPage(frameOf(context), error.message));
      throw error;
    }
    // Ends the hosted-UI session of the pool (every pool's, when no client says which).
    const cookies = parseCookies(req.headers.cookie);
    for (const [name, value] of Object.entries(cookies)) {
      if (!name.startsWith('fd_session_') || (outcome.pool && name !== sessionCookieName(outcome.pool.id))) continue;
      await authorization.sessions.close(value);
      clearCookie(reply, name, context.secure);
    }
    if (outcome.kind === 'redirect') return redirect(reply, outcome.url);
    if (outcome.kind === 'signInAgain') return redirect(reply, linkTo(context, `${context.base}/oauth2/authorize`));
    return sendPage(context, 200, signedOutPage(frameOf(context)));
  };

  for (const prefix of ['', '/:poolId']) {
    app.get(`${prefix}/oauth2/authorize`, authorize);
    app.get(`${prefix}/login`, showLoginRoute);
    app.post(`${prefix}/login`, submitLogin);
    app.get(`${prefix}/logout`, logout);
  }
}

/** What the login page says for a failed sign-in; undefined for errors that are not the user's. */
export function signInErrorMessage(error: unknown, t: Messages): string | undefined {
  if (error instanceof NotAuthorizedException) {
    if (/attempts exceeded/i.test(error.message)) return t.tooManyAttempts;
    if (/session/i.test(error.message)) return t.sessionExpired;
    // Wrong password, unknown or disabled user: one message, so the page tells nobody which.
    return t.badCredentials;
  }
  if (error instanceof UserNotFoundException) return t.badCredentials;
  // The authenticator being set up was replaced or finished elsewhere (another tab): start again.
  if (error instanceof SoftwareTokenMFANotFoundException) return t.signInFailed;
  if (error instanceof UserNotConfirmedException) return t.notConfirmed;
  if (error instanceof PasswordResetRequiredException) return t.resetRequired;
  if (error instanceof InvalidPasswordException || error instanceof InvalidParameterException) return error.message;
  // A Lambda trigger refused or failed (PreAuthentication, UserMigration, PreTokenGeneration …):
  // its message, e.g. "PreAuthentication failed with error Not today.", as Cognito's pages show.
  if (error instanceof UserLambdaValidationException || error instanceof InvalidLambdaResponseException || error instanceof UnexpectedLambdaException) {
    return error.message;
  }
  return undefined;
}

/** What a challenge page says when its answer was wrong but may be tried again; undefined otherwise. */
function challengeErrorMessage(error: unknown, t: Messages): string | undefined {
  if (error instanceof CodeMismatchException || error instanceof ExpiredCodeException || error instanceof EnableSoftwareTokenMFAException) return t.wrongCode;
  if (error instanceof MFAMethodNotFoundException) return t.signInFailed;
  // A malformed answer the handler refused before spending the Session (e.g. an invalid email).
  if (error instanceof InvalidParameterException && !/challenge name|session/i.test(error.message)) return error.message;
  return undefined;
}
