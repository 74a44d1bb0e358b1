import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TEST_REGION, type TestServer } from './support/test-server.js';

// Drives the real server with boto3 from a Python child process (test/support/boto3-smoke.py),
// which prints every step's outcome as JSON; the assertions live here.

const SCRIPT = fileURLToPath(new URL('./support/boto3-smoke.py', import.meta.url));
const PYTHON = process.env.PYTHON ?? 'python3';

const probe = spawnSync(PYTHON, ['-c', 'import boto3'], { encoding: 'utf8', timeout: 60_000 });
const boto3Missing =
  probe.status === 0
    ? undefined
    : `boto3 is not available (\`${PYTHON} -c 'import boto3'\` ${
        probe.error ? `failed: ${probe.error.message}` : `exited ${probe.status}: ${probe.stderr.trim().split('\n').at(-1)}`
      })`;
if (boto3Missing) console.warn(`boto3.test.ts: skipping: ${boto3Missing}`);

type Step = { ok: any; error?: undefined } | { ok?: undefined; error: { code: string; message: string; status: number; requestId?: string } };

describe('boto3 against a real server', () => {
  let server: TestServer;
  let isolation: string | undefined;
  let results: Record<string, Step> = {};

  beforeAll(async () => {
    if (boto3Missing) return;
    server = await startTestServer();
    isolation = mkdtempSync(join(tmpdir(), 'frontdesk-boto3-'));
    writeFileSync(join(isolation, 'config'), '');
    writeFileSync(join(isolation, 'credentials'), '');
    const env: NodeJS.ProcessEnv = {};
    for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('AWS_')) env[name] = value;
    Object.assign(env, {
      AWS_ACCESS_KEY_ID: server.admin.accessKeyId,
      AWS_SECRET_ACCESS_KEY: server.admin.secretAccessKey,
      AWS_CONFIG_FILE: join(isolation, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(isolation, 'credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      PYTHONWARNINGS: 'ignore',
    });
    // Asynchronous: the server answers on this process's event loop.
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(PYTHON, [SCRIPT, server.url, TEST_REGION], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
      const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
      child.on('error', reject);
      child.on('close', (exitCode) => {
        clearTimeout(timer);
        resolve({ code: exitCode, stdout: out, stderr: err });
      });
    });
    if (code !== 0) throw new Error(`boto3-smoke.py exited ${code}\nstderr: ${stderr}\nstdout: ${stdout}`);
    results = JSON.parse(stdout).results;
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    if (isolation) rmSync(isolation, { recursive: true, force: true });
  });

  /** The step's successful result; fails with the server's error when the step failed. */
  const ok = (name: string) => {
    const step = results[name];
    expect(step, `step ${name} did not run`).toBeDefined();
    expect(step!.error, `step ${name} failed`).toBeUndefined();
    return step!.ok;
  };
  const errorOf = (name: string) => {
    const step = results[name];
    expect(step, `step ${name} did not run`).toBeDefined();
    expect(step!.ok, `step ${name} should have failed`).toBeUndefined();
    return step!.error!;
  };

  it('create_user_pool returns Cognito-shaped ids', ({ skip }) => {
    skip(!!boto3Missing, boto3Missing);
    const pools = ok('createPools');
    expect(Object.keys(pools).sort()).toEqual(['boto-a', 'boto-b', 'boto-c']);
    for (const id of Object.values(pools)) expect(id).toMatch(/^us-east-1_[0-9A-Za-z]{9}$/);
  });

  it('describe_user_pool parses dates as datetimes', ({ skip }) => {
    skip(!!boto3Missing, boto3Missing);
    const pool = ok('describePool');
    expect(pool.Name).toBe('boto-a');
    expect(pool.Arn).toBe(`arn:aws:cognito-idp:us-east-1:000000000000:userpool/${pool.Id}`);
    expect(pool.CreationDateIsDatetime).toBe(true);
    // Within a day of now: the epoch-seconds wire format was read in the right unit.
    expect(Math.abs(Date.parse(pool.CreationDate) - Date.now())).toBeLessThan(86_400_000);
    expect(pool.MfaConfiguration).toBe('OFF');
  });

  it('the list_user_pools paginator follows NextToken through every page', ({ skip }) => {
    skip(!!boto3Missing, boto3Missing);
    const { pages } = ok('listPaginated') as { pages: string[][] };
    expect(pages.length).toBeGreaterThanOrEqual(3);
    for (const page of pages) expect(page.length).toBeLessThanOrEqual(1);
    expect(pages.flat().sort()).toEqual(['boto-a', 'boto-b', 'boto-c']);
  });

  it('create_user_pool_client with GenerateSecret, then describe_user_pool_client', ({ skip }) => {
    skip(!!boto3Missing, boto3Missing);
    const client = ok('createAndDescribeClient');
    expect(client.ClientId).toMatch(/^[a-z0-9]{26}$/);
    expect(client.ClientSecret).toMatch(/^[a-z0-9]{51}$/);
    expect(client.DescribedClientId).toBe(client.ClientId);
    expect(client.DescribedClientName).toBe('boto-client');
    expect(client.DescribedClientSecret).toBe(client.ClientSecret);
    expect(client.DescribedUserPoolId).toBe(ok('createPools')['boto-a']);
  });

  it('a missing pool raises ClientError with Error.Code ResourceNotFoundException', ({ skip }) => {
    skip(!!boto3Missing, boto3Missing);
    const error = errorOf('describeMissingPool');
    expect(error.code).toBe('ResourceNotFoundException');
    expect(error.status).toBe(400);
    expect(error.message).toContain('us-east-1_missing00');
    expect(error.requestId).toBeTruthy();
  });

  it('wrong credentials raise UnrecognizedClientException / InvalidSignatureException', ({ skip }) => {
    skip(!!boto3Missing, boto3Missing);
    expect(errorOf('unknownAccessKey').code).toBe('UnrecognizedClientException');
    expect(errorOf('wrongSecret').code).toBe('InvalidSignatureException');
  });

  it('delete_user_pool removes the pool', ({ skip }) => {
    skip(!!boto3Missing, boto3Missing);
    expect(ok('deletePool')).toBe(true);
    expect(errorOf('describeDeletedPool').code).toBe('ResourceNotFoundException');
  });
});
