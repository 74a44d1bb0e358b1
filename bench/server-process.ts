// Starts bench-server.ts in its own process over a given database, with fresh admin credentials,
// and talks to it over IPC. Shared by the end-to-end benches.
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { TestDatabase } from '../test/support/test-database.js';

export interface BenchServer {
  port: number;
  /** The server process's id (to read its CPU time). */
  pid: number;
  admin: { accessKeyId: string; secretAccessKey: string };
  /** The next IPC message from the server (its event-loop figures, after a 'stats' request). */
  nextMessage<T>(): Promise<T>;
  send(message: string): void;
  stop(): Promise<void>;
}

export async function startBenchServer(database: TestDatabase): Promise<BenchServer> {
  const admin = { accessKeyId: 'FDAKBENCH000000000000', secretAccessKey: randomBytes(24).toString('base64') };
  const child: ChildProcess = fork(fileURLToPath(new URL('./bench-server.ts', import.meta.url)), [], {
    // BENCH_SERVER_ARGS=--cpu-prof profiles the server.
    execArgv: ['--import', 'tsx', ...(process.env.BENCH_SERVER_ARGS?.split(' ').filter(Boolean) ?? [])],
    env: {
      ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('FRONTDESK_'))),
      FRONTDESK_DATA_DIR: database.dataDir,
      FRONTDESK_MASTER_KEY: randomBytes(32).toString('hex'),
      FRONTDESK_ADMIN_ACCESS_KEY_ID: admin.accessKeyId,
      FRONTDESK_ADMIN_SECRET_ACCESS_KEY: admin.secretAccessKey,
      FRONTDESK_LOG_LEVEL: 'silent',
      ...(database.databaseUrl ? { FRONTDESK_DATABASE_URL: database.databaseUrl } : {}),
    },
  });
  const nextMessage = <T>() => new Promise<T>((resolve) => child.once('message', (m) => resolve(m as T)));
  const { port } = await nextMessage<{ port: number }>();
  return {
    port,
    pid: child.pid!,
    admin,
    nextMessage,
    send: (message) => child.send(message),
    stop: async () => {
      child.send('stop');
      await new Promise((r) => child.once('exit', r));
    },
  };
}
