import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CognitoIdentityProviderClient,
  CreateUserPoolCommand,
  ListUserPoolsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { SignatureV4 } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';
import { Hash } from '@smithy/hash-node';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

// Runs `src/main.ts` as the operator would (a real process, real environment variables, real
// signals), over the engine the suite runs on: boot, one-time credentials, health, shutdown.

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BOOT_TIMEOUT_MS = 45_000;

interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the first stdout line (or JSON log record) that matches. */
  waitForLine(match: (line: string) => boolean, what: string, timeoutMs?: number): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children: ChildProcess[] = [];

/** Starts `node --import tsx src/main.ts` with only the given FRONTDESK_* variables set. */
function startMain(env: Record<string, string>): Running {
  const base: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('FRONTDESK_') && name !== 'PORT' && !name.startsWith('AWS_')) base[name] = value;
  }
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  const waiters: Array<() => void> = [];
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    for (const w of [...waiters]) w();
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      resolve({ code, signal });
      for (const w of [...waiters]) w();
    }),
  );
  let exitedFlag = false;
  void exited.then(() => (exitedFlag = true));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForLine(match, what, timeoutMs = BOOT_TIMEOUT_MS) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const line = out.split('\n').find(match);
          if (line !== undefined) {
            done();
            resolve(line);
          } else if (exitedFlag || child.exitCode !== null) {
            done();
            reject(new Error(`frontdesk exited before ${what}\nstdout: ${out}\nstderr: ${err}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`timed out waiting for ${what}\nstdout: ${out}\nstderr: ${err}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          const i = waiters.indexOf(check);
          if (i >= 0) waiters.splice(i, 1);
        };
        waiters.push(check);
        check();
      });
    },
  };
}

const logRecord = (line: string): Record<string, any> | undefined => {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line) as Record<string, any>;
  } catch {
    return undefined;
  }
};

/** Boots and returns the endpoint from pino's 'frontdesk listening' record. */
async function boot(env: Record<string, string>): Promise<Running & { endpoint: string }> {
  const running = startMain(env);
  const line = await running.waitForLine((l) => logRecord(l)?.msg === 'frontdesk listening', "the 'frontdesk listening' log line");
  const endpoint = logRecord(line)!.endpoint as string;
  expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  return { ...running, endpoint };
}

async function stop(running: Running): Promise<number | null> {
  running.child.kill('SIGTERM');
  const { code } = await running.exited;
  return code;
}

function sdk(endpoint: string, credentials: { accessKeyId: string; secretAccessKey: string }) {
  return new CognitoIdentityProviderClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
}

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

