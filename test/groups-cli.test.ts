import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TEST_REGION, type TestServer } from './support/test-server.js';
import { adminUser, createPool } from './support/cognito.js';

// The group commands with the real AWS CLI (v1, botocore), in the style of aws-cli.test.ts: an
// administrator's create-group, admin-add-user-to-group and list-groups work with only
// --endpoint-url added. Pools and users are made with the SDK (faster than a CLI process each).

const cliProbe = spawnSync('aws', ['--version'], { encoding: 'utf8', timeout: 30_000 });
const cliMissing =
  cliProbe.status === 0
    ? undefined
    : `the AWS CLI is not installed (\`aws --version\` ${cliProbe.error ? `failed: ${cliProbe.error.message}` : `exited ${cliProbe.status}`})`;
if (cliMissing) console.warn(`groups-cli.test.ts: skipping: ${cliMissing}`);

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const CLI_TIMEOUT_MS = 60_000;

describe('AWS CLI group commands against a real server', () => {
  let server: TestServer;
  let isolation: string;

  beforeAll(async () => {
    server = await startTestServer();
    // Empty config and credentials files: nothing from the machine's ~/.aws can leak in.
    isolation = mkdtempSync(join(tmpdir(), 'frontdesk-groups-cli-'));
    writeFileSync(join(isolation, 'config'), '');
    writeFileSync(join(isolation, 'credentials'), '');
  });
  afterAll(async () => {
    await server?.close();
    if (isolation) rmSync(isolation, { recursive: true, force: true });
  });

  /** Runs `aws --endpoint-url <server> cognito-idp <args>` asynchronously (the server shares our event loop). */
  function aws(args: string[], credentials: { accessKeyId: string; secretAccessKey: string } = server.admin): Promise<CliResult> {
    const env: NodeJS.ProcessEnv = {};
    for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('AWS_')) env[name] = value;
    Object.assign(env, {
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_DEFAULT_REGION: TEST_REGION,
      AWS_CONFIG_FILE: join(isolation, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(isolation, 'credentials'),
      AWS_PAGER: '',
      AWS_MAX_ATTEMPTS: '1',
      AWS_RETRY_MODE: 'standard',
      AWS_EC2_METADATA_DISABLED: 'true',
      PYTHONWARNINGS: 'ignore',
    });
    return new Promise((resolve, reject) => {
      const child = spawn('aws', ['--endpoint-url', server.url, '--output', 'json', 'cognito-idp', ...args], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
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

  /** Runs a command that must succeed and returns its parsed JSON output. */
  async function awsJson(args: string[]): Promise<any> {
    const result = await aws(args);
    if (result.code !== 0) {
      throw new Error(`aws cognito-idp ${args.join(' ')} exited ${result.code}\nstderr: ${result.stderr}\nstdout: ${result.stdout}`);
    }
    return result.stdout.trim() === '' ? {} : JSON.parse(result.stdout);
  }

  let poolId: string;

  it('create-group, get-group and update-group', { timeout: CLI_TIMEOUT_MS * 3 }, async ({ skip }) => {
    skip(!!cliMissing, cliMissing);
    const idp = server.client();
    poolId = await createPool(idp);
    await adminUser(idp, poolId, 'cli-user');

    const created = await awsJson([
      'create-group',
      '--user-pool-id',
      poolId,
      '--group-name',
      'cli-admins',
      '--description',
      'Administrators',
      '--role-arn',
      'arn:aws:iam::123456789012:role/cli-admin',
      '--precedence',
      '1',
    ]);
    expect(created.Group).toMatchObject({
      GroupName: 'cli-admins',
      UserPoolId: poolId,
      Description: 'Administrators',
      RoleArn: 'arn:aws:iam::123456789012:role/cli-admin',
      Precedence: 1,
    });
    // botocore parsed the epoch-seconds timestamps; the CLI prints them back.
    expect(created.Group.CreationDate).toBeDefined();
    expect(created.Group.LastModifiedDate).toBeDefined();

    const updated = await awsJson(['update-group', '--user-pool-id', poolId, '--group-name', 'cli-admins', '--description', 'Admins']);
    expect(updated.Group).toMatchObject({ Description: 'Admins', Precedence: 1, RoleArn: 'arn:aws:iam::123456789012:role/cli-admin' });
    const got = await awsJson(['get-group', '--user-pool-id', poolId, '--group-name', 'cli-admins']);
    expect(got.Group).toMatchObject({ GroupName: 'cli-admins', Description: 'Admins' });
  });

  it('list-groups follows NextToken on its own', { timeout: CLI_TIMEOUT_MS * 3 }, async ({ skip }) => {
    skip(!!cliMissing, cliMissing);
    await awsJson(['create-group', '--user-pool-id', poolId, '--group-name', 'cli-readers']);
    await awsJson(['create-group', '--user-pool-id', poolId, '--group-name', 'cli-writers']);
    // --page-size makes the CLI fetch one group per request and join the pages.
    const out = await awsJson(['list-groups', '--user-pool-id', poolId, '--page-size', '1']);
    expect(out.Groups.map((g: { GroupName: string }) => g.GroupName)).toEqual(['cli-admins', 'cli-readers', 'cli-writers']);
    expect(out.NextToken).toBeUndefined();
  });

  it('admin-add-user-to-group, admin-list-groups-for-user and list-users-in-group', { timeout: CLI_TIMEOUT_MS * 4 }, async ({ skip }) => {
    skip(!!cliMissing, cliMissing);
    const added = await awsJson(['admin-add-user-to-group', '--user-pool-id', poolId, '--username', 'cli-user', '--group-name', 'cli-admins']);
    expect(added).toEqual({});
    await awsJson(['admin-add-user-to-group', '--user-pool-id', poolId, '--username', 'cli-user', '--group-name', 'cli-readers']);
    const groups = await awsJson(['admin-list-groups-for-user', '--user-pool-id', poolId, '--username', 'cli-user']);
    expect(groups.Groups.map((g: { GroupName: string }) => g.GroupName)).toEqual(['cli-admins', 'cli-readers']);
    const users = await awsJson(['list-users-in-group', '--user-pool-id', poolId, '--group-name', 'cli-admins']);
    expect(users.Users.map((u: { Username: string }) => u.Username)).toEqual(['cli-user']);
    expect(users.Users[0].UserStatus).toBe('CONFIRMED');

    await awsJson(['admin-remove-user-from-group', '--user-pool-id', poolId, '--username', 'cli-user', '--group-name', 'cli-readers']);
    const after = await awsJson(['admin-list-groups-for-user', '--user-pool-id', poolId, '--username', 'cli-user']);
    expect(after.Groups.map((g: { GroupName: string }) => g.GroupName)).toEqual(['cli-admins']);
  });

  it('delete-group, then get-group exits non-zero with ResourceNotFoundException', { timeout: CLI_TIMEOUT_MS * 2 }, async ({ skip }) => {
    skip(!!cliMissing, cliMissing);
    expect(await awsJson(['delete-group', '--user-pool-id', poolId, '--group-name', 'cli-writers'])).toEqual({});
    const result = await aws(['get-group', '--user-pool-id', poolId, '--group-name', 'cli-writers']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('(ResourceNotFoundException)');
    expect(result.stderr).toContain('GetGroup');
    expect(result.stderr).toContain('Group not found.');
    expect(result.stdout).toBe('');
  });

  it('create-group of a taken name exits non-zero with GroupExistsException', { timeout: CLI_TIMEOUT_MS }, async ({ skip }) => {
    skip(!!cliMissing, cliMissing);
    const result = await aws(['create-group', '--user-pool-id', poolId, '--group-name', 'cli-admins']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('(GroupExistsException)');
  });
});
