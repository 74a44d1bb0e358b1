import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignatureV4 } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';
import { Hash } from '@smithy/hash-node';
import { AdminGetUserCommand, SignUpCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from './support/test-server.js';
import { createClient, createPool, expectError, PASSWORD, unique } from './support/cognito.js';
import { adminCall, arnOf, putFunction } from './support/triggers.js';

// The Lambda Invoke transport against a stand-in for the AWS Lambda service (a real HTTP server
// speaking the Invoke API and checking SigV4 signatures with the key it was given).

const KEY = { accessKeyId: 'AKIAFRONTDESKTEST01', secretAccessKey: 'lambda-test-secret-key-0123456789' };

interface Invoked {
  functionName: string;
  headers: IncomingHttpHeaders;
  event: any;
}

let server: TestServer;
let idp: CognitoIdentityProviderClient;
let lambda: Server;
let endpoint = '';
const invoked: Invoked[] = [];

/** Recomputes the SigV4 signature of a received request with the known key. */
async function signatureValid(method: string, path: string, headers: IncomingHttpHeaders, body: string): Promise<boolean> {
  const authorization = String(headers.authorization ?? '');
  const signedHeaders = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(';') ?? [];
  const scope = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(authorization);
  if (!scope || scope[2] !== 'lambda') return false;
  const amzDate = String(headers['x-amz-date']);
  const signingDate = new Date(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`);
  const picked: Record<string, string> = {};
  for (const name of signedHeaders) picked[name] = String(headers[name]);
  const signer = new SignatureV4({ service: 'lambda', region: scope[1]!, credentials: KEY, sha256: Hash.bind(null, 'sha256') });
  const resigned = await signer.sign(new HttpRequest({ method, protocol: 'http:', hostname: '127.0.0.1', path, headers: picked, body }), { signingDate });
  return resigned.headers.authorization === authorization;
}

beforeAll(async () => {
  server = await startTestServer();
  idp = server.client();
  lambda = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(request.url!, 'http://127.0.0.1');
      const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(url.pathname);
      const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
        response.writeHead(status, { 'content-type': 'application/json', ...headers });
        response.end(JSON.stringify(payload));
      };
      if (!match || request.method !== 'POST') return send(404, { message: 'unknown route' }, { 'x-amzn-ErrorType': 'UnknownOperationException' });
      if (!(await signatureValid('POST', url.pathname, request.headers, body))) {
        return send(403, { message: 'The request signature we calculated does not match' }, { 'x-amzn-ErrorType': 'InvalidSignatureException:http://internal.amazon.com/coral/com.amazon.coral.service/' });
      }
      const functionName = decodeURIComponent(match[1]!);
      const event = JSON.parse(body);
      invoked.push({ functionName, headers: request.headers, event });
      if (functionName.endsWith(':function:confirm-all')) {
        event.response.autoConfirmUser = true;
        return send(200, event);
      }
      if (functionName === 'refuse') return send(200, { errorType: 'Error', errorMessage: 'No way', trace: [] }, { 'x-amz-function-error': 'Unhandled' });
      return send(404, { Type: 'User', message: `Function not found: ${functionName}` }, { 'x-amzn-ErrorType': 'ResourceNotFoundException' });
    });
  });
  await new Promise<void>((done) => lambda.listen(0, '127.0.0.1', done));
  endpoint = `http://127.0.0.1:${(lambda.address() as AddressInfo).port}`;
});
afterAll(async () => {
  lambda?.closeAllConnections();
  await new Promise<void>((done) => (lambda ? lambda.close(() => done()) : done()));
  await server?.close();
});

async function poolWith(arn: string) {
  const poolId = await createPool(idp, { LambdaConfig: { PreSignUp: arn }, AutoVerifiedAttributes: ['email'] });
  const { clientId } = await createClient(idp, poolId);
  return { poolId, clientId };
}

const signUp = (clientId: string, username: string) =>
  idp.send(new SignUpCommand({ ClientId: clientId, Username: username, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }] }));

