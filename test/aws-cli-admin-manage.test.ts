import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TEST_REGION, type TestServer } from './support/test-server.js';
import { adminUser, createPool, unique } from './support/cognito.js';

// The administrator's user management through the real AWS CLI (botocore): what an operator types
// to disable, enable, reset and edit a user works with only --endpoint-url added, errors included.
// Skips cleanly where the CLI is not installed.

const cliProbe = spawnSync('aws', ['--version'], { encoding: 'utf8', timeout: 30_000 });
const cliMissing =
  cliProbe.status === 0
    ? undefined
    : `the AWS CLI is not installed (\`aws --version\` ${cliProbe.error ? `failed: ${cliProbe.error.message}` : `exited ${cliProbe.status}`})`;
if (cliMissing) console.warn(`aws-cli-admin-manage.test.ts: skipping: ${cliMissing}`);

const CLI_TIMEOUT_MS = 60_000;

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('AWS CLI: admin user management', () => {
  let server: TestServer;
  let isolation: string | undefined;
  let poolId: string;
  let username: string;

  beforeAll(async () => {
    if (cliMissing) return;
    server = await startTestServer();
    isolation = mkdtempSync(join(tmpdir(), 'frontdesk-aws-cli-admin-'));
    writeFileSync(join(isolation, 'config'), '');
    writeFileSync(join(isolation, 'credentials'), '');
    const idp = server.client();
    poolId = await createPool(idp, { AutoVerifiedAttributes: ['email'] });
    username = unique('cli');
    await adminUser(idp, poolId, username, { email: `${username}@example.com`, email_verified: 'false' });
  });
  afterAll(async () => {
    await server?.close();
    if (isolation) rmSync(isolation, { recursive: true, force: true });
  });

  /** `aws --endpoint-url <server> cognito-idp <args>`, asynchronously (the server shares our event loop). */
  function aws(args: string[]): Promise<CliResult> {
    const env: NodeJS.ProcessEnv = {};
    for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('AWS_')) env[name] = value;
    Object.assign(env, {
      AWS_ACCESS_KEY_ID: server.admin.accessKeyId,
      AWS_SECRET_ACCESS_KEY: server.admin.secretAccessKey,
      AWS_DEFAULT_REGION: TEST_REGION,
      AWS_CONFIG_FILE: join(isolation!, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(isolation!, 'credentials'),
      AWS_PAGER: '',
      AWS_MAX_ATTEMPTS: '1',
      AWS_RETRY_MODE: 'standard',
      AWS_EC2_METADATA_DISABLED: 'true',
      PYTHONWARNINGS: 'ignore',
    });
    return new Promise((resolve, reject) => {
      const child = spawn('aws', ['--endpoint-url', server.url, '--output', 'json', 'cognito-idp', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      const timer = setTimeout(() => child.kill('SIGKILL'), CLI_TIMEOUT_MS - 5_000);
      child.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
    });
  }

  async function awsJson(args: string[]): Promise<any> {
    const result = await aws(args);
    if (result.code !== 0) throw new Error(`aws cognito-idp ${args.join(' ')} exited ${result.code}\nstderr: ${result.stderr}`);
    return result.stdout.trim() === '' ? {} : JSON.parse(result.stdout);
  }

  const user = () => ['--user-pool-id', poolId, '--username', username];

  it('admin-disable-user, admin-get-user, admin-enable-user', { timeout: CLI_TIMEOUT_MS * 3 }, async ({ skip }) => {
    skip(!!cliMissing, cliMissing);
    expect(await awsJson(['admin-disable-user', ...user()])).toEqual({});
    expect(await awsJson(['admin-get-user', ...user()])).toMatchObject({ Username: username, Enabled: false, UserStatus: 'CONFIRMED' });
    expect(await awsJson(['admin-enable-user', ...user()])).toEqual({});
    expect((await awsJson(['admin-get-user', ...user()])).Enabled).toBe(true);
  });

  it('admin-update-user-attributes and admin-delete-user-attributes', { timeout: CLI_TIMEOUT_MS * 3 }, async ({ skip }) => {
    skip(!!cliMissing, cliMissing);
    await awsJson(['admin-update-user-attributes', ...user(), '--user-attributes', 'Name=name,Value=Ada', 'Name=email_verified,Value=true']);
    const values = () => awsJson(['admin-get-user', ...user()]).then((out) => Object.fromEntries(out.UserAttributes.map((a: any) => [a.Name, a.Value])));
    expect(await values()).toMatchObject({ name: 'Ada', email_verified: 'true' });
    await awsJson(['admin-delete-user-attributes', ...user(), '--user-attribute-names', 'name']);
    expect(await values()).not.toHaveProperty('name');
  });

  it('errors exit non-zero with the exception name', { timeout: CLI_TIMEOUT_MS * 2 }, async ({ skip }) => {
    skip(!!cliMissing, cliMissing);
    const missing = await aws(['admin-disable-user', '--user-pool-id', poolId, '--username', unique('ghost')]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('(UserNotFoundException)');
    expect(missing.stderr).toContain('AdminDisableUser');
    const sub = await aws(['admin-delete-user-attributes', ...user(), '--user-attribute-names', 'sub']);
    expect(sub.code).not.toBe(0);
    expect(sub.stderr).toContain('(InvalidParameterException)');
  });

  it('admin-reset-user-password puts the user in RESET_REQUIRED', { timeout: CLI_TIMEOUT_MS * 2 }, async ({ skip }) => {
    skip(!!cliMissing, cliMissing);
    expect(await awsJson(['admin-reset-user-password', ...user()])).toEqual({});
    expect((await awsJson(['admin-get-user', ...user()])).UserStatus).toBe('RESET_REQUIRED');
  });
});
