import { request as httpRequest } from 'node:http';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminGetUserCommand,
  ConfirmForgotPasswordCommand,
  CreateUserImportJobCommand,
  DescribeUserImportJobCommand,
  ForgotPasswordCommand,
  GetCSVHeaderCommand,
  InitiateAuthCommand,
  ListUserImportJobsCommand,
  StartUserImportJobCommand,
  StopUserImportJobCommand,
  type CognitoIdentityProviderClient,
  type UserImportJobType,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from './support/test-server.js';
import { adminAtServerTime, adminUser, createClient, createPool, DAY_MS, expectError, passwordSignIn, unique } from './support/cognito.js';
import { latestCode } from './support/outbox.js';
import { rawCall } from './support/signed-fetch.js';
import { CLI_TIMEOUT_MS, cliMissing, cliRunner } from './support/aws-cli.js';
import { LEASE_MS } from '../src/domain/user-import/user-import-runner.js';

// User import jobs with the AWS SDK v3 against the real server: GetCSVHeader, CreateUserImportJob,
// the CSV PUT to the PreSignedUrl, StartUserImportJob, DescribeUserImportJob (polled until the
// background import ends), StopUserImportJob, ListUserImportJobs; imported users are RESET_REQUIRED
// and get in through ForgotPassword / ConfirmForgotPassword.

let server: TestServer;
let idp: CognitoIdentityProviderClient;

const ROLE = 'arn:aws:iam::123456789012:role/CognitoImport';
const STANDARD_HEADER = [
  'name', 'given_name', 'family_name', 'middle_name', 'nickname', 'preferred_username', 'profile', 'picture', 'website',
  'email', 'email_verified', 'gender', 'birthdate', 'zoneinfo', 'locale', 'phone_number', 'phone_number_verified', 'address',
  'updated_at',
];

beforeAll(async () => {
  server = await startTestServer();
  idp = server.client();
});

afterAll(async () => {
  await server?.close();
});

/** A CSV in the header's column order; commas in values escaped as Cognito wants (`\,`). */
function csv(header: string[], rows: (Record<string, string> | '')[]): string {
  const lines = rows.map((row) => (row === '' ? '' : header.map((c) => (row[c] ?? '').replace(/,/g, '\\,')).join(',')));
  return [header.join(','), ...lines].join('\n') + '\n';
}

const emailPool = (extra = {}) => createPool(idp, { AutoVerifiedAttributes: ['email'], ...extra });

async function createJob(poolId: string, name = unique('job')): Promise<UserImportJobType> {
  const { UserImportJob } = await idp.send(new CreateUserImportJobCommand({ UserPoolId: poolId, JobName: name, CloudWatchLogsRoleArn: ROLE }));
  return UserImportJob!;
}

/** The upload as Cognito's guide does it with curl: PUT, with x-amz-server-side-encryption: aws:kms. */
const put = (url: string, body: string | Buffer, headers: Record<string, string> = { 'x-amz-server-side-encryption': 'aws:kms' }) =>
  fetch(url, { method: 'PUT', body: typeof body === 'string' ? body : new Uint8Array(body), headers });

async function header(poolId: string): Promise<string[]> {
  return (await idp.send(new GetCSVHeaderCommand({ UserPoolId: poolId }))).CSVHeader!;
}

const describeJob = async (poolId: string, jobId: string) =>
  (await idp.send(new DescribeUserImportJobCommand({ UserPoolId: poolId, JobId: jobId }))).UserImportJob!;

/** Polls DescribeUserImportJob until the job reaches one of the statuses. */
async function waitFor(poolId: string, jobId: string, statuses: string[], timeoutMs = 60_000): Promise<UserImportJobType> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await describeJob(poolId, jobId);
    if (statuses.includes(job.Status!)) return job;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.Status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function importCsv(poolId: string, body: string): Promise<UserImportJobType> {
  const job = await createJob(poolId);
  expect((await put(job.PreSignedUrl!, body)).status).toBe(200);
  await idp.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId }));
  return waitFor(poolId, job.JobId!, ['Succeeded', 'Failed']);
}

