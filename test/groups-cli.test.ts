import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/test-server.js';
import { CLI_TIMEOUT_MS, cliMissing, cliRunner, type CliRunner } from './support/aws-cli.js';
import { adminUser, createPool } from './support/cognito.js';

// The group commands with the real AWS CLI (v1, botocore), in the style of aws-cli.test.ts: an
// administrator's create-group, admin-add-user-to-group and list-groups work with only
// --endpoint-url added. Pools and users are made with the SDK (faster than a CLI process each).

if (cliMissing) console.warn(`groups-cli.test.ts: skipping: ${cliMissing}`);

describe('AWS CLI group commands against a real server', () => {
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

  it('create-group, get-group and update-group', { timeout: CLI_TIMEOUT_MS * 3 }, async ({ skip }) => {
    skip(!!cliMissing, cliMissing);
    const idp = server.client();
    poolId = await createPool(idp);
    await adminUser(idp, poolId, 'cli-user');

    const created = await cli.awsJson([
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

    const updated = await cli.awsJson(['update-group', '--user-pool-id', poolId, '--group-name', 'cli-admins', '--description', 'Admins']);
    expect(updated.Group).toMatchObject({ Description: 'Admins', Precedence: 1, RoleArn: 'arn:aws:iam::123456789012:role/cli-admin' });
    const got = await cli.awsJson(['get-group', '--user-pool-id', poolId, '--group-name', 'cli-admins']);
    expect(got.Group).toMatchObject({ GroupName: 'cli-admins', Description: 'Admins' });
  });

  it('list-groups follows NextToken on its own', { timeout: CLI_TIMEOUT_MS * 3 }, async ({ skip }) => {
    skip(!!cliMissing, cliMissing);
    await cli.awsJson(['create-group', '--user-pool-id', poolId, '--group-name', 'cli-readers']);
    await cli.awsJson(['create-group', '--user-pool-id', poolId, '--group-name', 'cli-writers']);
    // --page-size makes the CLI fetch one group per request and join the pages.
    const out = await cli.awsJson(['list-groups', '--user-pool-id', poolId, '--page-size', '1']);
    expect(out.Groups.map((g: { GroupName: string }) => g.GroupName)).toEqual(['cli-admins', 'cli-readers', 'cli-writers']);
    expect(out.NextToken).toBeUndefined();
  });

  it('admin-add-user-to-group, admin-list-groups-for-user and list-users-in-group', { timeout: CLI_TIMEOUT_MS * 4 }, async ({ skip }) => {
    skip(!!cliMissing, cliMissing);
    const added = await cli.awsJson(['admin-add-user-to-group', '--user-pool-id', poolId, '--username', 'cli-user', '--group-name', 'cli-admins']);
    expect(added).toEqual({});
    await cli.awsJson(['admin-add-user-to-group', '--user-pool-id', poolId, '--username', 'cli-user', '--group-name', 'cli-readers']);
    const groups = await cli.awsJson(['admin-list-groups-for-user', '--user-pool-id', poolId, '--username', 'cli-user']);
    expect(groups.Groups.map((g: { GroupName: string }) => g.GroupName)).toEqual(['cli-admins', 'cli-readers']);
    const users = await cli.awsJson(['list-users-in-group', '--user-pool-id', poolId, '--group-name', 'cli-admins']);
    expect(users.Users.map((u: { Username: string }) => u.Username)).toEqual(['cli-user']);
    expect(users.Users[0].UserStatus).toBe('CONFIRMED');

    await cli.awsJson(['admin-remove-user-from-group', '--user-pool-id', poolId, '--username', 'cli-user', '--group-name', 'cli-readers']);
    const after = await cli.awsJson(['admin-list-groups-for-user', '--user-pool-id', poolId, '--username', 'cli-user']);
    expect(after.Groups.map((g: { GroupName: string }) => g.GroupName)).toEqual(['cli-admins']);
  });

  it('delete-group, then get-group exits non-zero with ResourceNotFoundException', { timeout: CLI_TIMEOUT_MS * 2 }, async ({ skip }) => {
    skip(!!cliMissing, cliMissing);
    expect(await cli.awsJson(['delete-group', '--user-pool-id', poolId, '--group-name', 'cli-writers'])).toEqual({});
    const result = await cli.aws(['get-group', '--user-pool-id', poolId, '--group-name', 'cli-writers']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('(ResourceNotFoundException)');
    expect(result.stderr).toContain('GetGroup');
    expect(result.stderr).toContain('Group not found.');
    expect(result.stdout).toBe('');
  });

  it('create-group of a taken name exits non-zero with GroupExistsException', { timeout: CLI_TIMEOUT_MS }, async ({ skip }) => {
    skip(!!cliMissing, cliMissing);
    const result = await cli.aws(['create-group', '--user-pool-id', poolId, '--group-name', 'cli-admins']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('(GroupExistsException)');
  });
});
