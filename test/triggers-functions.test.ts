import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminGetUserCommand,
  SignUpCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from './support/test-server.js';
import { createClient, createPool, expectError, PASSWORD, unique } from './support/cognito.js';
import { adminCall, arnOf, fixture, hasPython, moduleEvents, putFunction, WebhookReceiver } from './support/triggers.js';

// The function registry (FrontdeskAdmin.PutFunction …) and the three transports, driven through
// a real trigger (PreSignUp on SignUp) with the AWS SDK: what each handler sees, how its answer
// changes the outcome, and Cognito's exception for every way a function can fail.

let server: TestServer;
let idp: CognitoIdentityProviderClient;
const receivers: WebhookReceiver[] = [];

beforeAll(async () => {
  server = await startTestServer({
    env: {
      FRONTDESK_TRIGGER_CODE_FROM_API: 'on',
      FRONTDESK_TRIGGER_FUNCTIONS: JSON.stringify([{ arn: arnOf('configured'), module: { path: fixture('recording-module.mjs') } }]),
    },
  });
  idp = server.client();
});
afterAll(async () => {
  for (const receiver of receivers) await receiver.close();
  await server?.close();
});

async function webhook(reply: ConstructorParameters<typeof WebhookReceiver>[0]): Promise<WebhookReceiver> {
  const receiver = await WebhookReceiver.start(reply);
  receivers.push(receiver);
  return receiver;
}

/** A pool whose PreSignUp trigger is `arn`, and an app client of it. */
async function poolWithPreSignUp(arn: string) {
  const poolId = await createPool(idp, { LambdaConfig: { PreSignUp: arn }, AutoVerifiedAttributes: ['email'] });
  const { clientId } = await createClient(idp, poolId);
  return { poolId, clientId };
}

const signUp = (clientId: string, username: string, email: string, extra: object = {}) =>
  idp.send(new SignUpCommand({ ClientId: clientId, Username: username, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: email }], ...extra }));

async function expectNoUser(poolId: string, username: string) {
  await expectError(idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username })), { name: 'UserNotFoundException' });
}

