import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import express from 'express';
import { Hono } from 'hono';
import {
  authorize,
  bearerToken,
  createVerifier,
  expressAuthorizer,
  failureResponse,
  fastifyAuthorizer,
  honoAuthorizer,
  type Requirements,
  type Verifier,
} from '../src/verify/index.js';
import { hs256WithPublicKey, resignedWithOwnKey, startVerifyFixture, tampered, unsecured, withUnknownKid, type VerifyFixture } from './support/verify-fixtures.js';
import { HOUR_MS } from './support/cognito.js';

// The authorizer middleware with real tokens, in Fastify, Express and Hono apps: the same routes,
// the same requests, API Gateway's answers (401 + `WWW-Authenticate: Bearer error="invalid_token"`,
// 403 for a valid token without the scope or group, 503 when the keys cannot be had).

let f: VerifyFixture;
let access: Verifier<'access'>;
let id: Verifier<'id'>;
let broken: Verifier<'access'>;

interface Route {
  path: string;
  verifier: () => Verifier;
  requirements?: Requirements;
}

const ROUTES: Route[] = [
  { path: '/me', verifier: () => access },
  { path: '/orders', verifier: () => access, requirements: { scopes: ['orders/read'] } },
  { path: '/admin', verifier: () => access, requirements: { groups: ['admin'] } },
  { path: '/profile', verifier: () => id },
  { path: '/broken', verifier: () => broken },
];

interface Answer {
  status: number;
  wwwAuthenticate: string | undefined;
  body: any;
}

type Drive = (path: string, authorization?: string) => Promise<Answer>;

let fastify: FastifyInstance;
let expressServer: Server;
const drivers: Record<'fastify' | 'express' | 'hono', Drive> = {} as never;

beforeAll(async () => {
  f = await startVerifyFixture();
  const common = { clientId: f.clientA, clock: f.server.clock, cacheVerified: true } as const;
  access = createVerifier({ userPoolId: f.poolId, endpoint: f.server.url }, { tokenUse: 'access', ...common });
  id = createVerifier({ userPoolId: f.poolId, endpoint: f.server.url }, { tokenUse: 'id', ...common });
  broken = createVerifier({ issuer: 'http://127.0.0.1:1/us-east-1_Nowhere' }, { tokenUse: 'access', jwksTimeoutSeconds: 1 });

  // Fastify: a preHandler per route.
  fastify = Fastify();
  fastify.decorateRequest('claims', null);
  for (const route of ROUTES) {
    fastify.get(route.path, { preHandler: fastifyAuthorizer(route.verifier(), route.requirements) }, async (request) => ({
      claims: (request as unknown as { claims: unknown }).claims,
    }));
  }
  await fastify.ready();
  drivers.fastify = async (path, authorization) => {
    const response = await fastify.inject({ method: 'GET', url: path, headers: authorization === undefined ? {} : { authorization } });
    return { status: response.statusCode, wwwAuthenticate: response.headers['www-authenticate'] as string | undefined, body: response.json() };
  };

  // Express: middleware before the handler, over a real socket.
  const app = express();
  for (const route of ROUTES) {
    app.get(route.path, expressAuthorizer(route.verifier(), route.requirements), (req, res) => {
      res.json({ claims: (req as unknown as { claims: unknown }).claims });
    });
  }
  expressServer = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const expressUrl = `http://127.0.0.1:${(expressServer.address() as AddressInfo).port}`;
  drivers.express = async (path, authorization) => {
    const response = await fetch(`${expressUrl}${path}`, { headers: authorization === undefined ? {} : { authorization } });
    return { status: response.status, wwwAuthenticate: response.headers.get('www-authenticate') ?? undefined, body: await response.json() };
  };

  // Hono: middleware, driven through app.request (a Fetch Request).
  const hono = new Hono<{ Variables: { claims: unknown } }>();
  for (const route of ROUTES) {
    hono.get(route.path, honoAuthorizer(route.verifier(), route.requirements), (c) => c.json({ claims: c.get('claims') }));
  }
  drivers.hono = async (path, authorization) => {
    const response = await hono.request(path, { headers: authorization === undefined ? {} : { authorization } });
    return { status: response.status, wwwAuthenticate: response.headers.get('www-authenticate') ?? undefined, body: await response.json() };
  };
});

afterAll(async () => {
  await fastify?.close();
  await new Promise((resolve) => (expressServer ? expressServer.close(resolve) : resolve(undefined)));
  await f?.close();
});

const INVALID = /^Bearer error="invalid_token", error_description="[^"]+"$/;
const ok = (username: string) => ({ status: 200, body: { claims: expect.objectContaining({ username }) } });
const unauthorized = (description?: string) => ({
  status: 401,
  wwwAuthenticate: description ? `Bearer error="invalid_token", error_description="${description}"` : expect.stringMatching(INVALID),
  body: { message: 'Unauthorized' },
});
const forbidden = { status: 403, wwwAuthenticate: expect.stringMatching(/^Bearer error="insufficient_scope"/), body: { message: 'Forbidden' } };

