#!/usr/bin/env node
// The `frontdesk` command. One entry point for everything an operator runs:
//
//   frontdesk [serve]                 the server (the same as `npm start`)
//   frontdesk gateway <config.json>   the authorizing reverse proxy (docs/authorizer.md)
//   frontdesk users export|import     lossless user transfer with a running server (docs/user-transfer.md)
//   frontdesk help
//
// Each subcommand lives in its own module and is loaded only when asked for, so `frontdesk gateway`
// never opens a database and `frontdesk serve` never loads the gateway.

import { UsageError, type Command } from './command.js';

const commands: Record<string, () => Promise<Command>> = {
  serve: async () => (await import('./serve-command.js')).serveCommand,
  gateway: async () => (await import('./gateway-command.js')).gatewayCommand,
  users: async () => (await import('./users-command.js')).usersCommand,
};

async function main(argv: string[]): Promise<void> {
  const [name = 'serve', ...args] = argv;
  if (name === 'help' || name === '--help' || name === '-h') return printHelp();
  const load = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!load) {
    process.stderr.write(`frontdesk: unknown command '${name}'\n\n`);
    await printHelp(process.stderr);
    process.exit(2);
  }
  const command = await load();
  try {
    await command.run(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`frontdesk ${name}: ${error.message}\nusage: ${command.usage}\n`);
    process.exit(2);
  }
}

async function printHelp(out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const lines = ['usage: frontdesk <command> [arguments]', '', 'commands:'];
  for (const load of Object.values(commands)) {
    const command = await load();
    lines.push(`  ${command.usage.padEnd(44)} ${command.summary}`);
  }
  out.write(`${lines.join('\n')}\n`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`frontdesk: ${(error as Error)?.message ?? String(error)}\n`);
  process.exit(1);
});