describe('the function registry (FrontdeskAdmin)', () => {
  it('creates a webhook function with a secret shown once, lists, gets, rotates and deletes it', async () => {
    const arn = arnOf(unique('hook'));
    const created = await putFunction(server, { FunctionArn: arn, Webhook: { Url: 'https://hooks.example.com/cognito' }, TimeoutMs: 2000 });
    expect(created.WebhookSecret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(created.Function).toMatchObject({ FunctionArn: arn, Transport: 'WEBHOOK', Webhook: { Url: 'https://hooks.example.com/cognito' }, TimeoutMs: 2000, Source: 'API' });

    const got = await adminCall(server, 'GetFunction', { FunctionArn: arn });
    expect(got.status).toBe(200);
    expect(got.text).not.toContain('whsec_');
    expect(got.body.Function.CreationDate).toEqual(expect.any(Number));

    // Replacing keeps the secret (and does not show it); RotateSecret issues a new one.
    const replaced = await putFunction(server, { FunctionArn: arn, Webhook: { Url: 'https://hooks.example.com/v2' } });
    expect(replaced.WebhookSecret).toBeUndefined();
    const rotated = await putFunction(server, { FunctionArn: arn, Webhook: { Url: 'https://hooks.example.com/v2' }, RotateSecret: true });
    expect(rotated.WebhookSecret).toMatch(/^whsec_/);
    expect(rotated.WebhookSecret).not.toBe(created.WebhookSecret);

    const listed = await adminCall(server, 'ListFunctions', {});
    const arns = listed.body.Functions.map((f: { FunctionArn: string }) => f.FunctionArn);
    expect(arns).toContain(arn);
    expect(listed.body.Functions.find((f: { FunctionArn: string }) => f.FunctionArn === arnOf('configured'))).toMatchObject({ Transport: 'MODULE', Source: 'CONFIG' });

    expect((await adminCall(server, 'DeleteFunction', { FunctionArn: arn })).status).toBe(200);
    const gone = await adminCall(server, 'GetFunction', { FunctionArn: arn });
    expect(gone.status).toBe(400);
    expect(gone.body.__type).toBe('ResourceNotFoundException');
  });

  it('keeps webhook secrets sealed at rest', async () => {
    const arn = arnOf(unique('sealed'));
    const { WebhookSecret } = await putFunction(server, { FunctionArn: arn, Webhook: { Url: 'https://hooks.example.com/x' } });
    const key = WebhookSecret!.slice('whsec_'.length);
    const row = await (server.store as any).triggerFunctions.db.selectFrom('trigger_functions').selectAll().where('arn', '=', arn).executeTakeFirst();
    expect(JSON.stringify(row)).not.toContain(key);
  });

  it('refuses bad input with Cognito-shaped errors, and config-file functions are read-only', async () => {
    const both = await adminCall(server, 'PutFunction', { FunctionArn: arnOf('x'), Webhook: { Url: 'https://a.example' }, Module: { Path: '/x.mjs' } });
    expect(both.body).toMatchObject({ __type: 'InvalidParameterException', message: 'Exactly one of Webhook, Module, Command and Lambda is required.' });
    const badArn = await adminCall(server, 'PutFunction', { FunctionArn: 'not-an-arn-of-a-function', Webhook: { Url: 'https://a.example' } });
    expect(badArn.body.__type).toBe('InvalidParameterException');
    const badRuntime = await adminCall(server, 'PutFunction', { FunctionArn: arnOf('y'), Command: { Runtime: 'ruby', File: '/x.rb' } });
    expect(badRuntime.body.__type).toBe('InvalidParameterException');
    const config = await adminCall(server, 'PutFunction', { FunctionArn: arnOf('configured'), Webhook: { Url: 'https://a.example' } });
    expect(config.body.message).toMatch(/defined in the configuration file/);
    const unsigned = await fetch(server.url, { method: 'POST', headers: { 'x-amz-target': 'FrontdeskAdmin.ListFunctions', 'content-type': 'application/x-amz-json-1.1' }, body: '{}' });
    expect(unsigned.status).toBe(400);
  });

  it('accepts module and command functions from the API only when the server allows code from the API', async () => {
    const strict = await startTestServer();
    try {
      const refused = await adminCall(strict, 'PutFunction', { FunctionArn: arnOf('m'), Module: { Path: fixture('recording-module.mjs') } });
      expect(refused.body.__type).toBe('InvalidParameterException');
      expect(refused.body.message).toMatch(/FRONTDESK_TRIGGER_CODE_FROM_API/);
      expect((await adminCall(strict, 'PutFunction', { FunctionArn: arnOf('w'), Webhook: { Url: 'https://a.example' } })).status).toBe(200);
    } finally {
      await strict.close();
    }
  });
});

describe('webhook transport', () => {
  it('POSTs the exact event, signed the Standard Webhooks way; the answer changes the outcome', async () => {
    const receiver = await webhook((event) => {
      event.response.autoConfirmUser = true;
      event.response.autoVerifyEmail = true;
      return { body: event };
    });
    const arn = arnOf(unique('presignup'));
    await receiver.register(server, arn);
    const { poolId, clientId } = await poolWithPreSignUp(arn);
    const username = unique('hooked');
    const result = await signUp(clientId, username, `${username}@example.com`, {
      ValidationData: [{ Name: 'invite', Value: 'abc' }],
      ClientMetadata: { source: 'test' },
    });
    expect(result.UserConfirmed).toBe(true);
    expect(result.CodeDeliveryDetails).toBeUndefined();

    expect(receiver.calls).toHaveLength(1);
    const call = receiver.calls[0]!;
    expect(call.signatureValid).toBe(true);
    expect(call.headers['content-type']).toBe('application/json');
    expect(call.headers['webhook-id']).toMatch(/^msg_/);
    expect(call.event).toEqual({
      version: '1',
      triggerSource: 'PreSignUp_SignUp',
      region: 'us-east-1',
      userPoolId: poolId,
      userName: username,
      callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId },
      request: { userAttributes: { email: `${username}@example.com` }, validationData: { invite: 'abc' }, clientMetadata: { source: 'test' } },
      response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
    });
    const user = await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
    expect(user.UserStatus).toBe('CONFIRMED');
    expect(user.UserAttributes).toContainEqual({ Name: 'email_verified', Value: 'true' });
  });

  it('a handler error (Lambda error document, non-2xx) is UserLambdaValidationException and creates nobody', async () => {
    const receiver = await webhook(() => ({ status: 400, body: { errorMessage: 'Invitation required', errorType: 'Error' } }));
    const arn = arnOf(unique('refuse'));
    await receiver.register(server, arn);
    const { poolId, clientId } = await poolWithPreSignUp(arn);
    const username = unique('refused');
    await expectError(signUp(clientId, username, `${username}@example.com`), {
      name: 'UserLambdaValidationException',
      message: 'PreSignUp failed with error Invitation required.',
    });
    await expectNoUser(poolId, username);
  });

  it('a malformed answer is InvalidLambdaResponseException', async () => {
    const receiver = await webhook(() => ({ raw: '<html>oops</html>' }));
    const arn = arnOf(unique('malformed'));
    await receiver.register(server, arn);
    const { poolId, clientId } = await poolWithPreSignUp(arn);
    const username = unique('malformed');
    await expectError(signUp(clientId, username, `${username}@example.com`), { name: 'InvalidLambdaResponseException', message: 'Unrecognizable lambda output' });
    await expectNoUser(poolId, username);

    const wrongType = await webhook((event) => ({ body: { ...event, response: { autoConfirmUser: 'yes' } } }));
    const arn2 = arnOf(unique('wrongtype'));
    await wrongType.register(server, arn2);
    const second = await poolWithPreSignUp(arn2);
    await expectError(signUp(second.clientId, username, `${username}@example.com`), { name: 'InvalidLambdaResponseException' });
    await expectNoUser(second.poolId, username);
  });

  it('a slow webhook times out (retried, same webhook-id) with UnexpectedLambdaException', async () => {
    const receiver = await webhook(() => ({ delayMs: 1500 }));
    const arn = arnOf(unique('slow'));
    await receiver.register(server, arn, { TimeoutMs: 200 });
    const { poolId, clientId } = await poolWithPreSignUp(arn);
    const username = unique('slow');
    await expectError(signUp(clientId, username, `${username}@example.com`), {
      name: 'UnexpectedLambdaException',
      message: 'PreSignUp invocation failed due to error Socket timeout while invoking Lambda function.',
    });
    await expectNoUser(poolId, username);
    expect(receiver.calls).toHaveLength(3);
    expect(new Set(receiver.calls.map((c) => c.headers['webhook-id'])).size).toBe(1);
  });

  it('an unreachable webhook is UnexpectedLambdaException; a passing 503 is retried', async () => {
    const closedPort = await new Promise<number>((done) => {
      const probe = createServer();
      probe.listen(0, '127.0.0.1', () => {
        const port = (probe.address() as { port: number }).port;
        probe.close(() => done(port));
      });
    });
    const arn = arnOf(unique('unreachable'));
    await putFunction(server, { FunctionArn: arn, Webhook: { Url: `http://127.0.0.1:${closedPort}/hook` } });
    const { poolId, clientId } = await poolWithPreSignUp(arn);
    const username = unique('unreachable');
    await expectError(signUp(clientId, username, `${username}@example.com`), {
      name: 'UnexpectedLambdaException',
      message: /^PreSignUp invocation failed due to error ECONNREFUSED while invoking Lambda function\.$/,
    });
    await expectNoUser(poolId, username);

    let failures = 2;
    const flaky = await webhook(() => (failures-- > 0 ? { status: 503, raw: 'busy' } : undefined));
    const arn2 = arnOf(unique('flaky'));
    await flaky.register(server, arn2);
    const second = await poolWithPreSignUp(arn2);
    const result = await signUp(second.clientId, username, `${username}@example.com`);
    expect(result.UserConfirmed).toBe(false);
    expect(flaky.calls).toHaveLength(3);
  });

  it('a function the registry does not know is UnexpectedLambdaException', async () => {
    const { poolId, clientId } = await poolWithPreSignUp(arnOf(unique('missing')));
    const username = unique('missing');
    await expectError(signUp(clientId, username, `${username}@example.com`), {
      name: 'UnexpectedLambdaException',
      message: 'PreSignUp invocation failed due to error ResourceNotFoundException.',
    });
    await expectNoUser(poolId, username);
  });
});

