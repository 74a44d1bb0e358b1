import { readFileSync } from 'node:fs';
import { createGateway } from '../gateway/gateway.js';
import { UsageError, type Command } from './command.js';

export const gatewayCommand: Command = {
  summary: 'run the authorizing reverse proxy in front of an HTTP API',
  usage: 'frontdesk gateway <config.json>',
  async run(args) {
    const [file, ...extra] = args;
    if (!file || extra.length > 0) throw new UsageError('expected exactly one argument: the gateway config file');
    let config: unknown;
    try {
      config = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
    }
    let gateway;
    try {
      gateway = createGateway(config as Parameters<typeof createGateway>[0]);
    } catch (error) {
      if (error instanceof TypeError) throw new UsageError(error.message);
      throw error;
    }
    const url = await gateway.listen();
    process.stdout.write(`${JSON.stringify({ msg: 'gateway listening', url })}\n`);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => void gateway.close().then(() => process.exit(0)));
    }
  },
};
