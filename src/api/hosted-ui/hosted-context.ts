import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../domain/services.js';
import type { SecretBox } from '../../crypto/secret-box.js';
import { AUTHORIZATION_PARAMETERS } from '../../domain/oauth/authorization-request.js';
import { endpointPool } from '../oauth2/endpoint-pool.js';
import { queryOf } from '../oauth2/form-body.js';
import type { Html } from './html.js';
import { chooseLanguage, messagesFor, type Language, type Messages } from './i18n.js';
import type { PageFrame } from './layout.js';
import { CsrfTokens, newNonce, pageHeaders } from './security.js';
import { errorPage } from './pages.js';
import type { Branding } from '../../domain/oauth/ui-customization-service.js';

export interface HostedOptions {
  services: Services;
  baseDomain: string;
  secrets: SecretBox;
  /** Whether cookies get `Secure`: the public URL is https (TLS here or at a proxy). */
  secureCookies: () => boolean;
}

/** Everything a hosted page request needs, worked out once. */
export interface HostedContext {
  request: FastifyRequest;
  reply: FastifyReply;
  /** The pool the endpoint was called for (issuer path or domain), if any. */
  poolId?: string;
  /** Path prefix of the hosted pages here: '' at the root or on a domain, '/<poolId>' under the issuer. */
  base: string;
  /** Query parameters (first of each; repeats make `duplicate`). */
  query: Record<string, string>;
  duplicate?: string;
  lang: Language;
  t: Messages;
  nonce: string;
  secure: boolean;
  csrf: CsrfTokens;
  /** The client's (or pool's) CSS and logo, once the authorization request is known. */
  branding?: Branding;
}

export async function hostedContext(request: FastifyRequest, reply: FastifyReply, options: HostedOptions, csrf: CsrfTokens): Promise<HostedContext | undefined> {
  const query = queryOf(request);
  const lang = chooseLanguage(query.fields.lang, request.headers['accept-language']);
  const context: HostedContext = {
    request,
    reply,
    base: '',
    query: query.fields,
    ...(query.duplicate !== undefined ? { duplicate: query.duplicate } : {}),
    lang,
    t: messagesFor(lang),
    nonce: newNonce(),
    secure: options.secureCookies() || request.protocol === 'https',
    csrf,
  };
  const pool = await endpointPool(request, options.services, options.baseDomain);
  if (pool === 'missing') {
    sendPage(context, 404, errorPage(frameOf(context), 'Not found.'));
    return undefined;
  }
  const params = request.params as { poolId?: string };
  return { ...context, ...(pool.poolId !== undefined ? { poolId: pool.poolId } : {}), base: params.poolId ? `/${params.poolId}` : '' };
}

export function frameOf(context: HostedContext): PageFrame {
  return {
    lang: context.lang,
    t: context.t,
    nonce: context.nonce,
    ...context.branding,
    languageLink: (lang) => linkTo(context, pathOf(context), { ...context.query, lang }),
  };
}

/** The request's path without the query. */
export const pathOf = (context: HostedContext): string => context.request.url.split('?')[0]!;

/** A URL of this site with the authorization parameters (and `lang`) carried over. */
export function linkTo(context: HostedContext, path: string, params: Record<string, string | undefined> = context.query): string {
  const kept = new URLSearchParams();
  for (const name of AUTHORIZATION_PARAMETERS) {
    const value = params[name];
    if (value !== undefined) kept.set(name, value);
  }
  const query = kept.toString();
  return `${path}${query ? `?${query}` : ''}`;
}

export function sendPage(context: HostedContext, status: number, page: Html, formTargets: readonly string[] = []): FastifyReply {
  return pageHeaders(context.reply.status(status), context.nonce, formTargets).send(page.value);
}

/** A redirect that must not be cached or leak its URL onwards. */
export function redirect(reply: FastifyReply, url: string): FastifyReply {
  return reply.status(302).header('location', url).header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').send();
}

/** The hosted-UI session cookie of a pool (one per pool, so one browser can hold several). */
export const sessionCookieName = (poolId: string) => `fd_session_${poolId}`;
