import type { FastifyInstance, FastifyRequest } from 'fastify';

/** A parsed application/x-www-form-urlencoded body. */
export interface FormBody {
  fields: Record<string, string>;
  /** The first parameter that appeared more than once (RFC 6749 §3.1: a request error). */
  duplicate?: string;
}

/** Parses form bodies in this plugin's scope into a FormBody (other content types are not read). */
export function addFormParser(app: FastifyInstance, bodyLimit: number): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit }, (_request, body, done) => {
    const fields: Record<string, string> = Object.create(null) as Record<string, string>;
    let duplicate: string | undefined;
    for (const [name, value] of new URLSearchParams(body as string)) {
      if (name in fields) duplicate ??= name;
      else fields[name] = value;
    }
    done(null, { fields, ...(duplicate !== undefined ? { duplicate } : {}) } satisfies FormBody);
  });
}

/** The request's form, or an empty one when it sent none (or another content type). */
export function formOf(request: FastifyRequest): FormBody {
  const body = request.body as FormBody | undefined;
  return body && typeof body === 'object' && 'fields' in body ? body : { fields: Object.create(null) as Record<string, string> };
}

/** The query string's parameters, refusing repeats the same way (Fastify would make them arrays). */
export function queryOf(request: FastifyRequest): FormBody {
  const raw = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
  const fields: Record<string, string> = Object.create(null) as Record<string, string>;
  let duplicate: string | undefined;
  for (const [name, value] of new URLSearchParams(raw)) {
    if (name in fields) duplicate ??= name;
    else fields[name] = value;
  }
  return { fields, ...(duplicate !== undefined ? { duplicate } : {}) };
}