describe('in-process module transport', () => {
  it('calls an ES module handler with the event and a Lambda context (config-file function)', async () => {
    const { poolId, clientId } = await poolWithPreSignUp(arnOf('configured'));
    const username = unique('module');
    const before = moduleEvents().length;
    const result = await signUp(clientId, username, `${username}@auto.test`);
    expect(result.UserConfirmed).toBe(true);
    const seen = moduleEvents().slice(before);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.functionName).toBe('configured');
    expect(seen[0]!.remaining).toBeGreaterThan(4000);
    expect(seen[0]!.event).toMatchObject({ triggerSource: 'PreSignUp_SignUp', userPoolId: poolId, userName: username });

    await expectError(signUp(clientId, unique('module'), 'someone@blocked.test'), {
      name: 'UserLambdaValidationException',
      message: 'PreSignUp failed with error Sign-ups from blocked.test are closed.',
    });
  });

  it('supports CommonJS callback-style handlers', async () => {
    const arn = arnOf(unique('callback'));
    await putFunction(server, { FunctionArn: arn, Module: { Path: fixture('callback-handler.cjs') } });
    const { clientId } = await poolWithPreSignUp(arn);
    expect((await signUp(clientId, unique('cb'), 'cb@example.com')).UserConfirmed).toBe(true);
    await expectError(signUp(clientId, unique('cb'), 'cb@blocked.test'), {
      name: 'UserLambdaValidationException',
      message: 'PreSignUp failed with error Callback says no.',
    });
  });
});

