import type { Command } from './command.js';

export const serveCommand: Command = {
  summary: 'run the Frontdesk server (configured by FRONTDESK_* variables; see README)',
  usage: 'frontdesk serve',
  async run() {
    // The server module starts itself when loaded and handles its own errors and signals.
    await import('../main.js');
  },
};
