import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/test-server.js';
import { CLI_TIMEOUT_MS, cliMissing, cliRunner, type CliRunner } from './support/aws-cli.js';

// Drives the real server with the real AWS CLI (v1, botocore) as a child process: what an
// administrator types must work unchanged with only --endpoint-url added.

if (cliMissing) console.warn(`aws-cli.test.ts: skipping: ${cliMissing}`);

describe('AWS CLI against a real server', () => {
  let server: TestServer;
  let cli: CliRunner;

  beforeAll(async () => {
    server = await startTestServer();
    cli = cliRunner(() => server);
  });
  afterAll(async () => {
    await server?.close();
    cli?.cleanup();
  });

  let poolId: string;

  it('create-user-pool returns a pool with a Cognito-shaped id', { timeout: CLI_TIMEOUT_MS }, async ({ skip }) => {
    skip(!!cliMissing, cliMissing);
    const out = await cli.awsJson([
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
    const out = await cli.awsJson(['describe-user-pool', '--user-pool-id', poolId]);
    expect(out.UserPool.Id).toBe(poolId);
    expect(out.UserPool.Name).toBe('cli-pool');
    expect(out.UserPool.Policies.PasswordPolicy).toMatchObject({ MinimumLength: 10, RequireSymbols: false });
    // botocore parsed the epoch-seconds timestamp; the CLI prints it back as a number or an ISO string.
    expect(out.UserPool.CreationDate).toBeDefined();
    expect(out.UserPool.SchemaAttributes.map((a: { Name: string }) => a.Name)).toContain('email');
  });

  it('list-user-pools pages with --max-results and --next-token', { timeout: CLI_TIMEOUT_MS * 2 }, async ({ skip }) => {
    skip(!!cliMissing, cliMissing);
    await cli.awsJson(['create-user-pool', '--pool-name', 'cli-pool-2']);
    await cli.awsJson(['create-user-pool', '--pool-name', 'cli-pool-3']);
    // The CLI turns its own pagination off when --max-results is given, so follow NextToken by hand.
    const names: string[] = [];
    let nextToken: string | undefined;
    for (let page = 0; page < 10; page++) {
      const out = await cli.awsJson(['list-user-pools', '--max-results', '1', ...(nextToken ? ['--next-token', nextToken] : [])]);
      expect(out.UserPools.length).toBeLessThanOrEqual(1);
      names.push(...out.UserPools.map((p: { Name: string }) => p.Name));
      nextToken = out.NextToken;
      if (!nextToken) break;
    }
    expect(nextToken).toBeUndefined();
    expect(names.sort()).toEqual(['cli-pool', 'cli-pool-2', 'cli-pool-3']);

    const all = await cli.awsJson(['list-user-pools', '--max-results', '60']);
    expect(all.UserPools).toHaveLength(3);
    expect(all.NextToken).toBeUndefined();
  });

  it('update-user-pool changes what describe-user-pool returns', { timeout: CLI_TIMEOUT_MS }, async ({ skip }) => {
    skip(!!cliMissing, cliMissing);
    const updated = await cli.awsJson([
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
    const out = await cli.awsJson(['describe-user-pool', '--user-pool-id', poolId]);
    expect(out.UserPool.Policies.PasswordPolicy.MinimumLength).toBe(14);
    expect(out.UserPool.UserPoolTags).toEqual({ team: 'identity' });
    // Cognito's UpdateUserPool resets members left out of the request to their defaults.
    expect(out.UserPool.AutoVerifiedAttributes ?? []).toEqual([]);
  });

  it('create-user-pool-client --generate-secret and describe-user-pool-client', { timeout: CLI_TIMEOUT_MS }, async ({ skip }) => {
    skip(!!cliMissing, cliMissing);
    const created = await cli.awsJson([
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

    const described = await cli.awsJson(['describe-user-pool-client', '--user-pool-id', poolId, '--client-id', client.ClientId]);
    expect(described.UserPoolClient.ClientId).toBe(client.ClientId);
    expect(described.UserPoolClient.ClientSecret).toBe(client.ClientSecret);
    expect(described.UserPoolClient.ExplicitAuthFlows.sort()).toEqual(['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH']);
  });

  it('describe-user-pool of a missing pool exits non-zero with ResourceNotFoundException', { timeout: CLI_TIMEOUT_MS }, async ({ skip }) => {
    skip(!!cliMissing, cliMissing);
    const result = await cli.aws(['describe-user-pool', '--user-pool-id', 'us-east-1_missing00']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('(ResourceNotFoundException)');
    expect(result.stderr).toContain('DescribeUserPool');
    expect(result.stdout).toBe('');
  });

  it('refuses an unknown access key and a wrong secret', { timeout: CLI_TIMEOUT_MS }, async ({ skip }) => {
    skip(!!cliMissing, cliMissing);
    const unknownKey = await cli.aws(['list-user-pools', '--max-results', '10'], {
      accessKeyId: 'AKIAUNKNOWNUNKNOWN01',
      secretAccessKey: server.admin.secretAccessKey,
    });
    expect(unknownKey.code).not.toBe(0);
    expect(unknownKey.stderr).toContain('(UnrecognizedClientException)');

    const wrongSecret = await cli.aws(['list-user-pools', '--max-results', '10'], {
      accessKeyId: server.admin.accessKeyId,
      secretAccessKey: 'not-the-right-secret-at-all-0000000000000',
    });
    expect(wrongSecret.code).not.toBe(0);
    expect(wrongSecret.stderr).toContain('(InvalidSignatureException)');
  });

  it('delete-user-pool removes the pool', { timeout: CLI_TIMEOUT_MS }, async ({ skip }) => {
    skip(!!cliMissing, cliMissing);
    expect(await cli.awsJson(['delete-user-pool', '--user-pool-id', poolId])).toEqual({});
    const after = await cli.aws(['describe-user-pool', '--user-pool-id', poolId]);
    expect(after.code).not.toBe(0);
    expect(after.stderr).toContain('(ResourceNotFoundException)');
    const list = await cli.awsJson(['list-user-pools', '--max-results', '60']);
    expect(list.UserPools.map((p: { Id: string }) => p.Id)).not.toContain(poolId);
  });
});