async function rowErrors(poolId: string, jobId: string, extra: Record<string, unknown> = {}) {
  const response = await rawCall(server.url, 'FrontdeskAdmin.ListUserImportJobErrors', JSON.stringify({ UserPoolId: poolId, JobId: jobId, ...extra }), {
    credentials: server.admin,
  });
  expect(response.status).toBe(200);
  return response.body as { Errors: { LineNumber: number; Result: string; Message: string }[]; NextToken?: string };
}

function bulkCsv(columns: string[], count: number, prefix: string): string {
  const rows = Array.from({ length: count }, (_, i) => ({
    'cognito:username': `${prefix}${i}`,
    email: `${prefix}${i}@example.com`,
    email_verified: 'true',
    'cognito:mfa_enabled': 'false',
  }));
  return csv(columns, rows);
}

describe('GetCSVHeader', () => {
  it("lists the pool's attributes in Cognito's order, custom ones, then cognito:mfa_enabled and cognito:username", async () => {
    const poolId = await createPool(idp, {
      Schema: [
        { Name: 'tenant', AttributeDataType: 'String', Mutable: true },
        { Name: 'age', AttributeDataType: 'Number' },
      ],
    });
    const result = await idp.send(new GetCSVHeaderCommand({ UserPoolId: poolId }));
    expect(result.UserPoolId).toBe(poolId);
    expect(result.CSVHeader).toEqual([...STANDARD_HEADER, 'custom:tenant', 'custom:age', 'cognito:mfa_enabled', 'cognito:username']);
  });

  it('answers ResourceNotFoundException for a pool that does not exist', async () => {
    await expectError(idp.send(new GetCSVHeaderCommand({ UserPoolId: 'us-east-1_nopool123' })), { name: 'ResourceNotFoundException' });
  });
});

