// The server under benchmark, in its own process (as in production) with an event-loop delay
// monitor. The parent asks for the monitor's figures over IPC between scenarios.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { loadConfig } from '../src/config/config.js';
import { SecretBox } from '../src/crypto/secret-box.js';
import { openStore } from '../src/store/store.js';
import { buildApp } from '../src/app.js';
import { systemClock } from '../src/domain/clock.js';

const config = loadConfig();
const secrets = new SecretBox(config.masterKey ?? randomBytes(32));
const store = await openStore({ databaseUrl: config.databaseUrl, sqliteFile: join(config.dataDir, 'frontdesk.sqlite'), secrets });
const app = await buildApp({
  config,
  store,
  clock: systemClock,
  secrets,
  lookupSecret: (id) => (id === config.adminAccessKeyId ? config.adminSecretAccessKey : undefined),
  logger: false,
});
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
const histogram = monitorEventLoopDelay({ resolution: 5 });
histogram.enable();

process.on('message', (message: string) => {
  if (message === 'stats') {
    process.send!({ maxMs: histogram.max / 1e6, p99Ms: histogram.percentile(99) / 1e6 });
    histogram.reset();
  } else if (message === 'stop') {
    void app.close().then(() => store.close()).then(() => process.exit(0));
  }
});
process.send!({ port: typeof address === 'object' && address ? address.port : 0 });
