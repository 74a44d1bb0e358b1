import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import { AdminAddUserToGroupCommand, CreateGroupCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from './support/test-server.js';
import { adminUser, createClient, createPool, passwordSignIn } from './support/cognito.js';
import { credentialKind, srpSignIn } from './support/user-transfer.js';

// `frontdesk users export` and `frontdesk users import` as real child processes against running
// servers, over HTTP with SigV4: a file written by one server's export is imported into another,
// with the summary, per-user failures, exit statuses and progress lines a script would see.

let source: TestServer;
let target: TestServer;
let src: CognitoIdentityProviderClient;
let dir: string;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function frontdesk(server: TestServer, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', ...args],
      {
        env: {
          PATH: process.env.PATH,
          AWS_ACCESS_KEY_ID: server.admin.accessKeyId,
          AWS_SECRET_ACCESS_KEY: server.admin.secretAccessKey,
          FRONTDESK_ENDPOINT: server.url,
        },
        timeout: 60_000,
      },
      (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  [source, target] = await Promise.all([startTestServer(), startTestServer()]);
  src = source.client();
  dir = mkdtempSync(join(tmpdir(), 'frontdesk-transfer-'));
});
afterAll(async () => {
  await Promise.all([source?.close(), target?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('frontdesk users export / import', () => {
  let sourcePool: string;
  let targetPool: string;
  const file = () => join(dir, 'users.jsonl');

  beforeAll(async () => {
    sourcePool = await createPool(src);
    await src.send(new CreateGroupCommand({ UserPoolId: sourcePool, GroupName: 'staff', Precedence: 2, Description: 'Staff' }));
    for (let i = 0; i < 25; i++) await adminUser(src, sourcePool, `user${String(i).padStart(2, '0')}`, { email: `user${i}@example.com` }, `Passw0rd-${i}!`);
    await src.send(new AdminAddUserToGroupCommand({ UserPoolId: sourcePool, Username: 'user07', GroupName: 'staff' }));
    targetPool = await createPool(target.client());
  });

  it('exports to a private file: a header line, then one user per line, and a summary on stderr', async () => {
    const run = await frontdesk(source, ['users', 'export', '--pool', sourcePool, '--out', file()]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^export: 25\/25 users/m); // not a terminal: plain progress lines
    expect(run.stderr).toContain(`exported 25 users of ${sourcePool} to ${file()} (the file holds password hashes: keep it secret)`);
    expect(statSync(file()).mode & 0o777).toBe(0o600);
    const lines = readFileSync(file(), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(26);
    expect(lines[0]).toMatchObject({ Format: 'frontdesk-users', Version: 1, UserPoolId: sourcePool, Groups: [{ GroupName: 'staff', Precedence: 2, Description: 'Staff' }] });
    expect(lines.slice(1).map((u) => u.Username)).toEqual(Array.from({ length: 25 }, (_, i) => `user${String(i).padStart(2, '0')}`));
    expect(lines[8]).toMatchObject({ Username: 'user07', Groups: ['staff'], Password: { Type: 'SRP' } });
  });

  it('exports to stdout without --out', async () => {
    const run = await frontdesk(source, ['users', 'export', '--pool', sourcePool]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trimEnd().split('\n')).toHaveLength(26);
  });

  it('imports the file into another server, whose users then sign in with their old passwords', async () => {
    const run = await frontdesk(target, ['users', 'import', '--pool', targetPool, file()]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ userPoolId: targetPool, Imported: 25, Overwritten: 0, Skipped: 0, Failed: 0 });
    expect(run.stderr).toContain(`imported 25, overwritten 0, skipped 0, failed 0 (from ${sourcePool} into ${targetPool})`);

    const idp = target.client();
    const { clientId } = await createClient(idp, targetPool);
    const tokens = await passwordSignIn(idp, clientId, 'user07', 'Passw0rd-7!');
    expect(decodeJwt(tokens.IdToken)['cognito:groups']).toEqual(['staff']);
    expect(await credentialKind(target, targetPool, 'user07')).toBe('srp');
    await expect(srpSignIn(target, targetPool, clientId, 'user07', 'Passw0rd-7!')).resolves.toBeDefined();
  });

  it('reports conflicts per user with exit status 1, and skips them with --on-conflict skip', async () => {
    const again = await frontdesk(target, ['users', 'import', '--pool', targetPool, file()]);
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stdout)).toMatchObject({ Imported: 0, Failed: 25 });
    expect(again.stderr).toContain('line 2 (user00): UsernameExistsException: User already exists');

    const skip = await frontdesk(target, ['users', 'import', '--pool', targetPool, file(), '--on-conflict', 'skip']);
    expect(skip.code, skip.stderr).toBe(0);
    expect(JSON.parse(skip.stdout)).toMatchObject({ Imported: 0, Skipped: 25, Failed: 0 });
  });

  it('names the line of a record that is not JSON, and refuses a file that is not an export', async () => {
    const header = readFileSync(file(), 'utf8').split('\n')[0];
    const broken = join(dir, 'broken.jsonl');
    writeFileSync(broken, `${header}\n{"Username":"fresh","Password":{"Type":"HASH","Hash":"$2b$04$xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}}\n{not json\n`);
    const run = await frontdesk(target, ['users', 'import', '--pool', targetPool, broken]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('line 2 (fresh): InvalidPasswordHash: bcrypt cost 4 is too weak: the minimum is 8.');
    expect(run.stderr).toContain('line 3: SerializationException: the line is not valid JSON');

    const notExport = join(dir, 'other.jsonl');
    writeFileSync(notExport, '{"hello":"world"}\n');
    const refused = await frontdesk(target, ['users', 'import', '--pool', targetPool, notExport]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('not a frontdesk-users file');
  });

  it('explains usage mistakes and server errors', async () => {
    const noPool = await frontdesk(target, ['users', 'export']);
    expect(noPool.code).toBe(2);
    expect(noPool.stderr).toContain('--pool <user pool id> is required');
    const badConflict = await frontdesk(target, ['users', 'import', '--pool', targetPool, file(), '--on-conflict', 'merge']);
    expect(badConflict.code).toBe(2);
    const unknownPool = await frontdesk(target, ['users', 'export', '--pool', 'us-east-1_nothere00']);
    expect(unknownPool.code).toBe(1);
    expect(unknownPool.stderr).toContain('ResourceNotFoundException');
  });
});