describe('an import from start to sign-in', () => {
  let poolId: string;
  let clientId: string;
  let job: UserImportJobType;
  const good = ['ada', 'grace', 'alan'].map((name) => ({
    'cognito:username': name,
    email: `${name}@example.com`,
    email_verified: 'true',
    'cognito:mfa_enabled': 'false',
    name: `${name[0]!.toUpperCase()}${name.slice(1)}, Esq.`,
    'custom:tenant': 'acme',
  }));

  beforeAll(async () => {
    poolId = await emailPool({ Schema: [{ Name: 'tenant', AttributeDataType: 'String' }] });
    ({ clientId } = await createClient(idp, poolId));
    await adminUser(idp, poolId, 'existing', { email: 'existing@example.com' });
  });

  it('creates a job whose PreSignedUrl points at Frontdesk', async () => {
    job = await createJob(poolId, 'first import');
    expect(job).toMatchObject({ JobName: 'first import', UserPoolId: poolId, Status: 'Created', CloudWatchLogsRoleArn: ROLE, ImportedUsers: 0, SkippedUsers: 0, FailedUsers: 0 });
    expect(job.JobId).toMatch(/^import-[0-9A-Za-z]{10}$/);
    expect(job.PreSignedUrl!.startsWith(`${server.url}/user-import/${poolId}/${job.JobId}?`)).toBe(true);
    expect(job.CreationDate).toBeInstanceOf(Date);
    expect(job.StartDate).toBeUndefined();
  });

  it('takes the CSV, imports the good lines and counts the others', async () => {
    const columns = await header(poolId);
    const body = csv(columns, [
      good[0]!,
      { 'cognito:username': 'noverify', email: 'noverify@example.com', email_verified: 'false', 'cognito:mfa_enabled': 'false' }, // line 3
      good[1]!,
      { 'cognito:username': 'existing', email: 'other@example.com', email_verified: 'true', 'cognito:mfa_enabled': 'false' }, // line 5
      '', // line 6: blank, ignored
      { 'cognito:username': 'mfa', email: 'mfa@example.com', email_verified: 'true', 'cognito:mfa_enabled': 'true' }, // line 7
      good[2]!,
      { ...good[0]!, email: 'ada2@example.com' }, // line 9: a username already in the file
      { 'cognito:username': 'has space', email: 'sp@example.com', email_verified: 'true', 'cognito:mfa_enabled': 'false' }, // line 10
      { 'cognito:username': 'bademail', email: 'not-an-email', email_verified: 'true', 'cognito:mfa_enabled': 'false' }, // line 11
    ]);
    const upload = await put(job.PreSignedUrl!, body);
    expect(upload.status).toBe(200);

    const started = (await idp.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId }))).UserImportJob!;
    expect(['Pending', 'InProgress', 'Succeeded']).toContain(started.Status);
    expect(started.StartDate).toBeInstanceOf(Date);

    const done = await waitFor(poolId, job.JobId!, ['Succeeded', 'Failed']);
    expect(done).toMatchObject({ Status: 'Succeeded', ImportedUsers: 3, SkippedUsers: 2, FailedUsers: 4, CompletionMessage: 'Import Job Completed Successfully.' });
    expect(done.CompletionDate!.getTime()).toBeGreaterThanOrEqual(done.StartDate!.getTime());

    const { Errors } = await rowErrors(poolId, job.JobId!);
    expect(Errors).toEqual([
      { LineNumber: 3, Result: 'FAILED', Message: 'The User Record does not set any of the auto verified attributes to true. (Example: email_verified to true).' },
      { LineNumber: 5, Result: 'SKIPPED', Message: 'The user already exists.' },
      { LineNumber: 7, Result: 'FAILED', Message: 'cognito:mfa_enabled must be false: MFA is off in this user pool.' },
      { LineNumber: 9, Result: 'SKIPPED', Message: 'The user already exists.' },
      { LineNumber: 10, Result: 'FAILED', Message: 'cognito:username cannot contain spaces or tabs.' },
      { LineNumber: 11, Result: 'FAILED', Message: 'Invalid email address format.' },
    ]);
    const page1 = await rowErrors(poolId, job.JobId!, { MaxResults: 4 });
    expect(page1.Errors.map((e) => e.LineNumber)).toEqual([3, 5, 7, 9]);
    const page2 = await rowErrors(poolId, job.JobId!, { MaxResults: 4, NextToken: page1.NextToken });
    expect(page2.Errors.map((e) => e.LineNumber)).toEqual([10, 11]);
    expect(page2.NextToken).toBeUndefined();
  });

  it('imports users in RESET_REQUIRED, with their attributes and no password', async () => {
    const user = await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'ada' }));
    expect(user.UserStatus).toBe('RESET_REQUIRED');
    expect(user.Enabled).toBe(true);
    const attributes = Object.fromEntries(user.UserAttributes!.map((a) => [a.Name, a.Value]));
    expect(attributes).toMatchObject({ email: 'ada@example.com', email_verified: 'true', name: 'Ada, Esq.', 'custom:tenant': 'acme' });
    expect(attributes.sub).toMatch(/^[0-9a-f-]{36}$/);
    // The existing user was left alone.
    const existing = await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'existing' }));
    expect(existing.UserAttributes!.find((a) => a.Name === 'email')!.Value).toBe('existing@example.com');
    await expectError(idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'noverify' })), { name: 'UserNotFoundException' });
  });

  it('makes an imported user reset their password, then lets them sign in', async () => {
    await expectError(
      idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'grace', PASSWORD: 'anything-1A!' } })),
      { name: 'PasswordResetRequiredException', message: 'Password reset required for the user' },
    );
    await expectError(
      idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: 'grace', SRP_A: 'ab'.repeat(384) } })),
      { name: 'PasswordResetRequiredException' },
    );
    const forgot = await idp.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'grace' }));
    expect(forgot.CodeDeliveryDetails).toMatchObject({ DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    const code = await latestCode(server, 'grace@example.com');
    await idp.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: 'grace', ConfirmationCode: code, Password: 'N3w-Passw0rd!' }));
    const tokens = await passwordSignIn(idp, clientId, 'grace', 'N3w-Passw0rd!');
    expect(tokens.AccessToken).toBeTruthy();
    expect((await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'grace' }))).UserStatus).toBe('CONFIRMED');
  });

  it('refuses a second start, a stop of a finished job, and uploads after the start', async () => {
    const precondition = { name: 'PreconditionNotMetException', message: `Import job ${job.JobId} cannot be started: its status is Succeeded.` };
    await expectError(idp.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId })), precondition);
    await expectError(idp.send(new StopUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId })), {
      name: 'PreconditionNotMetException',
      message: `Import job ${job.JobId} cannot be stopped: its status is Succeeded.`,
    });
    const upload = await put(job.PreSignedUrl!, 'x');
    expect(upload.status).toBe(403);
    expect(await upload.text()).toContain('<Code>AccessDenied</Code>');
  });

  it('describes the job from another pool as not found', async () => {
    const otherPool = await emailPool();
    await expectError(idp.send(new DescribeUserImportJobCommand({ UserPoolId: otherPool, JobId: job.JobId })), {
      name: 'ResourceNotFoundException',
      message: `Import job ${job.JobId} does not exist in user pool ${otherPool}.`,
    });
    await expectError(idp.send(new DescribeUserImportJobCommand({ UserPoolId: poolId, JobId: 'import-doesnotexist' })), { name: 'ResourceNotFoundException' });
  });
});

