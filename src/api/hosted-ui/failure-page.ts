import type { FastifyReply } from 'fastify';
import { messagesFor } from './i18n.js';
import { errorPage } from './pages.js';
import { newNonce, pageHeaders } from './security.js';

/** A hosted page's answer when the request could not be read or the server failed: no details. */
export function sendFailurePage(reply: FastifyReply, status: number): FastifyReply {
  const nonce = newNonce();
  const t = messagesFor('en');
  const detail = status >= 500 ? 'Internal error. Try again later.' : 'The request could not be read.';
  return pageHeaders(reply.status(status), nonce).send(errorPage({ lang: 'en', t, nonce }, detail).value);
}
