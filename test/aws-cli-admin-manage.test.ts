import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/test-server.js';
import { CLI_TIMEOUT_MS, cliMissing, cliRunner, type CliRunner } from './support/aws-cli.js';
import { adminUser, createPool, unique } from './support/cognito.js';

// The administrator's user management through the real AWS CLI (botocore): what an operator types
// to disable, enable, reset and edit a user works with only --endpoint-url added, errors included.
// Skips cleanly where the CLI is not installed.

if (cliMissing) console.warn(`aws-cli-admin-manage.test.ts: skipping: ${cliMissing}`);

describe('AWS CLI: admin user management', () => {
  let server: TestServer;
  let cli: CliRunner;
  let poolId: string;
  let username: string;

  beforeAll(async () => {
    if (cliMissing) return;
    server = await startTestServer();
    cli = cliRunner(() => server);
    const idp = server.client();
    poolId = await createPool(idp, { AutoVerifiedAttributes: ['email'] });
    username = unique('cli');
    await adminUser(idp, poolId, username, { email: `${username}@example.com`, email_verified: 'false' });
  });
  afterAll(async () => {
    await server?.close();
    cli?.cleanup();
  });

  const user = () => ['--user-pool-id', poolId, '--username', username];

  it('admin-disable-user, admin-get-user, admin-enable-user', { timeout: CLI_TIMEOUT_MS * 3 }, async ({ skip }) => {
    skip(!!cliMissing, cliMissing);
    expect(await cli.awsJson(['admin-disable-user', ...user()])).toEqual({});
    expect(await cli.awsJson(['admin-get-user', ...user()])).toMatchObject({ Username: username, Enabled: false, UserStatus: 'CONFIRMED' });
    expect(await cli.awsJson(['admin-enable-user', ...user()])).toEqual({});
    expect((await cli.awsJson(['admin-get-user', ...user()])).Enabled).toBe(true);
  });

  it('admin-update-user-attributes and admin-delete-user-attributes', { timeout: CLI_TIMEOUT_MS * 3 }, async ({ skip }) => {
    skip(!!cliMissing, cliMissing);
    await cli.awsJson(['admin-update-user-attributes', ...user(), '--user-attributes', 'Name=name,Value=Ada', 'Name=email_verified,Value=true']);
    const values = () => cli.awsJson(['admin-get-user', ...user()]).then((out) => Object.fromEntries(out.UserAttributes.map((a: any) => [a.Name, a.Value])));
    expect(await values()).toMatchObject({ name: 'Ada', email_verified: 'true' });
    await cli.awsJson(['admin-delete-user-attributes', ...user(), '--user-attribute-names', 'name']);
    expect(await values()).not.toHaveProperty('name');
  });

  it('errors exit non-zero with the exception name', { timeout: CLI_TIMEOUT_MS * 2 }, async ({ skip }) => {
    skip(!!cliMissing, cliMissing);
    const missing = await cli.aws(['admin-disable-user', '--user-pool-id', poolId, '--username', unique('ghost')]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('(UserNotFoundException)');
    expect(missing.stderr).toContain('AdminDisableUser');
    const sub = await cli.aws(['admin-delete-user-attributes', ...user(), '--user-attribute-names', 'sub']);
    expect(sub.code).not.toBe(0);
    expect(sub.stderr).toContain('(InvalidParameterException)');
  });

  it('admin-reset-user-password puts the user in RESET_REQUIRED', { timeout: CLI_TIMEOUT_MS * 2 }, async ({ skip }) => {
    skip(!!cliMissing, cliMissing);
    expect(await cli.awsJson(['admin-reset-user-password', ...user()])).toEqual({});
    expect((await cli.awsJson(['admin-get-user', ...user()])).UserStatus).toBe('RESET_REQUIRED');
  });
});