describe('validation of the file and its lines', () => {
  it('fails a job whose header is not the pool header, importing nothing', async () => {
    const poolId = await emailPool();
    const done = await importCsv(poolId, 'cognito:username,email,email_verified,cognito:mfa_enabled\nbob,bob@example.com,true,false\n');
    expect(done.Status).toBe('Failed');
    expect(done.CompletionMessage).toMatch(/^The CSV header lacks columns of the user pool: name, given_name/);
    expect(done.ImportedUsers).toBe(0);
    expect(await server.store.users.count(poolId)).toBe(0);

    const unknown = await importCsv(poolId, `${(await header(poolId)).join(',')},favourite_colour\n`);
    expect(unknown).toMatchObject({ Status: 'Failed', CompletionMessage: 'The CSV header has a column that is not in the user pool: favourite_colour' });
  });

  it('fails a file that is not UTF-8', async () => {
    const poolId = await emailPool();
    const columns = (await header(poolId)).join(',');
    const job = await createJob(poolId);
    await put(job.PreSignedUrl!, Buffer.concat([Buffer.from(`${columns}\n`), Buffer.from([0xff, 0xfe, 0x41, 0x0a])]));
    await idp.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId }));
    expect(await waitFor(poolId, job.JobId!, ['Succeeded', 'Failed'])).toMatchObject({ Status: 'Failed', CompletionMessage: 'The CSV file is not valid UTF-8.' });
  });

  it('applies required attributes, verified flags, MFA settings, username attributes and quoting', async () => {
    const poolId = await createPool(idp, {
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email', 'phone_number'],
      Schema: [{ Name: 'family_name', AttributeDataType: 'String', Required: true }],
      MfaConfiguration: 'OPTIONAL',
      SmsConfiguration: { SnsCallerArn: 'arn:aws:iam::123456789012:role/sns', ExternalId: 'x' },
    });
    const columns = await header(poolId);
    const row = (extra: Record<string, string>) => ({ 'cognito:mfa_enabled': 'false', family_name: 'Doe', ...extra });
    const lines = [
      row({ 'cognito:username': 'phone@example.com', phone_number: '+15555550100', phone_number_verified: 'true' }), // 2: ok, phone verified
      row({ 'cognito:username': 'nofamily@example.com', email_verified: 'TRUE', family_name: '' }), // 3: required attribute
      row({ 'cognito:username': 'not-an-email', email_verified: 'true' }), // 4: username must be an email
      row({ 'cognito:username': 'mfa@example.com', email_verified: 'true', 'cognito:mfa_enabled': 'TRUE' }), // 5: ok, optional MFA
      row({ 'cognito:username': 'nomfa@example.com', email_verified: 'true', 'cognito:mfa_enabled': '' }), // 6: mfa required
      row({ 'cognito:username': 'phoneless@example.com', phone_number_verified: 'true' }), // 7: verified phone without a phone
    ];
    const body = csv(columns, lines).replace('Doe', '"Doe, Jr."'); // an RFC 4180 quoted value on line 2
    const done = await importCsv(poolId, body);
    expect(done).toMatchObject({ Status: 'Succeeded', ImportedUsers: 2, FailedUsers: 4, SkippedUsers: 0 });
    const { Errors } = await rowErrors(poolId, done.JobId!);
    expect(Errors.map((e) => [e.LineNumber, e.Message])).toEqual([
      [3, 'Attributes did not conform to the schema: family_name: The attribute is required'],
      [4, 'Username should be an email.'],
      [6, 'cognito:mfa_enabled must be true or false.'],
      [7, 'phone_number_verified is true but phone_number is empty.'],
    ]);
    const user = await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'phone@example.com' }));
    const attributes = Object.fromEntries(user.UserAttributes!.map((a) => [a.Name, a.Value]));
    expect(attributes).toMatchObject({ email: 'phone@example.com', phone_number: '+15555550100', family_name: 'Doe, Jr.' });
    expect(user.Username).toBe(attributes.sub); // the email is the sign-in name; the username is the sub
  });

  it('refuses the start when the pool auto-verifies nothing, or no CSV was uploaded', async () => {
    const plain = await createPool(idp);
    const job = await createJob(plain);
    await expectError(idp.send(new StopUserImportJobCommand({ UserPoolId: plain, JobId: job.JobId })), {
      name: 'PreconditionNotMetException',
      message: `Import job ${job.JobId} cannot be stopped: its status is Created.`,
    });
    await expectError(idp.send(new StartUserImportJobCommand({ UserPoolId: plain, JobId: job.JobId })), {
      name: 'PreconditionNotMetException',
      message: `No CSV file has been uploaded to the PreSignedUrl of import job ${job.JobId}.`,
    });
    await put(job.PreSignedUrl!, `${(await header(plain)).join(',')}\n`);
    await expectError(idp.send(new StartUserImportJobCommand({ UserPoolId: plain, JobId: job.JobId })), {
      name: 'PreconditionNotMetException',
      message: /no auto-verified attributes/,
    });
    expect((await describeJob(plain, job.JobId!)).Status).toBe('Created');
  });
});