describe('in-process module transport: failures', () => {
  it('a handler that never answers times out (UnexpectedLambdaException); a non-event answer is InvalidLambdaResponseException', async () => {
    const stuck = arnOf(unique('stuck'));
    await putFunction(server, { FunctionArn: stuck, TimeoutMs: 300, Module: { Path: fixture('stuck-module.mjs') } });
    const first = await poolWithPreSignUp(stuck);
    const username = unique('stuck');
    await expectError(signUp(first.clientId, username, `${username}@example.com`), {
      name: 'UnexpectedLambdaException',
      message: 'PreSignUp invocation failed due to error Socket timeout while invoking Lambda function.',
    });
    await expectNoUser(first.poolId, username);

    const odd = arnOf(unique('odd'));
    await putFunction(server, { FunctionArn: odd, Module: { Path: fixture('stuck-module.mjs'), Handler: 'notAnEvent' } });
    const second = await poolWithPreSignUp(odd);
    await expectError(signUp(second.clientId, username, `${username}@example.com`), { name: 'InvalidLambdaResponseException', message: 'Unrecognizable lambda output' });
    await expectNoUser(second.poolId, username);

    const missingExport = arnOf(unique('noexport'));
    await putFunction(server, { FunctionArn: missingExport, Module: { Path: fixture('stuck-module.mjs'), Handler: 'nothing' } });
    const third = await poolWithPreSignUp(missingExport);
    await expectError(signUp(third.clientId, username, `${username}@example.com`), {
      name: 'UserLambdaValidationException',
      message: 'PreSignUp failed with error stuck-module.nothing is undefined or not exported.',
    });
  });
});

