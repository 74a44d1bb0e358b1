import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  bearerToken,
  createVerifier,
  failureResponse,
  MissingTokenError,
  type AccessTokenClaims,
  type IdTokenClaims,
  type Requirements,
  type Verifier,
} from '../verify/index.js';
import { checkGatewayConfig, type GatewayConfig } from './config.js';
import { Upstream, type RequestBody } from './upstream.js';
import { HOP_BY_HOP } from './upstream-response.js';

// Gateway mode: a reverse proxy in front of any HTTP API that does what API Gateway's Cognito
// authorizer does. Each request is matched to a route (method + path); a route that needs a token
// gets it verified with frontdesk/verify (401/403/503 as the middleware answers), and the request
// then goes upstream with the claims in headers. Incoming headers of those names are always
// removed first, so a client cannot forge them. Bodies stream both ways; upstream connections are
// kept alive (upstream.ts, its own HTTP/1.1 client); an upstream that fails is 502, one that takes
// too long 504.
//
// The path that routes are matched on is the path sent upstream: dot segments resolved, repeated
// slashes collapsed, escapes of unreserved characters decoded (`/%61dmin` is `/admin`), so the
// gateway and the upstream cannot disagree about which route a request is.

/** JSON of all the claims, as API Gateway's `requestContext.authorizer.claims`. Non-ASCII is \u-escaped. */
export const CLAIMS_HEADER = 'x-frontdesk-claims';
export const SUB_HEADER = 'x-frontdesk-sub';
export const USERNAME_HEADER = 'x-frontdesk-username';
/** Comma-separated `cognito:groups`. */
export const GROUPS_HEADER = 'x-frontdesk-groups';
/** Every incoming header with this prefix is dropped. */
export const RESERVED_PREFIX = 'x-frontdesk-';

export interface GatewayDeps {
  /** Where "now" comes from for token expiry (tests move it). */
  clock?: { now(): Date | number };
  fetch?: typeof globalThis.fetch;
}