describe('the upload URL', () => {
  it('refuses a tampered signature, another job and a wrong encryption header', async () => {
    const poolId = await emailPool();
    const job = await createJob(poolId);
    const other = await createJob(poolId);
    const url = new URL(job.PreSignedUrl!);
    const signature = url.searchParams.get('X-Frontdesk-Signature')!;
    url.searchParams.set('X-Frontdesk-Signature', (signature[0] === 'a' ? 'b' : 'a') + signature.slice(1));
    const tampered = await put(url.toString(), 'x');
    expect(tampered.status).toBe(403);
    expect(await tampered.text()).toContain('<Code>SignatureDoesNotMatch</Code>');

    const swapped = job.PreSignedUrl!.replace(job.JobId!, other.JobId!);
    expect((await put(swapped, 'x')).status).toBe(403);
    const later = new URL(job.PreSignedUrl!);
    later.searchParams.set('X-Frontdesk-Expires', String(Number(later.searchParams.get('X-Frontdesk-Expires')) + 3600));
    expect((await put(later.toString(), 'x')).status).toBe(403);

    const sse = await put(job.PreSignedUrl!, 'x', { 'x-amz-server-side-encryption': 'rot13' });
    expect(sse.status).toBe(400);
    expect(await sse.text()).toContain('<Code>InvalidArgument</Code>');
    // Without the header (fetch's default text/plain body) the upload is fine too.
    expect((await put(job.PreSignedUrl!, 'x', {})).status).toBe(200);
  });

  it("takes a file of several megabytes from curl, as Cognito's guide uploads it", async ({ skip }) => {
    const curl = spawnSync('curl', ['--version'], { encoding: 'utf8' });
    skip(curl.status !== 0, 'curl is not installed');
    const poolId = await emailPool();
    const job = await createJob(poolId);
    const dir = mkdtempSync(join(tmpdir(), 'frontdesk-import-'));
    try {
      const file = join(dir, 'users.csv');
      const body = bulkCsv(await header(poolId), 40_000, 'curl'); // over 1 MB: curl sends Expect: 100-continue
      writeFileSync(file, body);
      const run = await new Promise<string>((resolve, reject) => {
        const child = spawn('curl', ['-sS', '-T', file, '-H', 'x-amz-server-side-encryption:aws:kms', '-w', '%{http_code}', job.PreSignedUrl!]);
        let out = '';
        child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
        child.on('error', reject);
        child.on('close', () => resolve(out));
      });
      expect(run).toBe('200');
      const stored = (await server.store.userImports.get(job.JobId!))!;
      expect(stored).toMatchObject({ csvBytes: Buffer.byteLength(body), csvLines: 40_001 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('expires after 15 minutes', async () => {
    const poolId = await emailPool();
    const job = await createJob(poolId);
    server.clock.advance(15 * 60 * 1000 + 1000);
    try {
      const expired = await put(job.PreSignedUrl!, 'x');
      expect(expired.status).toBe(403);
      expect(await expired.text()).toContain('<Message>Request has expired</Message>');
    } finally {
      server.clock.advance(-(15 * 60 * 1000 + 1000));
    }
  });

  it('refuses a body over 100 MB before reading it', async () => {
    const poolId = await emailPool();
    const job = await createJob(poolId);
    const url = new URL(job.PreSignedUrl!);
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(
        { method: 'PUT', host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, headers: { 'content-length': String(100 * 1024 * 1024 + 1) } },
        (res) => {
          let body = '';
          res.setEncoding('utf8').on('data', (c: string) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode!, body }));
        },
      );
      req.on('error', reject);
      req.write('cognito:username\n');
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toContain('<Code>EntityTooLarge</Code>');
  });
});

describe('ListUserImportJobs', () => {
  it('pages through the pool jobs, newest first', async () => {
    const poolId = await emailPool();
    const created: string[] = [];
    for (let i = 0; i < 3; i++) {
      created.push((await createJob(poolId, `job ${i}`)).JobId!);
      server.clock.advance(1000);
    }
    server.clock.advance(-3000);
    const first = await idp.send(new ListUserImportJobsCommand({ UserPoolId: poolId, MaxResults: 2 }));
    expect(first.UserImportJobs!.map((j) => j.JobId)).toEqual([created[2], created[1]]);
    expect(first.PaginationToken).toBeTruthy();
    const second = await idp.send(new ListUserImportJobsCommand({ UserPoolId: poolId, MaxResults: 2, PaginationToken: first.PaginationToken }));
    expect(second.UserImportJobs!.map((j) => j.JobId)).toEqual([created[0]]);
    expect(second.PaginationToken).toBeUndefined();
    expect(second.UserImportJobs![0]).toMatchObject({ JobName: 'job 0', Status: 'Created', CloudWatchLogsRoleArn: ROLE });

    await expectError(idp.send(new ListUserImportJobsCommand({ UserPoolId: poolId, MaxResults: 2, PaginationToken: 'bogus' })), {
      name: 'InvalidParameterException',
    });
    await expectError(idp.send(new ListUserImportJobsCommand({ UserPoolId: poolId, MaxResults: 61 })), { name: 'InvalidParameterException' });
    await expectError(idp.send(new ListUserImportJobsCommand({ UserPoolId: 'us-east-1_nopool123', MaxResults: 2 })), {
      name: 'ResourceNotFoundException',
    });
  });
});

describe('CreateUserImportJob input', () => {
  it('requires CloudWatchLogsRoleArn and an existing pool', async () => {
    const poolId = await emailPool();
    await expectError(idp.send(new CreateUserImportJobCommand({ UserPoolId: poolId, JobName: 'x' } as never)), { name: 'InvalidParameterException' });
    await expectError(idp.send(new CreateUserImportJobCommand({ UserPoolId: poolId, JobName: 'x', CloudWatchLogsRoleArn: 'not-an-arn' })), {
      name: 'InvalidParameterException',
    });
    await expectError(idp.send(new CreateUserImportJobCommand({ UserPoolId: 'us-east-1_nopool123', JobName: 'x', CloudWatchLogsRoleArn: ROLE })), {
      name: 'ResourceNotFoundException',
    });
  });
});

describe('job lifecycle', () => {
  it('expires a job that is not started within 24 hours', async () => {
    const poolId = await emailPool();
    const job = await createJob(poolId);
    await put(job.PreSignedUrl!, `${(await header(poolId)).join(',')}\n`);
    server.clock.advance(DAY_MS + 1000);
    try {
      // A client per call: the SDK corrects its clock from each answer's (real-time) Date header.
      const expired = (await adminAtServerTime(server).send(new DescribeUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId }))).UserImportJob!;
      expect(expired.Status).toBe('Expired');
      await expectError(adminAtServerTime(server).send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId })), { name: 'PreconditionNotMetException' });
    } finally {
      server.clock.advance(-(DAY_MS + 1000));
    }
  });

  it('stops a running job between batches; what was imported stays', { timeout: 120_000 }, async () => {
    const poolId = await emailPool();
    const total = 20_000;
    const job = await createJob(poolId);
    await put(job.PreSignedUrl!, bulkCsv(await header(poolId), total, 'stop'));
    await idp.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId }));
    await waitFor(poolId, job.JobId!, ['InProgress']);
    const stopping = (await idp.send(new StopUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId }))).UserImportJob!;
    expect(['Stopping', 'Stopped']).toContain(stopping.Status);
    const stopped = await waitFor(poolId, job.JobId!, ['Stopped', 'Succeeded', 'Failed']);
    expect(stopped).toMatchObject({ Status: 'Stopped', CompletionMessage: 'The user import job was stopped.' });
    expect(stopped.ImportedUsers).toBeLessThan(total);
    expect(await server.store.users.count(poolId)).toBe(stopped.ImportedUsers);
    await expectError(idp.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId })), { name: 'PreconditionNotMetException' });
  });

  it('shows progress while a large job runs and resumes after a restart without losing or doubling users', { timeout: 120_000 }, async () => {
    const poolId = await emailPool();
    const total = 15_000;
    const job = await createJob(poolId);
    await put(job.PreSignedUrl!, bulkCsv(await header(poolId), total, 'restart'));
    await idp.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId }));
    let progress: UserImportJobType;
    do progress = await describeJob(poolId, job.JobId!);
    while (progress.ImportedUsers === 0 && progress.Status !== 'Succeeded');
    expect(progress.Status).toBe('InProgress');
    expect(progress.ImportedUsers).toBeGreaterThan(0);
    expect(progress.ImportedUsers).toBeLessThan(total);

    await server.restart();
    idp = server.client();
    const done = await waitFor(poolId, job.JobId!, ['Succeeded', 'Failed']);
    expect(done).toMatchObject({ Status: 'Succeeded', ImportedUsers: total, SkippedUsers: 0, FailedUsers: 0 });
    expect(await server.store.users.count(poolId)).toBe(total);
  });

  it('takes over a job whose node died, once its lease has run out', { timeout: 60_000 }, async () => {
    const poolId = await emailPool();
    const job = await createJob(poolId);
    await put(job.PreSignedUrl!, bulkCsv(await header(poolId), 2500, 'takeover'));
    const store = server.store.userImports;
    const now = server.clock.now();
    // A node started the job, took it, and died without a word.
    await store.transition(job.JobId!, ['Created'], 'Pending', { startedAt: now });
    expect(await store.claim(job.JobId!, 'node-dead', now, new Date(now.getTime() + LEASE_MS))).toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await describeJob(poolId, job.JobId!)).toMatchObject({ Status: 'InProgress', ImportedUsers: 0 });

    server.clock.advance(LEASE_MS + 1000);
    try {
      const done = await waitFor(poolId, job.JobId!, ['Succeeded', 'Failed'], 30_000);
      expect(done).toMatchObject({ Status: 'Succeeded', ImportedUsers: 2500 });
      expect(await server.store.users.count(poolId)).toBe(2500);
    } finally {
      server.clock.advance(-(LEASE_MS + 1000));
    }
  });

  it('lets exactly one node claim a job, and a node that lost its lease writes nothing', async () => {
    const poolId = await emailPool();
    const job = await createJob(poolId);
    const store = server.store.userImports;
    // A job that a (pretend) node started and holds: only after its lease ends can another take it.
    await put(job.PreSignedUrl!, bulkCsv(await header(poolId), 1, 'lease'));
    const now = server.clock.now();
    await store.transition(job.JobId!, ['Created'], 'Pending', { startedAt: now });
    expect(await store.claim(job.JobId!, 'node-gone', now, new Date(now.getTime() + 10 * LEASE_MS))).toBeDefined();
    expect(await store.claim(job.JobId!, 'node-a', now, new Date(now.getTime() + LEASE_MS))).toBeUndefined();

    const later = new Date(now.getTime() + 11 * LEASE_MS);
    const claims = await Promise.all(['node-a', 'node-b'].map((owner) => store.claim(job.JobId!, owner, later, new Date(later.getTime() + 10 * LEASE_MS))));
    const winners = claims.filter(Boolean);
    expect(winners).toHaveLength(1);
    const batch = { jobId: job.JobId!, leaseUntil: later, users: [], errors: [], linesDone: 1, maxStoredErrors: 10, conflict: { result: 'SKIPPED' as const, message: 'x' } };
    expect(await store.commitBatch({ ...batch, owner: 'node-gone' })).toEqual({ kind: 'lost' });
    expect((await store.get(job.JobId!))!.linesDone).toBe(0);
    expect(await store.commitBatch({ ...batch, owner: winners[0]!.leaseOwner! })).toMatchObject({ kind: 'ok', status: 'InProgress' });
    expect((await store.get(job.JobId!))!.linesDone).toBe(1);
  });
});

