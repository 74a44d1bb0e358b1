import { createHash, randomBytes } from 'node:crypto';

// Plain-fetch helpers for the hosted UI: a cookie jar, the CSRF token of a page, PKCE values and
// a sign-in that walks /oauth2/authorize → /login → the redirect with a code.

export class CookieJar {
  readonly cookies = new Map<string, string>();

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (/max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('cookie', this.header());
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    this.store(response);
    return response;
  }
}

export const csrfOf = (page: string): string => /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export const authorizeUrl = (base: string, params: Record<string, string>) => `${base}/oauth2/authorize?${new URLSearchParams(params).toString()}`;

/** Follows /oauth2/authorize to the login page, signs in, and returns the final redirect's Location. */
export async function signInThroughHostedUi(jar: CookieJar, base: string, params: Record<string, string>, username: string, password: string): Promise<URL> {
  const start = await jar.fetch(authorizeUrl(base, params));
  if (start.status !== 302) throw new Error(`authorize answered ${start.status}: ${await start.text()}`);
  const loginUrl = new URL(start.headers.get('location')!, base);
  if (loginUrl.pathname.endsWith('/login')) {
    const page = await jar.fetch(loginUrl.href);
    const html = await page.text();
    const posted = await jar.fetch(loginUrl.href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrfOf(html), username, password }).toString(),
    });
    if (posted.status !== 302) throw new Error(`login answered ${posted.status}: ${await posted.text()}`);
    return new URL(posted.headers.get('location')!);
  }
  return loginUrl;
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#96;': '`' };
const unescapeHtml = (text: string) => text.replace(/&(amp|lt|gt|quot|#39|#96);/g, (entity) => ENTITIES[entity]!);

/** The hidden fields of the forms of a page (the `index`th form, or the first whose fields include `where`). */
export function hiddenFields(page: string, where: Record<string, string> | number = 0): Record<string, string> {
  const forms = [...page.matchAll(/<form\b[\s\S]*?<\/form>/g)].map((match) => {
    const fields: Record<string, string> = {};
    for (const input of match[0].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields[input[1]!] = unescapeHtml(input[2]!);
    return fields;
  });
  const form = typeof where === 'number' ? forms[where] : forms.find((f) => Object.entries(where).every(([name, value]) => f[name] === value));
  if (!form) throw new Error(`no such form on the page:\n${page}`);
  return form;
}

/** Posts a form (urlencoded) with the jar's cookies, not following redirects. */
export const postForm = (jar: CookieJar, url: string, fields: Record<string, string>) =>
  jar.fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
