import { createHash, randomBytes } from 'node:crypto';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, normalize, parsedTarget, type Gateway } from '../src/gateway/gateway.js';
import { checkGatewayConfig } from '../src/gateway/config.js';
import { hs256WithPublicKey, startVerifyFixture, tampered, unsecured, withUnknownKid, type VerifyFixture } from './support/verify-fixtures.js';
import { HOUR_MS } from './support/cognito.js';

// Gateway mode with real tokens: a Frontdesk, an upstream API (a local echo server), and the
// gateway between them. Authorized requests reach the upstream with the claims in headers (and
// only the gateway's: forged ones are stripped); the rest are answered by the gateway.

let f: VerifyFixture;
let upstream: Server;
let upstreamUrl: string;
let gateway: Gateway;
let url: string;
const upstreamRequests: string[] = [];

beforeAll(async () => {
  f = await startVerifyFixture();
  upstream = createServer((req, res) => {
    upstreamRequests.push(`${req.method} ${req.url}`);
    if (req.url === '/admin-data') {
      // The seed's Lambda example as an upstream: it trusts the gateway's claims header.
      const claims = JSON.parse(String(req.headers['x-frontdesk-claims'] ?? '{}')) as { 'cognito:groups'?: string[] };
      const isAdmin = claims['cognito:groups']?.includes('admin') ?? false;
      res.writeHead(isAdmin ? 200 : 403, { 'content-type': 'application/json' }).end(JSON.stringify(isAdmin ? 'Admin data' : 'Access denied'));
      return;
    }
    if (req.url === '/slow') {
      setTimeout(() => res.end('late'), 2_000).unref();
      return;
    }
    const hash = createHash('sha256');
    let length = 0;
    req.on('data', (chunk: Buffer) => {
      length += chunk.length;
      hash.update(chunk);
    });
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.setHeader('x-upstream', 'yes');
      res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, length, sha256: hash.digest('hex') }));
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  gateway = createGateway(
    {
      listen: { host: '127.0.0.1', port: 0 },
      upstream: upstreamUrl,
      tokens: { userPoolId: f.poolId, endpoint: f.server.url, clientId: f.clientA },
      upstreamTimeoutSeconds: 0.5,
      routes: [
        { method: 'GET', path: '/public/*', auth: 'none' },
        { method: 'GET', path: '/slow', auth: 'none' },
        { method: 'GET', path: '/admin-data' },
        { method: '*', path: '/admin/*', groups: ['admin'] },
        { method: 'GET', path: '/orders/:id', scopes: ['orders/read'] },
        { method: 'GET', path: '/profile', auth: 'id' },
        { method: '*', path: '/api/*' },
      ],
    },
    { clock: f.server.clock },
  );
  url = await gateway.listen();
});

afterAll(async () => {
  await gateway?.close();
  await new Promise((resolve) => (upstream ? upstream.close(resolve) : resolve(undefined)));
  await f?.close();
});