describe('AWS CLI', () => {
  it('get-csv-header, create-user-import-job, start and describe', { timeout: CLI_TIMEOUT_MS * 4 }, async ({ skip }) => {
    skip(!!cliMissing, cliMissing);
    const cli = cliRunner(() => server);
    try {
      const poolId = await emailPool();
      const { CSVHeader } = await cli.awsJson(['get-csv-header', '--user-pool-id', poolId]);
      expect(CSVHeader).toEqual([...STANDARD_HEADER, 'cognito:mfa_enabled', 'cognito:username']);
      const { UserImportJob } = await cli.awsJson([
        'create-user-import-job', '--job-name', 'cli import', '--user-pool-id', poolId, '--cloud-watch-logs-role-arn', ROLE,
      ]);
      expect(UserImportJob.Status).toBe('Created');
      expect((await put(UserImportJob.PreSignedUrl, bulkCsv(CSVHeader, 5, 'cli'))).status).toBe(200);
      const started = await cli.awsJson(['start-user-import-job', '--user-pool-id', poolId, '--job-id', UserImportJob.JobId]);
      expect(started.UserImportJob.JobId).toBe(UserImportJob.JobId);
      await waitFor(poolId, UserImportJob.JobId, ['Succeeded']);
      const described = await cli.awsJson(['describe-user-import-job', '--user-pool-id', poolId, '--job-id', UserImportJob.JobId]);
      expect(described.UserImportJob).toMatchObject({ Status: 'Succeeded', ImportedUsers: 5 });
    } finally {
      cli.cleanup();
    }
  });
});
