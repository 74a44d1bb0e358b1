import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TEST_REGION, type TestServer } from './support/test-server.js';

// Drives the real server with the real AWS CLI (v1, botocore) as a child process: what an
// administrator types must work unchanged with only --endpoint-url added.

const cliProbe = spawnSync('aws', ['--version'], { encoding: 'utf8', timeout: 30_000 });
const cliMissing =
  cliProbe.status === 0
    ? undefined
    : `the AWS CLI is not installed (\`aws --version\` ${cliProbe.error ? `failed: ${cliProbe.error.message}` : `exited ${cliProbe.status}`})`;
if (cliMissing) console.warn(`aws-cli.test.ts: skipping: ${cliMissing}`);

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const CLI_TIMEOUT_MS = 60_000;

describe('AWS CLI against a real server', () => {
  let server: TestServer;
  let isolation: string;

  beforeAll(async () => {
    server = await startTestServer();
    // Empty config and credentials files: nothing from the machine's ~/.aws can leak in.
    isolation = mkdtempSync(join(tmpdir(), 'frontdesk-aws-cli-'));
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

  it('create-user-pool returns a pool with a Cognito-shaped id', { timeout: CLI_TIMEOUT_MS }, async ({ skip }) => {
    skip(!!cliMissing, cliMissing);
    const out = await awsJson([
      'create-user-pool',
      '--pool-name',
      'cli-pool',
      '--auto-verified-attributes',
      'email',
      '--policies',
      JSON.stringify({ PasswordPolicy: { MinimumLength: 10, RequireSymbols: false } }),
    ]);
    expect(out.UserPool.Id).toMatch(/^us-east-1_[0-9A-Za-z]{9}$/);
    expect(out.UserPool.Name).toBe('cli-pool');
    expect(out.UserPool.AutoVerifiedAttributes).toEqual(['email']);
    expect(out.UserPool.Policies.PasswordPolicy.MinimumLength).toBe(10);
    expect(out.UserPool.Arn).toBe(`arn:aws:cognito-idp:us-east-1:000000000000:userpool/${out.UserPool.Id}`);
    poolId = out.UserPool.Id;
  });

  it('describe-user-pool returns what was created', { timeout: CLI_TIMEOUT_MS }, async ({ skip }) => {
    skip(!!cliMissing, cliMissing);
    const out = await awsJson(['describe-user-pool', '--user-pool-id', poolId]);
    expect(out.UserPool.Id).toBe(poolId);
    expect(out.UserPool.Name).toBe('cli-pool');
    expect(out.UserPool.Policies.PasswordPolicy).toMatchObject({ MinimumLength: 10, RequireSymbols: false });
    // botocore parsed the epoch-seconds timestamp; the CLI prints it back as a number or an ISO string.
    expect(out.UserPool.CreationDate).toBeDefined();
    expect(out.UserPool.SchemaAttributes.map((a: { Name: string }) => a.Name)).toContain('email');
  });

  it('list-user-pools pages with --max-results and --next-token', { timeout: CLI_TIMEOUT_MS * 2 }, async ({ skip }) => {
    skip(!!cliMissing, cliMissing);
    await awsJson(['create-user-pool', '--pool-name', 'cli-pool-2']);
    await awsJson(['create-user-pool', '--pool-name', 'cli-pool-3']);
    // The CLI turns its own pagination off when --max-results is given, so follow NextToken by hand.
    const names: string[] = [];
    let nextToken: string | undefined;
    for (let page = 0; page < 10; page++) {
      const out = await awsJson(['list-user-pools', '--max-results', '1', ...(nextToken ? ['--next-token', nextToken] : [])]);
      expect(out.UserPools.length).toBeLessThanOrEqual(1);
      names.push(...out.UserPools.map((p: { Name: string }) => p.Name));
      nextToken = out.NextToken;
      if (!nextToken) break;
    }
    expect(nextToken).toBeUndefined();
    expect(names.sort()).toEqual(['cli-pool', 'cli-pool-2', 'cli-pool-3']);

    const all = await awsJson(['list-user-pools', '--max-results', '60']);
    expect(all.UserPools).toHaveLength(3);
    expect(all.NextToken).toBeUndefined();
  });

  it('update-user-pool changes what describe-user-pool returns', { timeout: CLI_TIMEOUT_MS }, async ({ skip }) => {
    skip(!!cliMissing, cliMissing);
    const updated = await awsJson([
      'update-user-pool',
      '--user-pool-id',
      poolId,
      '--policies',
      JSON.stringify({ PasswordPolicy: { MinimumLength: 14 } }),
      '--mfa-configuration',
      'OFF',
      '--user-pool-tags',
      'team=identity',
    ]);
    expect(updated).toEqual({});
    const out = await awsJson(['describe-user-pool', '--user-pool-id', poolId]);
    expect(out.UserPool.Policies.PasswordPolicy.MinimumLength).toBe(14);
    expect(out.UserPool.UserPoolTags).toEqual({ team: 'identity' });
    // Cognito's UpdateUserPool resets members left out of the request to their defaults.
    expect(out.UserPool.AutoVerifiedAttributes ?? []).toEqual([]);
  });

  it('create-user-pool-client --generate-secret and describe-user-pool-client', { timeout: CLI_TIMEOUT_MS }, async ({ skip }) => {
    skip(!!cliMissing, cliMissing);
    const created = await awsJson([
      'create-user-pool-client',
      '--user-pool-id',
      poolId,
      '--client-name',
      'cli-client',
      '--generate-secret',
      '--explicit-auth-flows',
      'ALLOW_USER_SRP_AUTH',
      'ALLOW_REFRESH_TOKEN_AUTH',
    ]);
    const client = created.UserPoolClient;
    expect(client.UserPoolId).toBe(poolId);
    expect(client.ClientName).toBe('cli-client');
    expect(client.ClientId).toMatch(/^[a-z0-9]{26}$/);
    expect(client.ClientSecret).toMatch(/^[a-z0-9]{51}$/);

    const described = await awsJson(['describe-user-pool-client', '--user-pool-id', poolId, '--client-id', client.ClientId]);
    expect(described.UserPoolClient.ClientId).toBe(client.ClientId);
    expect(described.UserPoolClient.ClientSecret).toBe(client.ClientSecret);
    expect(described.UserPoolClient.ExplicitAuthFlows.sort()).toEqual(['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH']);
  });

  it('describe-user-pool of a missing pool exits non-zero with ResourceNotFoundException', { timeout: CLI_TIMEOUT_MS }, async ({ skip }) => {
    skip(!!cliMissing, cliMissing);
    const result = await aws(['describe-user-pool', '--user-pool-id', 'us-east-1_missing00']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('(ResourceNotFoundException)');
    expect(result.stderr).toContain('DescribeUserPool');
    expect(result.stdout).toBe('');
  });

  it('refuses an unknown access key and a wrong secret', { timeout: CLI_TIMEOUT_MS }, async ({ skip }) => {
    skip(!!cliMissing, cliMissing);
    const unknownKey = await aws(['list-user-pools', '--max-results', '10'], {
      accessKeyId: 'AKIAUNKNOWNUNKNOWN01',
      secretAccessKey: server.admin.secretAccessKey,
    });
    expect(unknownKey.code).not.toBe(0);
    expect(unknownKey.stderr).toContain('(UnrecognizedClientException)');

    const wrongSecret = await aws(['list-user-pools', '--max-results', '10'], {
      accessKeyId: server.admin.accessKeyId,
      secretAccessKey: 'not-the-right-secret-at-all-0000000000000',
    });
    expect(wrongSecret.code).not.toBe(0);
    expect(wrongSecret.stderr).toContain('(InvalidSignatureException)');
  });

  it('delete-user-pool removes the pool', { timeout: CLI_TIMEOUT_MS }, async ({ skip }) => {
    skip(!!cliMissing, cliMissing);
    expect(await awsJson(['delete-user-pool', '--user-pool-id', poolId])).toEqual({});
    const after = await aws(['describe-user-pool', '--user-pool-id', poolId]);
    expect(after.code).not.toBe(0);
    expect(after.stderr).toContain('(ResourceNotFoundException)');
    const list = await awsJson(['list-user-pools', '--max-results', '60']);
    expect(list.UserPools.map((p: { Id: string }) => p.Id)).not.toContain(poolId);
  });
});
