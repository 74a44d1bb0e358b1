import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AttributeType } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoError } from '../errors/cognito-error.js';
import type { AuthorizationRequest } from '../../domain/oauth/authorization-request.js';
import { HostedAccounts } from '../../domain/oauth/hosted-accounts.js';
import type { UserPool } from '../../domain/user-pools/user-pool.js';
import { formOf } from '../oauth2/form-body.js';
import { confirmForgotPasswordPage, confirmPage, forgotPasswordPage, signUpPage, type SignUpField } from './account-pages.js';
import { frameOf, hostedContext, linkTo, redirect, sendPage, type HostedContext, type HostedOptions } from './hosted-context.js';
import { createHostedFlow } from './hosted-flow.js';
import { refuseIfRateLimited } from './rate-limit.js';
import type { Messages } from './i18n.js';
import { errorPage } from './pages.js';
import type { CsrfTokens } from './security.js';

// /signup, /confirm, /forgotPassword and /confirmForgotPassword. Like /login they continue an
// authorization request (its parameters ride along in the query), post forms with CSRF tokens, and
// call the same services as SignUp, ConfirmSignUp, ResendConfirmationCode, ForgotPassword and
// ConfirmForgotPassword. GETs only draw pages; every change is a POST.

/** The sign-up fields of a pool: what identifies the user, then its other required attributes. */
function signUpFields(pool: UserPool, t: Messages, form: Record<string, string>): SignUpField[] {
  const byEmail = pool.settings.UsernameAttributes?.includes('email');
  const byPhone = pool.settings.UsernameAttributes?.includes('phone_number');
  const fields: SignUpField[] = [];
  if (!byEmail && !byPhone) fields.push({ name: 'username', label: t.usernameOnly, type: 'text', autocomplete: 'username' });
  if (byPhone && !byEmail) fields.push({ name: 'attr_phone_number', label: 'phone_number', type: 'tel', autocomplete: 'tel' });
  else fields.push({ name: 'attr_email', label: t.email, type: 'email', autocomplete: byEmail ? 'username' : 'email' });
  for (const attribute of pool.settings.SchemaAttributes) {
    const name = attribute.Name!;
    if (!attribute.Required || name === 'sub' || fields.some((f) => f.name === `attr_${name}`)) continue;
    fields.push({ name: `attr_${name}`, label: name, type: name === 'phone_number' ? 'tel' : 'text', autocomplete: 'off' });
  }
  return fields.map((f) => (form[f.name] !== undefined ? { ...f, value: form[f.name] } : f));
}

/** A user-facing failure of the account services: its (escaped) message; anything else is rethrown. */
function accountError(error: unknown): string {
  if (error instanceof CognitoError && error.statusCode < 500 && error.name !== 'InternalErrorException') return error.message;
  throw error;
}

