// What every `frontdesk` subcommand module exports.

export interface Command {
  summary: string;
  usage: string;
  run(args: string[]): Promise<void>;
}

/** Thrown by a command for a mistake in its arguments: printed with the usage, exit status 2. */
export class UsageError extends Error {}