describe('the frontdesk process', () => {
  let database: TestDatabase;
  let env: Record<string, string>;
  let dataDir: string;
  let printed: { accessKeyId: string; secretAccessKey: string; endpoint: string } | undefined;
  let poolId: string | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    // A directory main has to create itself.
    dataDir = join(database.dataDir, 'data');
    env = { FRONTDESK_DATA_DIR: dataDir, FRONTDESK_PORT: '0' };
    if (database.databaseUrl) {
      // PostgreSQL deployments configure the master key; it must not live beside the data.
      env.FRONTDESK_DATABASE_URL = database.databaseUrl;
      env.FRONTDESK_MASTER_KEY = randomBytes(32).toString('hex');
    }
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('first boot prints generated admin credentials once, and they work', { timeout: 90_000 }, async () => {
    const running = await boot(env);
    await running.waitForLine((l) => l.includes('aws --endpoint-url'), 'the credentials banner');
    const out = running.stdout();
    const keyId = /AWS_ACCESS_KEY_ID=(\S+)/.exec(out)?.[1];
    const secret = /AWS_SECRET_ACCESS_KEY=(\S+)/.exec(out)?.[1];
    expect(keyId).toMatch(/^FDAK[A-Z2-7]{16}$/);
    expect(secret).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(out.match(/AWS_ACCESS_KEY_ID=/g)).toHaveLength(1);
    expect(out).toContain(`aws --endpoint-url ${running.endpoint} cognito-idp`);
    printed = { accessKeyId: keyId!, secretAccessKey: secret!, endpoint: running.endpoint };

    // /health answers from the database.
    const health = await fetch(`${running.endpoint}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });

    // The printed keys sign real SDK calls.
    const client = sdk(running.endpoint, printed);
    try {
      const created = await client.send(new CreateUserPoolCommand({ PoolName: 'from-main' }));
      poolId = created.UserPool!.Id;
      const listed = await client.send(new ListUserPoolsCommand({ MaxResults: 10 }));
      expect(listed.UserPools!.map((p) => p.Id)).toContain(poolId);
    } finally {
      client.destroy();
    }

    // The secret is shown in the banner only, never in a log record.
    const records = running.stdout().split('\n').filter((l) => logRecord(l));
    expect(records.length).toBeGreaterThan(0);
    for (const record of records) expect(record).not.toContain(secret!);

    if (database.engine === 'sqlite') {
      const keyFile = join(dataDir, 'master.key');
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);
      expect(existsSync(join(dataDir, 'frontdesk.sqlite'))).toBe(true);
    } else {
      expect(existsSync(join(dataDir, 'master.key'))).toBe(false);
    }

    expect(await stop(running)).toBe(0);
    expect(running.stderr()).not.toMatch(/error/i);
  });

  it('a second boot on the same data does not print credentials, and the same ones still work', { timeout: 90_000 }, async () => {
    expect(printed, 'needs the first boot').toBeDefined();
    const masterKeyBefore = database.engine === 'sqlite' ? statSync(join(dataDir, 'master.key')).mtimeMs : 0;
    const running = await boot(env);
    const client = sdk(running.endpoint, printed!);
    try {
      const listed = await client.send(new ListUserPoolsCommand({ MaxResults: 10 }));
      expect(listed.UserPools!.map((p) => p.Id)).toContain(poolId);
    } finally {
      client.destroy();
    }
    expect(await stop(running)).toBe(0);
    expect(running.stdout()).not.toContain('AWS_ACCESS_KEY_ID');
    expect(running.stdout()).not.toContain(printed!.secretAccessKey);
    if (database.engine === 'sqlite') expect(statSync(join(dataDir, 'master.key')).mtimeMs).toBe(masterKeyBefore);
  });

  /**
   * Sends a signed ListUserPools whose body arrives in two parts, sends SIGTERM in between, and
   * sends the rest only once the server has begun shutting down.
   */
  async function requestAcrossShutdown(running: Running & { endpoint: string }, agent: Agent | false) {
    const url = new URL(running.endpoint);
    const body = JSON.stringify({ MaxResults: 10 });
    const signer = new SignatureV4({
      service: 'cognito-idp',
      region: 'us-east-1',
      credentials: { accessKeyId: printed!.accessKeyId, secretAccessKey: printed!.secretAccessKey },
      sha256: Hash.bind(null, 'sha256'),
    });
    const signed = await signer.sign(
      new HttpRequest({
        method: 'POST',
        protocol: 'http:',
        hostname: url.hostname,
        port: Number(url.port),
        path: '/',
        headers: {
          host: url.host,
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': 'AWSCognitoIdentityProviderService.ListUserPools',
          'content-length': String(Buffer.byteLength(body)),
        },
        body,
      }),
    );
    const response = new Promise<{ status: number; body: string; connection?: string }>((resolve, reject) => {
      const req = httpRequest(
        { host: url.hostname, port: Number(url.port), method: 'POST', path: '/', headers: signed.headers, agent },
        (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, connection: res.headers.connection }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.flushHeaders();
      req.write(body.slice(0, 5));
      void running
        .waitForLine((l) => /shutting down/.test(logRecord(l)?.msg ?? ''), 'the shutdown log line')
        .then(() => new Promise((r) => setTimeout(r, 300)))
        .then(() => req.end(body.slice(5)), reject);
    });
    // The server has the request (headers received) before the signal.
    await running.waitForLine((l) => logRecord(l)?.msg === 'incoming request', 'the incoming request log line');
    running.child.kill('SIGTERM');
    return response;
  }

  /** The exit code, or 'still running' when the process has not exited within the deadline. */
  const exitWithin = (running: Running, ms: number) =>
    Promise.race([running.exited.then(({ code }) => code), new Promise<'still running'>((r) => setTimeout(() => r('still running'), ms))]);

  it('SIGTERM finishes the in-flight request, then exits 0', { timeout: 90_000 }, async () => {
    expect(printed, 'needs the first boot').toBeDefined();
    const running = await boot(env);
    const answer = await requestAcrossShutdown(running, false);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body).UserPools.map((p: { Id: string }) => p.Id)).toContain(poolId);
    expect(await exitWithin(running, 10_000)).toBe(0);
  });

  // A request in flight at SIGTERM must be answered with `Connection: close`; otherwise its
  // keep-alive connection holds shutdown open until the client or a 72 s idle timeout drops it.
  it('SIGTERM does not wait for a keep-alive client to hang up', { timeout: 60_000 }, async () => {
    expect(printed, 'needs the first boot').toBeDefined();
    const running = await boot(env);
    const agent = new Agent({ keepAlive: true });
    try {
      const answer = await requestAcrossShutdown(running, agent);
      expect(answer.status).toBe(200);
      expect(await exitWithin(running, 8_000)).toBe(0);
      expect(answer.connection).toBe('close');
    } finally {
      agent.destroy();
    }
  });

  it.each([
    ['an unknown FRONTDESK_ variable', { FRONTDESK_FOO: '1' }, /FRONTDESK_FOO.*unknown setting/],
    ['a malformed FRONTDESK_PORT', { FRONTDESK_PORT: 'eighty' }, /FRONTDESK_PORT.*port number/],
    ['an out-of-range FRONTDESK_PORT', { FRONTDESK_PORT: '70000' }, /FRONTDESK_PORT.*port number/],
    [
      'PostgreSQL without a master key',
      { FRONTDESK_DATABASE_URL: 'postgres://nobody:nothing@127.0.0.1:1/none' },
      /FRONTDESK_MASTER_KEY is required/,
    ],
  ])('%s stops the boot with a clear message and a non-zero exit', { timeout: 60_000 }, async (_name, bad, message) => {
    const running = startMain({ FRONTDESK_DATA_DIR: join(database.dataDir, 'bad-config'), FRONTDESK_PORT: '0', ...bad });
    const { code } = await running.exited;
    expect(code).not.toBe(0);
    expect(running.stderr()).toMatch(message);
    expect(running.stderr()).toMatch(/^frontdesk: invalid configuration/m);
    // Nothing was started or written.
    expect(running.stdout()).not.toContain('frontdesk listening');
    expect(existsSync(join(database.dataDir, 'bad-config'))).toBe(false);
  });
});