export function registerAccountRoutes(app: FastifyInstance, options: HostedOptions, csrf: CsrfTokens): void {
  const accounts = new HostedAccounts(options.services);
  const { checkedRequest, formPage } = createHostedFlow(options, csrf);

  /** Runs a page handler with its context and checked authorization request (or answers for it). */
  const page =
    (handler: (context: HostedContext, request: AuthorizationRequest, form: Record<string, string>) => Promise<FastifyReply>, post: boolean) =>
    async (req: FastifyRequest, reply: FastifyReply) => {
      const context = await hostedContext(req, reply, options, csrf);
      if (!context) return reply;
      const form = post ? formOf(req).fields : {};
      if (post && !csrf.verify(req, form._csrf)) return sendPage(context, 403, errorPage(frameOf(context), context.t.csrfFailed));
      const request = await checkedRequest(context);
      if (!request) return reply;
      return handler(context, request, form);
    };

  /** A link to another page of the flow, with extra parameters (username, destination, notice). */
  const goTo = (context: HostedContext, path: string, extra: Record<string, string | undefined>) => {
    const url = new URL(linkTo(context, `${context.base}/${path}`), 'http://x');
    for (const [name, value] of Object.entries(extra)) if (value !== undefined) url.searchParams.set(name, value);
    return `${url.pathname}${url.search}`;
  };

  const showSignUp = (context: HostedContext, request: AuthorizationRequest, form: Record<string, string>, status = 200, error?: string) =>
    sendPage(context, status, signUpPage({ ...formPage(context, error, 'signup'), fields: signUpFields(request.pool, context.t, form) }), [request.redirectUri]);

  const showConfirm = (context: HostedContext, request: AuthorizationRequest, username: string, status = 200, error?: string, notice?: string) =>
    sendPage(
      context,
      status,
      confirmPage({
        ...formPage(context, error, 'confirm'),
        ...(notice !== undefined ? { notice } : {}),
        username,
        ...(context.query.destination !== undefined ? { destination: context.query.destination } : {}),
      }),
      [request.redirectUri],
    );

  const showForgot = (context: HostedContext, request: AuthorizationRequest, status = 200, error?: string, username?: string) =>
    sendPage(context, status, forgotPasswordPage({ ...formPage(context, error, 'forgotPassword'), ...(username !== undefined ? { username } : {}) }), [request.redirectUri]);

  const showReset = (context: HostedContext, request: AuthorizationRequest, username: string, status = 200, error?: string) =>
    sendPage(
      context,
      status,
      confirmForgotPasswordPage({
        ...formPage(context, error, 'confirmForgotPassword'),
        username,
        ...(context.query.destination !== undefined ? { destination: context.query.destination } : {}),
      }),
      [request.redirectUri],
    );

  const signUpAllowed = (request: AuthorizationRequest) => !request.pool.settings.AdminCreateUserConfig?.AllowAdminCreateUserOnly;

  const getSignUp = page(async (context, request) => {
    if (!signUpAllowed(request)) return sendPage(context, 403, errorPage(frameOf(context), 'Sign-up is not allowed for this user pool.'));
    return showSignUp(context, request, {});
  }, false);

  const postSignUp = page(async (context, request, form) => {
    if (!signUpAllowed(request)) return sendPage(context, 403, errorPage(frameOf(context), 'Sign-up is not allowed for this user pool.'));
    const { t } = context;
    if (!form.password || form.password !== form.confirm_password) return showSignUp(context, request, form, 400, t.passwordsDiffer);
    const attributes: AttributeType[] = Object.entries(form)
      .filter(([name, value]) => name.startsWith('attr_') && value !== '')
      .map(([name, value]) => ({ Name: name.slice(5), Value: value.trim() }));
    const username = (form.username ?? attributes.find((a) => a.Name === 'email' || a.Name === 'phone_number')?.Value ?? '').trim();
    const limited = await refuseIfRateLimited(options.services, context, request, 'signUp', username);
    if (limited) return limited;
    let result;
    try {
      result = await accounts.signUp(request, username, form.password, attributes, context.request.ip);
    } catch (error) {
      return showSignUp(context, request, form, 400, accountError(error));
    }
    if (result.UserConfirmed) return redirect(context.reply, goTo(context, 'login', { username, notice: 'confirmed' }));
    return redirect(context.reply, goTo(context, 'confirm', { username, destination: result.CodeDeliveryDetails?.Destination }));
  }, true);

  const getConfirm = page(async (context, request) => showConfirm(context, request, context.query.username ?? ''), false);

  const postConfirm = page(async (context, request, form) => {
    const username = form.username ?? '';
    try {
      if (form.action === 'resend') {
        const limited = await refuseIfRateLimited(options.services, context, request, 'resendCode', username);
        if (limited) return limited;
        await accounts.resendCode(request, username, context.request.ip);
        return showConfirm(context, request, username, 200, undefined, context.t.codeSent);
      }
      await accounts.confirmSignUp(request, username, (form.code ?? '').trim());
    } catch (error) {
      return showConfirm(context, request, username, 400, accountError(error));
    }
    return redirect(context.reply, goTo(context, 'login', { username, notice: 'confirmed' }));
  }, true);

  const getForgot = page(async (context, request) => showForgot(context, request), false);

  const postForgot = page(async (context, request, form) => {
    const username = (form.username ?? '').trim();
    const limited = await refuseIfRateLimited(options.services, context, request, 'forgotPassword', username);
    if (limited) return limited;
    let delivery;
    try {
      delivery = await accounts.forgotPassword(request, username, context.request.ip);
    } catch (error) {
      return showForgot(context, request, 400, accountError(error), username);
    }
    return redirect(context.reply, goTo(context, 'confirmForgotPassword', { username, destination: delivery?.Destination }));
  }, true);

  const getReset = page(async (context, request) => showReset(context, request, context.query.username ?? ''), false);

  const postReset = page(async (context, request, form) => {
    const username = form.username ?? '';
    if (!form.password || form.password !== form.confirm_password) return showReset(context, request, username, 400, context.t.passwordsDiffer);
    try {
      await accounts.confirmForgotPassword(request, username, (form.code ?? '').trim(), form.password, context.request.ip);
    } catch (error) {
      return showReset(context, request, username, 400, accountError(error));
    }
    return redirect(context.reply, goTo(context, 'login', { username, notice: 'passwordChanged' }));
  }, true);

  for (const prefix of ['', '/:poolId']) {
    app.get(`${prefix}/signup`, getSignUp);
    app.post(`${prefix}/signup`, postSignUp);
    app.get(`${prefix}/confirm`, getConfirm);
    app.post(`${prefix}/confirm`, postConfirm);
    app.get(`${prefix}/forgotPassword`, getForgot);
    app.post(`${prefix}/forgotPassword`, postForgot);
    app.get(`${prefix}/confirmForgotPassword`, getReset);
    app.post(`${prefix}/confirmForgotPassword`, postReset);
  }
}
