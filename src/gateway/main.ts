// `node dist/src/gateway/main.js gateway.json` (or `npx tsx src/gateway/main.ts gateway.json`):
// runs the gateway with a JSON config (see docs/authorizer.md) until SIGINT/SIGTERM.
import { readFileSync } from 'node:fs';
import { createGateway } from './gateway.js';

const file = process.argv[2];
if (!file) {
  console.error('usage: frontdesk-gateway <config.json>');
  process.exit(2);
}
const gateway = createGateway(JSON.parse(readFileSync(file, 'utf8')));
const url = await gateway.listen();
console.log(JSON.stringify({ msg: 'gateway listening', url }));
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    gateway.close().then(() => process.exit(0));
  });
}