async function call(path: string, init: { token?: string; headers?: Record<string, string>; method?: string; body?: Buffer } = {}) {
  const response = await fetch(`${url}${path}`, {
    method: init.method ?? 'GET',
    headers: { ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...init.headers },
    ...(init.body ? { body: new Uint8Array(init.body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as any) : undefined };
}

/** The status for a request line sent verbatim (node:http does not touch the path). */
function rawStatus(path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${url}/`, { path, method: 'GET' }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', reject);
    request.end();
  });
}

describe('the gateway', () => {
  it('forwards an authorized request with the claims in headers', async () => {
    const { status, body, headers } = await call('/api/things?x=1', { token: f.plain.AccessToken });
    expect(status).toBe(200);
    expect(headers.get('x-upstream')).toBe('yes');
    expect(body.url).toBe('/api/things?x=1');
    expect(JSON.parse(body.headers['x-frontdesk-claims'])).toMatchObject({ username: 'alice', client_id: f.clientA, token_use: 'access' });
    expect(body.headers['x-frontdesk-username']).toBe('alice');
    expect(body.headers['x-frontdesk-sub']).toBe(JSON.parse(body.headers['x-frontdesk-claims']).sub);
    // The token itself still goes upstream, as API Gateway forwards it.
    expect(body.headers.authorization).toBe(`Bearer ${f.plain.AccessToken}`);
  });

  it('strips claim headers a client sends, with or without a token', async () => {
    const forged = { 'x-frontdesk-claims': '{"username":"root","cognito:groups":["admin"]}', 'x-frontdesk-groups': 'admin', 'X-Frontdesk-Sub': 'root' };
    const open = await call('/public/page', { headers: forged });
    expect(open.status).toBe(200);
    expect(Object.keys(open.body.headers).filter((name) => name.startsWith('x-frontdesk-'))).toEqual([]);
    const authed = await call('/api/me', { token: f.plain.AccessToken, headers: forged });
    expect(JSON.parse(authed.body.headers['x-frontdesk-claims']).username).toBe('alice');
    expect(authed.body.headers['x-frontdesk-groups']).toBeUndefined();
  });

  it('answers 401 itself for missing, invalid, expired, forged tokens; the upstream never sees them', async () => {
    const before = upstreamRequests.length;
    expect(await call('/api/x')).toMatchObject({ status: 401, body: { message: 'Unauthorized' } });
    expect((await call('/api/x')).headers.get('www-authenticate')).toBe('Bearer');
    for (const token of [
      f.viaB.AccessToken,
      f.plain.IdToken,
      tampered(f.plain.AccessToken, { username: 'root' }),
      unsecured(f.plain.AccessToken),
      withUnknownKid(f.plain.AccessToken),
      ...(await hs256WithPublicKey(f.plain.AccessToken, `${f.issuer}/.well-known/jwks.json`)),
    ]) {
      const answer = await call('/api/x', { token });
      expect(answer).toMatchObject({ status: 401, body: { message: 'Unauthorized' } });
      expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    }
    f.server.clock.advance(HOUR_MS + 1000);
    try {
      const expired = await call('/api/x', { token: f.plain.AccessToken });
      expect(expired.status).toBe(401);
      expect(expired.headers.get('www-authenticate')).toContain('the token has expired');
    } finally {
      f.server.clock.advance(-(HOUR_MS + 1000));
    }
    expect(upstreamRequests.length).toBe(before);
  });

  it('answers 403 for a valid token without the route’s scope or group', async () => {
    expect(await call('/orders/42', { token: f.plain.AccessToken })).toMatchObject({ status: 403, body: { message: 'Forbidden' } });
    expect(await call('/admin/report', { token: f.plain.AccessToken })).toMatchObject({ status: 403, body: { message: 'Forbidden' } });
  });

  it('lets a member of the group through to the admin routes', async (context) => {
    if (!f.admin) return context.skip(f.adminMissing);
    const { status, body } = await call('/admin/report', { token: f.admin.AccessToken });
    expect(status).toBe(200);
    expect(body.headers['x-frontdesk-groups']).toBe('admin');
  });

  it('runs the seed’s Lambda example behind it: admins get the data, others Access denied, no token 401', async (context) => {
    expect(await call('/admin-data')).toMatchObject({ status: 401 });
    expect(await call('/admin-data', { token: f.plain.AccessToken })).toMatchObject({ status: 403, body: 'Access denied' });
    if (!f.admin) return context.skip(f.adminMissing);
    expect(await call('/admin-data', { token: f.admin.AccessToken })).toMatchObject({ status: 200, body: 'Admin data' });
  });

  it('takes ID tokens on ID-token routes', async () => {
    const { status, body } = await call('/profile', { token: f.plain.IdToken });
    expect(status).toBe(200);
    expect(JSON.parse(body.headers['x-frontdesk-claims'])).toMatchObject({ token_use: 'id', 'cognito:username': 'alice' });
    expect((await call('/profile', { token: f.plain.AccessToken })).status).toBe(401);
  });

  it('normalizes plain targets without the URL parser, exactly as the parser would', () => {
    const targets = [
      '/', '/api', '/api/', '/api/orders', '/api/orders?limit=3', '/api/orders?', '/a.b/c-d_e~f', '/a?x=1&y=%20z',
      "/a?q='quoted'", '/a?q=<b>', '/a?q=a b', '/a/./b', '/a/../b', '/a//b', '/%61', '/a#frag', '/a?x#y', '/.', '/..', '/a/.../b',
      '/a?x=/../y', '/a?x=%zz', '/caf\u00e9', '/a;b', '/a?u=%E2%82%AC',
    ];
    for (const target of targets) expect([target, normalize(target)]).toEqual([target, parsedTarget(target)]);
    // Random plain targets too.
    const alphabet = 'ab.-_~/?=&%';
    for (let i = 0; i < 2000; i++) {
      let target = '/';
      for (let n = Math.floor(Math.random() * 12); n > 0; n--) target += alphabet[Math.floor(Math.random() * alphabet.length)];
      expect([target, normalize(target)]).toEqual([target, parsedTarget(target)]);
    }
  });

  it('matches routes on the normalized path, which is what goes upstream', async () => {
    // Resolved to /admin/report: 401 without a token.
    expect((await call('/public/../admin/report')).status).toBe(401);
    expect((await call('/%61dmin/report')).status).toBe(401);
    expect((await call('//admin//report')).status).toBe(401);
    expect((await call('/public/%2e%2e/admin/report')).status).toBe(401);
    const { body } = await call('/public/%7Euser/a%2Fb');
    expect(body.url).toBe('/public/~user/a%2Fb');
    expect((await call('/elsewhere')).status).toBe(404);
    expect((await call('/public/x', { method: 'POST' })).status).toBe(404);
    expect(normalize('/a/./b/../c')).toMatchObject({ path: '/a/c', segments: ['a', 'c'] });
    // fetch resolves dot segments itself; a raw client does not.
    for (const raw of ['/public/../admin/report', '/public/%2e%2e/admin/report', '/public/.%2E/admin/report', '//admin//report', '/%61dmin/report']) {
      expect([raw, await rawStatus(raw)]).toEqual([raw, 401]);
    }
    expect(await rawStatus('*')).toBe(400);
  });

  it('streams request bodies upstream unchanged', async () => {
    const body = randomBytes(3 * 1024 * 1024);
    const { status, body: echoed } = await call('/api/upload', { method: 'POST', token: f.plain.AccessToken, body });
    expect(status).toBe(200);
    expect(echoed).toMatchObject({ method: 'POST', length: body.length, sha256: createHash('sha256').update(body).digest('hex') });
  });

  it('answers 504 when the upstream is too slow, 502 when it is down', async () => {
    expect(await call('/slow')).toMatchObject({ status: 504, body: { message: 'Endpoint request timed out' } });
    const down = createGateway({ upstream: 'http://127.0.0.1:1', tokens: { issuer: f.issuer }, routes: [{ method: '*', path: '/*', auth: 'none' }], listen: { port: 0 } });
    const downUrl = await down.listen();
    try {
      const response = await fetch(`${downUrl}/x`);
      expect(response.status).toBe(502);
      expect(await response.json()).toEqual({ message: 'Bad Gateway' });
    } finally {
      await down.close();
    }
  });

  it('refuses configurations that would open routes by mistake', () => {
    const base = { upstream: 'http://127.0.0.1:1', tokens: { issuer: 'http://x/y' } };
    expect(() => checkGatewayConfig({ ...base, routes: [] })).toThrow(/routes/);
    expect(() => checkGatewayConfig({ ...base, routes: [{ method: 'get', path: '/x' }] })).toThrow(/method/);
    expect(() => checkGatewayConfig({ ...base, routes: [{ method: 'GET', path: '/a*' }] })).toThrow(/path/);
    expect(() => checkGatewayConfig({ ...base, routes: [{ method: 'GET', path: '/x', auth: 'none', groups: ['admin'] }] })).toThrow(/without auth/);
    expect(() => checkGatewayConfig({ ...base, upstream: 'https://x', routes: [{ method: 'GET', path: '/x' }] })).toThrow(/http:/);
  });
});
