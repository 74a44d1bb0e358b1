import { join } from 'node:path';
import { loadConfig, ConfigError, publicUrlOf } from './config/config.js';
import { resolveMasterKey } from './config/master-key.js';
import { resolveAdminCredentials, credentialsBanner } from './config/admin-credentials.js';
import { SecretBox } from './crypto/secret-box.js';
import { openStore } from './store/store.js';
import { buildApp } from './app.js';
import { systemClock } from './domain/clock.js';
import { Janitor } from './domain/maintenance/janitor.js';

/** How long in-flight requests get to finish after SIGTERM. */
const SHUTDOWN_DEADLINE_MS = 10_000;

/** Loads config, opens and migrates the store, builds the app, listens; stops cleanly on SIGTERM. */
async function main(): Promise<void> {
  const config = loadConfig();
  const secrets = new SecretBox(resolveMasterKey(config));
  const store = await openStore({
    databaseUrl: config.databaseUrl,
    sqliteFile: join(config.dataDir, 'frontdesk.sqlite'),
    secrets,
  });
  const admin = await resolveAdminCredentials(config, store.settings, secrets, systemClock.now());
  const app = await buildApp({
    config,
    store,
    clock: systemClock,
    secrets,
    lookupSecret: (id) => (id === admin.accessKeyId ? admin.secretAccessKey : undefined),
    logger: {
      level: config.logLevel,
      redact: ['req.headers.authorization', 'req.headers["x-amz-security-token"]', 'req.headers.cookie'],
    },
  });

  const stopSweeping = new Janitor({ store, clock: systemClock }).start(app.log);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    // A request that never finishes must not keep the node alive past an orchestrator's grace period.
    setTimeout(() => app.server.closeAllConnections(), SHUTDOWN_DEADLINE_MS).unref();
    stopSweeping();
    try {
      await app.close(); // stops accepting, waits for in-flight requests
      await store.close();
      process.exit(0);
    } catch (error) {
      app.log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const endpoint = publicUrlOf(config, port);
  app.log.info({ endpoint, database: store.engine }, 'frontdesk listening');
  if (admin.generated) process.stdout.write(`${credentialsBanner(admin, endpoint, config.region)}\n`);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`frontdesk: ${error.message}\n`);
  } else {
    process.stderr.write(`frontdesk: failed to start: ${(error as Error).stack ?? String(error)}\n`);
  }
  process.exit(1);
});