describe('command transport', () => {
  it('runs an unmodified Node.js handler file in its own process, with a clean environment', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'fd-trigger-')), 'events.jsonl');
    const arn = arnOf(unique('nodecmd'));
    await putFunction(server, { FunctionArn: arn, Command: { Runtime: 'nodejs', File: fixture('command-handler.mjs'), Environment: { EVENT_LOG: log } } });
    const { poolId, clientId } = await poolWithPreSignUp(arn);
    const username = unique('nodecmd');
    expect((await signUp(clientId, username, `${username}@example.com`)).UserConfirmed).toBe(true);
    const [line] = readFileSync(log, 'utf8').trim().split('\n');
    const logged = JSON.parse(line!);
    expect(logged.event).toMatchObject({ triggerSource: 'PreSignUp_SignUp', userPoolId: poolId, userName: username });
    expect(logged.env).toEqual({ region: 'us-east-1', fn: arn.split(':')[6], masterKey: null });

    await expectError(signUp(clientId, unique('n'), 'no@blocked.test'), { name: 'UserLambdaValidationException', message: 'PreSignUp failed with error Node command says no.' });
    await expectError(signUp(clientId, unique('n'), 'crash@example.com'), {
      name: 'UserLambdaValidationException',
      message: 'PreSignUp failed with error Runtime exited with error: exit status 3.',
    });
    await expectError(signUp(clientId, unique('n'), 'garbage@example.com'), { name: 'InvalidLambdaResponseException' });

    // Lambda's wording for a file that cannot be loaded or lacks the handler, without server paths.
    const broken = arnOf(unique('broken'));
    await putFunction(server, { FunctionArn: broken, Command: { Runtime: 'nodejs', File: fixture('no-such-handler.mjs') } });
    const other = await poolWithPreSignUp(broken);
    await expectError(signUp(other.clientId, unique('n'), 'x@example.com'), {
      name: 'UserLambdaValidationException',
      message: "PreSignUp failed with error Unable to import module 'no-such-handler'.",
    });
    const misnamed = arnOf(unique('misnamed'));
    await putFunction(server, { FunctionArn: misnamed, Command: { Runtime: 'nodejs', File: fixture('command-handler.mjs'), Handler: 'main' } });
    const third = await poolWithPreSignUp(misnamed);
    await expectError(signUp(third.clientId, unique('n'), 'x@example.com'), {
      name: 'UserLambdaValidationException',
      message: 'PreSignUp failed with error command-handler.main is undefined or not exported.',
    });
  });

  it('kills a command past its deadline: UnexpectedLambdaException, nobody created', async () => {
    const arn = arnOf(unique('slowcmd'));
    await putFunction(server, { FunctionArn: arn, TimeoutMs: 1500, Command: { Runtime: 'nodejs', File: fixture('command-handler.mjs') } });
    const { poolId, clientId } = await poolWithPreSignUp(arn);
    const username = unique('slowcmd');
    const started = Date.now();
    await expectError(signUp(clientId, username, 'slow@example.com'), {
      name: 'UnexpectedLambdaException',
      message: 'PreSignUp invocation failed due to error Socket timeout while invoking Lambda function.',
    });
    expect(Date.now() - started).toBeLessThan(5000);
    await expectNoUser(poolId, username);
  });

  it.skipIf(!hasPython)('runs a Python handler as written: rejects disposable domains, auto-confirms the rest', async () => {
    const arn = arnOf(unique('python'));
    await putFunction(server, { FunctionArn: arn, Command: { Runtime: 'python', File: fixture('pre_sign_up.py') } });
    const { poolId, clientId } = await poolWithPreSignUp(arn);
    const refused = unique('py');
    await expectError(signUp(clientId, refused, 'throwaway@mailinator.com'), {
      name: 'UserLambdaValidationException',
      message: 'PreSignUp failed with error Disposable email addresses are not allowed.',
    });
    await expectNoUser(poolId, refused);
    const accepted = unique('py');
    expect((await signUp(clientId, accepted, `${accepted}@example.com`)).UserConfirmed).toBe(true);
    const user = await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: accepted }));
    expect(user.UserAttributes).toContainEqual({ Name: 'email_verified', Value: 'true' });
  });
});