export interface Gateway {
  server: Server;
  /** Listens (on config.listen, default 127.0.0.1:8080) and returns the base URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

interface CompiledRoute {
  method: string;
  segments: string[];
  rest: boolean;
  verifier?: Verifier;
  requirements?: Requirements;
}

export function createGateway(input: GatewayConfig, deps: GatewayDeps = {}): Gateway {
  const config = checkGatewayConfig(input);
  const upstreamUrl = new URL(config.upstream);
  const upstreamBase = upstreamUrl.pathname.replace(/\/+$/, '');
  const upstreamHost = upstreamUrl.host;
  const upstream = new Upstream({
    // A URL's IPv6 host is bracketed; a socket's is not.
    host: upstreamUrl.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: Number(upstreamUrl.port || 80),
    maxConnections: config.upstreamConnections ?? 256,
    timeoutMs: (config.upstreamTimeoutSeconds ?? 29) * 1000,
  });

  const { clientId, ...issuer } = config.tokens;
  const verifiers = new Map<string, Verifier>();
  const verifierFor = (tokenUse: 'access' | 'id'): Verifier => {
    let verifier = verifiers.get(tokenUse);
    if (!verifier) {
      verifier = createVerifier(issuer, {
        tokenUse,
        ...(clientId !== undefined ? { clientId } : {}),
        cacheVerified: config.cacheVerified ?? true,
        clockToleranceSeconds: config.clockToleranceSeconds ?? 0,
        ...(config.introspection && tokenUse === 'access' ? { introspection: config.introspection } : {}),
        ...(deps.clock ? { clock: deps.clock } : {}),
        ...(deps.fetch ? { fetch: deps.fetch } : {}),
      });
      verifiers.set(tokenUse, verifier);
    }
    return verifier;
  };
  const routes: CompiledRoute[] = config.routes.map((route) => {
    const rest = route.path.endsWith('/*');
    const segments = (rest ? route.path.slice(0, -2) : route.path).split('/').filter(Boolean);
    const auth = route.auth ?? 'access';
    return {
      method: route.method,
      segments,
      rest,
      ...(auth === 'none'
        ? {}
        : {
            verifier: verifierFor(auth),
            requirements: { ...(route.scopes ? { scopes: route.scopes } : {}), ...(route.groups ? { groups: route.groups } : {}) },
          }),
    };
  });

  const match = (method: string, segments: string[]): CompiledRoute | undefined =>
    routes.find((route) => {
      if (route.method !== '*' && route.method !== method) return false;
      if (route.rest ? segments.length < route.segments.length : segments.length !== route.segments.length) return false;
      return route.segments.every((pattern, i) => pattern.startsWith(':') || pattern === segments[i]);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const target = normalize(req.url ?? '/');
    if (!target) return reply(res, 400, { message: 'Bad Request' });
    const route = match(req.method ?? 'GET', target.segments);
    if (!route) return reply(res, 404, { message: 'Not Found' });
    let claims: AccessTokenClaims | IdTokenClaims | undefined;
    if (route.verifier) {
      try {
        const token = bearerToken(req.headers.authorization);
        if (token === undefined) throw new MissingTokenError('The request has no bearer token.');
        claims = (await route.verifier.verify(token, route.requirements)) as AccessTokenClaims | IdTokenClaims;
      } catch (error) {
        const failure = failureResponse(error);
        if (!failure) throw error;
        return reply(res, failure.status, failure.body, failure.headers);
      }
    }
    forward(req, res, target.path + target.search, claims);
  };

  const forward = (req: IncomingMessage, res: ServerResponse, path: string, claims: AccessTokenClaims | IdTokenClaims | undefined) => {
    const request = upstreamRequest(req, upstreamBase + path, upstreamHost, claims);
    // node:http decodes only `chunked`; any other transfer coding (gzip, …) would reach the
    // upstream as if it were the body itself (RFC 9112 §6.1: 501).
    if (!request) return reply(res, 501, { message: 'Not Implemented' });
    upstream.forward(req, res, request.head, request.body);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) reply(res, 500, { message: 'Internal Server Error' });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;

  return {
    server,
    listen: () =>
      new Promise<string>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.listen?.port ?? 8080, config.listen?.host ?? '127.0.0.1', () => {
          const address = server.address() as AddressInfo;
          resolve(`http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`);
        });
      }),
    close: () =>
      new Promise<void>((resolve) => {
        upstream.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * The request head that goes upstream: the client's headers as they came (names' case and repeats
 * kept), minus hop-by-hop ones, those the Connection header names, Host (the upstream's own goes
 * instead) and every `x-frontdesk-` header (only the gateway may set those); plus X-Forwarded-*
 * and the claims. The body is framed as the client framed it: its Content-Length, or chunked.
 * Undefined for a body in a transfer coding other than chunked.
 */
function upstreamRequest(
  req: IncomingMessage,
  path: string,
  host: string,
  claims: AccessTokenClaims | IdTokenClaims | undefined,
): { head: string; body: RequestBody } | undefined {
  const raw = req.rawHeaders;
  const named = connectionTokens(req.headers.connection);
  let head = `${req.method} ${path} HTTP/1.1\r\nhost: ${host}\r\n`;
  let forwardedFor = '';
  let chunked = false;
  let length = false;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const lower = name.toLowerCase();
    if (lower === 'x-forwarded-for') {
      forwardedFor = forwardedFor ? `${forwardedFor}, ${raw[i + 1]}` : raw[i + 1]!;
      continue;
    }
    if (lower === 'transfer-encoding') {
      if (raw[i + 1]!.trim().toLowerCase() !== 'chunked') return undefined;
      chunked = true;
    } else if (lower === 'content-length') length = true;
    // Node has already answered `Expect: 100-continue` itself.
    if (HOP_BY_HOP.has(lower) || lower === 'host' || lower === 'expect' || lower.startsWith(RESERVED_PREFIX) || named?.has(lower)) continue;
    head += `${name}: ${raw[i + 1]}\r\n`;
  }
  const client = req.socket.remoteAddress ?? '';
  head += `x-forwarded-for: ${forwardedFor ? `${forwardedFor}, ${client}` : client}\r\nx-forwarded-proto: http\r\n`;
  if (req.headers.host) head += `x-forwarded-host: ${req.headers.host}\r\n`;
  if (claims) head += claimHeaders(claims);
  // node:http refuses a request with both Transfer-Encoding and Content-Length: at most one applies.
  const body: RequestBody = chunked ? 'chunked' : length ? 'length' : 'none';
  if (body === 'chunked') head += 'transfer-encoding: chunked\r\n';
  return { head: `${head}\r\n`, body };
}

