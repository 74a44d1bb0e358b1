import Fastify, { type FastifyInstance } from 'fastify';
import cors from '@fastify/cors';
import { randomUUID } from 'node:crypto';
import { awsJsonPlugin } from './api/protocol/aws-json-plugin.js';
import type { SecretLookup } from './api/protocol/sigv4-verifier.js';
import type { Store } from './store/store.js';
import type { SecretBox } from './crypto/secret-box.js';
import type { Clock } from './domain/clock.js';
import { createServices } from './domain/services.js';
import { publicUrlOf, type Config } from './config/config.js';
import { wellKnownPlugin } from './api/well-known/well-known-plugin.js';
import { introspectionPlugin } from './api/oauth2/introspection-plugin.js';
import { userImportUploadPlugin } from './api/user-import/upload-plugin.js';
import { oauthPlugin } from './api/oauth2/oauth-plugin.js';
import { tlsOptionsOf } from './config/tls.js';

export interface AppDeps {
  config: Readonly<Config>;
  store: Store;
  clock: Clock;
  /** The master-key box the store was opened with; the domain MACs codes and seals state with it. */
  secrets: SecretBox;
  /** Resolves SigV4 access key ids to secrets (the admin credentials). */
  lookupSecret: SecretLookup;
  /** pino options or false; tests usually pass false. */
  logger?: boolean | object;
  /**
   * The server's base URL, the prefix of token issuers. Default: config.publicUrl, else
   * http://<host>:<port actually listened on> (so port 0 works).
   */
  publicUrl?: () => string;
}

/** Largest accepted request body. Cognito's largest members (CSS, templates) are far below. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/** Builds the whole HTTP application. Never listens: `main` does, and tests listen on port 0. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const tls = tlsOptionsOf(deps.config);
  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: () => randomUUID(),
    // X-Forwarded-For is believed only from configured proxies (the client IP feeds risk decisions).
    trustProxy: deps.config.trustedProxies?.length ? [...deps.config.trustedProxies] : false,
    // HTTPS when certificate files are configured (the instance type is the same for our purposes).
    ...(tls ? { https: tls } : {}),
  }) as unknown as FastifyInstance;

  // Once shutdown starts, every answer closes its connection: otherwise a keep-alive client of a
  // request that was in flight holds app.close() open until its idle timeout.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
    app.server.closeIdleConnections();
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });

  // Every response carries the request id clients report in bug reports and retries log.
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-amzn-RequestId', request.id);
  });

  // Browser apps (Amplify) call the API cross-origin with AWS's headers; reflecting the requested
  // headers covers the open-ended amz-sdk-* family. No cookies are involved, so no credentials.
  await app.register(cors, {
    origin: '*',
    methods: ['GET', 'POST', 'OPTIONS'],
    exposedHeaders: ['x-amzn-RequestId', 'x-amzn-ErrorType', 'x-amzn-ErrorMessage', 'Date'],
    maxAge: 86400,
  });

  app.get('/health', async (_request, reply) => {
    try {
      await deps.store.ping();
      return { status: 'ok' };
    } catch (error) {
      app.log.error({ err: error }, 'health check failed');
      return reply.status(503).send({ status: 'unavailable' });
    }
  });

  let listeningUrl: string | undefined;
  const publicUrl =
    deps.publicUrl ??
    (() => {
      if (listeningUrl) return listeningUrl;
      const address = app.server.address();
      if (typeof address === 'object' && address) return (listeningUrl = publicUrlOf(deps.config, address.port));
      return publicUrlOf(deps.config, deps.config.port);
    });
  const services = createServices({
    store: deps.store,
    clock: deps.clock,
    config: deps.config,
    publicUrl,
    secrets: deps.secrets,
    log: app.log,
  });
  await app.register(wellKnownPlugin, { tokens: services.tokens });
  await app.register(introspectionPlugin, { introspection: services.introspection, bodyLimit: BODY_LIMIT_BYTES });
  await app.register(userImportUploadPlugin, { userImports: services.userImports });
  // Every node imports started user import jobs in the background (one node per job, by lease).
  app.addHook('onReady', async () => services.userImportRunner.start());
  app.addHook('onClose', async () => services.userImportRunner.stop());
  await app.register(oauthPlugin, {
    services,
    bodyLimit: BODY_LIMIT_BYTES,
    baseDomain: deps.config.hostedUiBaseDomain ?? 'auth.localhost',
    secrets: deps.secrets,
    publicUrl,
  });
  await app.register(awsJsonPlugin, {
    services,
    clock: deps.clock,
    lookupSecret: deps.lookupSecret,
    bodyLimit: BODY_LIMIT_BYTES,
  });
  return app;
}
