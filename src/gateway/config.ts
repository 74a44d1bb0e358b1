import type { IntrospectionOptions, IssuerOptions, TokenUse } from '../verify/index.js';

// The gateway's configuration: where it listens, the upstream API it fronts, whose tokens it
// accepts, and routes saying what each method + path needs. A JSON file (see docs/authorizer.md);
// validated here so that a mistake stops the gateway at boot rather than opening a route.

export interface GatewayRoute {
  /** An HTTP method, or `*` for any. */
  method: string;
  /**
   * `/exact/path`, `:name` for one segment, `*` as the last segment for the rest (also nothing):
   * `/orders/:id`, `/admin/*`, `/*`.
   */
  path: string;
  /** `none` forwards without a token; otherwise the token use required (default `access`). */
  auth?: 'none' | TokenUse;
  /** Access tokens only: at least one of these scopes. */
  scopes?: string[];
  /** At least one of these groups. */
  groups?: string[];
}

export interface GatewayConfig {
  listen?: { host?: string; port?: number };
  /** The upstream API's base URL (http only; path prefix allowed). */
  upstream: string;
  /** Whose tokens: `{ issuer }`, `{ userPoolId, endpoint }` (Frontdesk) or `{ userPoolId }` (Cognito). */
  tokens: IssuerOptions & { clientId?: string | string[] };
  routes: GatewayRoute[];
  /** Total time an upstream exchange may take before the gateway answers 504 (default 29 s, as API Gateway). */
  upstreamTimeoutSeconds?: number;
  /** Keep-alive connections to the upstream (default 256). */
  upstreamConnections?: number;
  /** Remember verified tokens until their expiry (default true). */
  cacheVerified?: boolean;
  /** Leeway for exp/nbf (default 0). */
  clockToleranceSeconds?: number;
  /**
   * Refuse revoked access tokens by asking Frontdesk (token introspection, a confidential client's
   * credentials); ID-token routes are not affected. See docs/authorizer.md.
   */
  introspection?: IntrospectionOptions;
}

const METHOD = /^(\*|[A-Z]+)$/;
const PATH = /^\/([^/?#*]+(\/[^/?#*]+)*)?(\/\*)?$|^\/\*$/;

/** Throws a TypeError naming the first problem. */
export function checkGatewayConfig(value: unknown): GatewayConfig {
  const config = value as GatewayConfig;
  if (!config || typeof config !== 'object') throw new TypeError('gateway config: not an object');
  let upstream: URL;
  try {
    upstream = new URL(config.upstream);
  } catch {
    throw new TypeError('gateway config: upstream must be a URL');
  }
  if (upstream.protocol !== 'http:') throw new TypeError('gateway config: upstream must be an http:// URL');
  if (!config.tokens || typeof config.tokens !== 'object') throw new TypeError('gateway config: tokens (issuer or userPoolId) is required');
  if (!Array.isArray(config.routes) || config.routes.length === 0) throw new TypeError('gateway config: routes must be a non-empty list');
  config.routes.forEach((route, i) => {
    const where = `gateway config: routes[${i}]`;
    if (typeof route.method !== 'string' || !METHOD.test(route.method)) throw new TypeError(`${where}.method must be an upper-case HTTP method or *`);
    if (typeof route.path !== 'string' || !PATH.test(route.path)) throw new TypeError(`${where}.path must look like /a/:b/* (no ?, #, or * except as the last segment)`);
    if (route.auth !== undefined && !['none', 'access', 'id'].includes(route.auth)) throw new TypeError(`${where}.auth must be none, access or id`);
    if (route.auth === 'none' && (route.scopes || route.groups)) throw new TypeError(`${where}: a route without auth cannot require scopes or groups`);
    if (route.auth === 'id' && route.scopes) throw new TypeError(`${where}: ID tokens carry no scopes`);
    for (const list of ['scopes', 'groups'] as const) {
      const names = route[list];
      if (names !== undefined && (!Array.isArray(names) || names.length === 0 || names.some((n) => typeof n !== 'string' || n === ''))) {
        throw new TypeError(`${where}.${list} must be a non-empty list of names`);
      }
    }
  });
  const timeout = config.upstreamTimeoutSeconds;
  if (timeout !== undefined && !(typeof timeout === 'number' && timeout > 0)) throw new TypeError('gateway config: upstreamTimeoutSeconds must be positive');
  return config;
}