describe.each(['fastify', 'express', 'hono'] as const)('%s', (framework) => {
  const drive = (path: string, authorization?: string) => drivers[framework](path, authorization);
  const bearer = (token: string) => `Bearer ${token}`;

  it('lets a valid access token through with its claims', async () => {
    expect(await drive('/me', bearer(f.plain.AccessToken))).toMatchObject(ok('alice'));
    // API Gateway's Cognito authorizer also takes the bare token, and the scheme is case-insensitive.
    expect(await drive('/me', f.plain.AccessToken)).toMatchObject(ok('alice'));
    expect(await drive('/me', `bearer   ${f.plain.AccessToken}`)).toMatchObject(ok('alice'));
  });

  it('answers 401 with a bare Bearer challenge when there is no token', async () => {
    for (const authorization of [undefined, '', 'Basic YWxpY2U6c2VjcmV0', 'Bearer']) {
      expect(await drive('/me', authorization)).toMatchObject({ status: 401, wwwAuthenticate: 'Bearer', body: { message: 'Unauthorized' } });
    }
  });

  it('answers 401 invalid_token for an expired token', async () => {
    f.server.clock.advance(HOUR_MS + 1000);
    try {
      expect(await drive('/me', bearer(f.plain.AccessToken))).toMatchObject(unauthorized('the token has expired'));
    } finally {
      f.server.clock.advance(-(HOUR_MS + 1000));
    }
  });

  it('answers 401 for a token of another client, and for the wrong token use', async () => {
    expect(await drive('/me', bearer(f.viaB.AccessToken))).toMatchObject(unauthorized('the token was issued to another client'));
    expect(await drive('/me', bearer(f.plain.IdToken))).toMatchObject(unauthorized('the token is not of the required use'));
    expect(await drive('/profile', bearer(f.plain.AccessToken))).toMatchObject(unauthorized('the token is not of the required use'));
    expect(await drive('/profile', bearer(f.plain.IdToken))).toMatchObject({ status: 200, body: { claims: expect.objectContaining({ 'cognito:username': 'alice' }) } });
  });

  it('answers 403 for a valid token without the required scope', async () => {
    const answer = await drive('/orders', bearer(f.plain.AccessToken));
    expect(answer).toMatchObject(forbidden);
    expect(answer.wwwAuthenticate).toContain('scope="orders/read"');
  });

  it('answers 403 for a valid token without the required group, 200 with it', async (context) => {
    expect(await drive('/admin', bearer(f.plain.AccessToken))).toMatchObject(forbidden);
    if (!f.admin) return context.skip(f.adminMissing);
    expect(await drive('/admin', bearer(f.admin.AccessToken))).toMatchObject(ok('root'));
  });

  it('answers 401 for forgeries: signature, alg none, HS256 with the public key, unknown kid', async () => {
    expect(await drive('/me', bearer(tampered(f.plain.AccessToken, { username: 'root' })))).toMatchObject(unauthorized('the token signature is invalid'));
    expect(await drive('/me', bearer(resignedWithOwnKey(f.plain.AccessToken)))).toMatchObject(unauthorized('the token signature is invalid'));
    expect(await drive('/me', bearer(unsecured(f.plain.AccessToken)))).toMatchObject(unauthorized('the token signature is invalid'));
    for (const forged of await hs256WithPublicKey(f.plain.AccessToken, `${f.issuer}/.well-known/jwks.json`)) {
      expect(await drive('/me', bearer(forged))).toMatchObject(unauthorized('the token signature is invalid'));
    }
    expect(await drive('/me', bearer(withUnknownKid(f.plain.AccessToken)))).toMatchObject(unauthorized('the token was signed by an unknown key'));
    expect(await drive('/me', bearer('not-a-jwt'))).toMatchObject(unauthorized('the token is malformed'));
  });

  it('answers 503 when the issuer’s keys cannot be had', async () => {
    expect(await drive('/broken', bearer(f.plain.AccessToken))).toMatchObject({ status: 503, body: { message: 'Service Unavailable' } });
  });
});

describe('the generic helpers', () => {
  it('bearerToken reads Bearer and bare tokens, nothing else', () => {
    expect(bearerToken('Bearer a.b.c')).toBe('a.b.c');
    expect(bearerToken('BEARER a.b.c')).toBe('a.b.c');
    expect(bearerToken(['Bearer a.b.c', 'Bearer d.e.f'])).toBe('a.b.c');
    expect(bearerToken('a.b.c')).toBe('a.b.c');
    for (const value of [undefined, null, '', ' ', 'Bearer', 'Bearer a b', 'Basic abc', 'Token a.b.c']) expect(bearerToken(value)).toBeUndefined();
  });

  it('authorize takes Node header records and Fetch Headers alike', async () => {
    await expect(authorize(access, { headers: { authorization: `Bearer ${f.plain.AccessToken}` } })).resolves.toMatchObject({ username: 'alice' });
    await expect(authorize(access, new Request('http://x/', { headers: { authorization: `Bearer ${f.plain.AccessToken}` } }))).resolves.toMatchObject({ username: 'alice' });
    const missing = await authorize(access, { headers: {} }).catch((e: unknown) => e);
    expect(failureResponse(missing)).toMatchObject({ status: 401, reason: 'missingToken', headers: { 'www-authenticate': 'Bearer' } });
  });

  it('failureResponse leaves errors that are not refusals to the framework', () => {
    expect(failureResponse(new Error('database down'))).toBeUndefined();
  });
});