/** Header names listed in a Connection header (hop-by-hop by declaration); undefined for the usual values. */
function connectionTokens(value: string | undefined): ReadonlySet<string> | undefined {
  if (value === undefined || value === 'keep-alive' || value === 'close' || value === 'Keep-Alive') return undefined;
  return new Set(value.toLowerCase().split(',').map((t) => t.trim()).filter(Boolean));
}

/**
 * The claims headers of a token, as lines of a request head. Verified claims are frozen, and the
 * verifier's cache hands back the same object for a token seen again, so they are built once per
 * token, not once per request.
 */
const claimHeaderCache = new WeakMap<object, string>();

function claimHeaders(claims: AccessTokenClaims | IdTokenClaims): string {
  let lines = claimHeaderCache.get(claims);
  if (lines === undefined) {
    lines = `${CLAIMS_HEADER}: ${asciiJson(claims)}\r\n${SUB_HEADER}: ${asciiHeader(claims.sub)}\r\n`;
    const username = claims.token_use === 'access' ? claims.username : claims['cognito:username'];
    if (typeof username === 'string') lines += `${USERNAME_HEADER}: ${asciiHeader(username)}\r\n`;
    const groups = claims['cognito:groups'];
    if (groups?.length) lines += `${GROUPS_HEADER}: ${asciiHeader(groups.join(','))}\r\n`;
    claimHeaderCache.set(claims, lines);
  }
  return lines;
}

/** JSON with every non-ASCII character escaped, so it is a valid header value. */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A plain header value: non-ASCII percent-encoded (a username may be any Unicode). */
function asciiHeader(value: string): string {
  return /^[\x20-\x7e]*$/.test(value) ? value : encodeURIComponent(value);
}

const UNRESERVED = /[A-Za-z0-9\-._~]/;

/**
 * The path routes are matched on and that goes upstream, or undefined for a path that cannot be
 * made safe (a dot segment smuggled through escapes, a bad escape).
 */
export function normalize(rawUrl: string): { path: string; search: string; segments: string[] } | undefined {
  return simpleTarget(rawUrl) ?? parsedTarget(rawUrl);
}

/** Paths of plain segments (no escapes, no empty or dot segments) and queries of characters the URL parser keeps as they are. */
const SIMPLE_PATH = /^(?:\/[A-Za-z0-9\-._~]+)*\/?$/;
const SIMPLE_QUERY = /^[A-Za-z0-9\-._~!$&()*+,;=:@/?%]*$/;

/**
 * The common case without the URL parser (it is a measurable part of the gateway's cost per
 * request): a target that parsing would leave unchanged. Anything else goes the long way.
 */
function simpleTarget(rawUrl: string): { path: string; search: string; segments: string[] } | undefined {
  const q = rawUrl.indexOf('?');
  const path = q === -1 ? rawUrl : rawUrl.slice(0, q);
  const query = q === -1 ? '' : rawUrl.slice(q + 1);
  if (!SIMPLE_PATH.test(path) || !SIMPLE_QUERY.test(query)) return undefined;
  const segments = path.split('/').filter(Boolean);
  if (segments.some((segment) => segment === '.' || segment === '..')) return undefined;
  return { path, search: query === '' ? '' : `?${query}`, segments };
}

/** The general case, through the WHATWG URL parser (exported so tests can hold the fast path to it). */
export function parsedTarget(rawUrl: string): { path: string; search: string; segments: string[] } | undefined {
  let url: URL;
  try {
    // Origin-form (`/path`) is appended to a base rather than resolved against it, so that
    // `//admin` stays a path instead of becoming a host.
    if (rawUrl.startsWith('/')) url = new URL(`http://gateway.invalid${rawUrl}`);
    else if (/^https?:\/\//i.test(rawUrl)) url = new URL(rawUrl);
    else return undefined;
  } catch {
    return undefined;
  }
  const path = url.pathname
    .replace(/%([0-9A-Fa-f]{2})/g, (escape, hex: string) => {
      const char = String.fromCharCode(parseInt(hex, 16));
      return UNRESERVED.test(char) ? char : escape.toUpperCase();
    })
    .replace(/\/{2,}/g, '/');
  const segments = path.split('/').filter(Boolean);
  if (segments.some((segment) => segment === '.' || segment === '..')) return undefined;
  return { path, search: url.search, segments };
}