describe('Lambda Invoke transport', () => {
  it('invokes the function by ARN with a SigV4-signed RequestResponse call; the answer applies', async () => {
    const arn = arnOf('confirm-all');
    const put = await putFunction(server, {
      FunctionArn: arn,
      Lambda: { Endpoint: endpoint, AccessKeyId: KEY.accessKeyId, SecretAccessKey: KEY.secretAccessKey },
    });
    expect(put.Function).toMatchObject({ Transport: 'LAMBDA', Lambda: { Endpoint: endpoint, FunctionName: arn, AccessKeyId: KEY.accessKeyId } });
    expect(JSON.stringify(put)).not.toContain(KEY.secretAccessKey);
    const got = await adminCall(server, 'GetFunction', { FunctionArn: arn });
    expect(got.text).not.toContain(KEY.secretAccessKey);
    const row = await (server.store as any).triggerFunctions.db.selectFrom('trigger_functions').selectAll().where('arn', '=', arn).executeTakeFirst();
    expect(JSON.stringify(row)).not.toContain(KEY.secretAccessKey);

    const { poolId, clientId } = await poolWith(arn);
    const username = unique('lambda');
    expect((await signUp(clientId, username)).UserConfirmed).toBe(true);
    const call = invoked.at(-1)!;
    expect(call.functionName).toBe(arn);
    expect(call.headers['x-amz-invocation-type']).toBe('RequestResponse');
    expect(String(call.headers.authorization)).toMatch(/Credential=AKIAFRONTDESKTEST01\/\d{8}\/us-east-1\/lambda\/aws4_request/);
    expect(call.event).toMatchObject({ triggerSource: 'PreSignUp_SignUp', userPoolId: poolId, userName: username });
    expect((await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }))).UserStatus).toBe('CONFIRMED');
  });

  it('a function error is UserLambdaValidationException; Lambda service errors are named as Cognito names them', async () => {
    const refusing = arnOf(unique('refusing'));
    await putFunction(server, { FunctionArn: refusing, Lambda: { Endpoint: endpoint, FunctionName: 'refuse', ...credentials() } });
    const a = await poolWith(refusing);
    await expectError(signUp(a.clientId, unique('x')), { name: 'UserLambdaValidationException', message: 'PreSignUp failed with error No way.' });

    const missing = arnOf(unique('missing'));
    await putFunction(server, { FunctionArn: missing, Lambda: { Endpoint: endpoint, ...credentials() } });
    const b = await poolWith(missing);
    await expectError(signUp(b.clientId, unique('x')), {
      name: 'UnexpectedLambdaException',
      message: 'PreSignUp invocation failed due to error ResourceNotFoundException.',
    });

    const badKey = arnOf(unique('badkey'));
    await putFunction(server, { FunctionArn: badKey, Lambda: { Endpoint: endpoint, AccessKeyId: KEY.accessKeyId, SecretAccessKey: 'not-the-secret' } });
    const c = await poolWith(badKey);
    const username = unique('x');
    await expectError(signUp(c.clientId, username), {
      name: 'UnexpectedLambdaException',
      message: 'PreSignUp invocation failed due to error InvalidSignatureException.',
    });
    await expectError(idp.send(new AdminGetUserCommand({ UserPoolId: c.poolId, Username: username })), { name: 'UserNotFoundException' });
  });

  it('a Lambda function needs an access key; a later PutFunction may leave it out and keep it', async () => {
    const arn = arnOf(unique('keyless'));
    const refused = await adminCall(server, 'PutFunction', { FunctionArn: arn, Lambda: { Endpoint: endpoint } });
    expect(refused.body).toMatchObject({ __type: 'InvalidParameterException', message: 'A Lambda function needs AccessKeyId and SecretAccessKey.' });
    await putFunction(server, { FunctionArn: arn, Lambda: { Endpoint: endpoint, ...credentials() } });
    const kept = await putFunction(server, { FunctionArn: arn, Lambda: { Endpoint: endpoint, FunctionName: 'refuse' } });
    expect(kept.Function.Lambda).toEqual({ Endpoint: endpoint, FunctionName: 'refuse', AccessKeyId: KEY.accessKeyId });
  });
});

function credentials() {
  return { AccessKeyId: KEY.accessKeyId, SecretAccessKey: KEY.secretAccessKey };
}
