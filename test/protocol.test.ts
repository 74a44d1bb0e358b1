import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateUserPoolCommand,
  ListTagsForResourceCommand,
  ListUserPoolsCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from './support/test-server.js';
import { IDP, rawCall } from './support/signed-fetch.js';
import { idpOperations } from '../src/api/registry.js';
import { operationModels } from '../src/generated/operation-models.js';

/** Captures the error an SDK call rejects with. */
async function sdkError(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

describe('AWS JSON 1.1 protocol', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  describe('dispatch', () => {
    it('answers a target in neither model with UnknownOperationException (400)', async () => {
      const response = await rawCall(server.url, `${IDP}.StealEverything`, '{}', { credentials: server.admin });
      expect(response.status).toBe(400);
      expect(response.body.__type).toBe('UnknownOperationException');
      expect(response.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    });

    it('does not mistake inherited object keys for operations', async () => {
      for (const target of ['constructor', '__proto__', 'toString', `${IDP}.constructor`, `${IDP}.__proto__`]) {
        const response = await rawCall(server.url, target, '{}', { credentials: server.admin });
        expect(response.status, target).toBe(400);
        expect(response.body.__type).toMatch(/UnknownOperationException|NotImplementedException/);
      }
    });

    it('answers a request without X-Amz-Target with UnknownOperationException', async () => {
      const response = await rawCall(server.url, undefined, '{}');
      expect(response.status).toBe(400);
      expect(response.body.__type).toBe('UnknownOperationException');
    });

    it('answers an operation that is not built yet with 501 naming it, after authentication', async () => {
      // Whichever signed operation is still unbuilt: the test outlives each one being built.
      const pending = Object.entries(idpOperations).find(
        ([name, entry]) => 'notImplemented' in entry && operationModels[`${IDP}.${name}`]!.auth === 'sigv4',
      );
      if (!pending) return;
      const [name] = pending;
      const signed = await rawCall(server.url, `${IDP}.${name}`, '{}', { credentials: server.admin });
      // Validation runs first, so an empty body may be refused; a valid one reaches the 501.
      if (signed.status !== 501) expect(signed.body.__type).toBe('InvalidParameterException');
      const unsigned = await rawCall(server.url, `${IDP}.${name}`, '{}');
      expect(unsigned.body.__type).toBe('MissingAuthenticationTokenException');
    });

    it('answers 501 through the SDK for an operation not built yet', async () => {
      const error = await sdkError(server.client().send(new ListTagsForResourceCommand({ ResourceArn: 'arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_abcdefghi' })));
      expect(error.name).toBe('NotImplementedException');
      expect(error.$metadata.httpStatusCode).toBe(501);
      expect(error.message).toBe('Frontdesk does not implement ListTagsForResource yet');
    });

    it('reaches public operations without any credentials', async () => {
      const response = await rawCall(server.url, `${IDP}.SignUp`, JSON.stringify({ ClientId: 'c', Username: 'u' }));
      expect(response.body.__type).not.toMatch(/Authentication|Signature|UnrecognizedClient/);
    });

    it('accepts POST on any path', async () => {
      const response = await rawCall(server.url, `${IDP}.ListUserPools`, '{"MaxResults":5}', {
        credentials: server.admin,
        path: '/some/deep/path',
      });
      expect(response.status).toBe(200);
      expect(Array.isArray(response.body.UserPools)).toBe(true);
    });

    it('writes dates as epoch seconds and empty outputs as {}', async () => {
      const created = await rawCall(server.url, `${IDP}.CreateUserPool`, '{"PoolName":"wire"}', { credentials: server.admin });
      expect(created.status).toBe(200);
      expect(created.headers.get('content-type')).toBe('application/x-amz-json-1.1');
      const creation = created.body.UserPool.CreationDate;
      expect(typeof creation).toBe('number');
      expect(Math.abs(creation - Date.now() / 1000)).toBeLessThan(60);
      const deleted = await rawCall(server.url, `${IDP}.DeleteUserPool`, JSON.stringify({ UserPoolId: created.body.UserPool.Id }), {
        credentials: server.admin,
      });
      expect(deleted.status).toBe(200);
      expect(deleted.text).toBe('{}');
    });
  });

  describe('bad input', () => {
    it('refuses malformed JSON with SerializationException', async () => {
      const response = await rawCall(server.url, `${IDP}.CreateUserPool`, '{"PoolName":', { credentials: server.admin });
      expect(response.status).toBe(400);
      expect(response.body.__type).toBe('SerializationException');
    });

    it('refuses a body that is not an object, and members of the wrong JSON type', async () => {
      const array = await rawCall(server.url, `${IDP}.CreateUserPool`, '[1]', { credentials: server.admin });
      expect(array.body.__type).toBe('SerializationException');
      const wrongType = await rawCall(server.url, `${IDP}.CreateUserPool`, '{"PoolName":5}', { credentials: server.admin });
      expect(wrongType.body.__type).toBe('SerializationException');
      const nested = await rawCall(server.url, `${IDP}.CreateUserPool`, '{"PoolName":"p","Policies":{"PasswordPolicy":{"MinimumLength":"8"}}}', {
        credentials: server.admin,
      });
      expect(nested.body.__type).toBe('SerializationException');
      expect(nested.body.message).toContain('policies.passwordPolicy.minimumLength');
    });

    it('reports constraint violations the way AWS does', async () => {
      const missing = await sdkError(server.client().send(new CreateUserPoolCommand({} as never)));
      expect(missing.name).toBe('InvalidParameterException');
      expect(missing.$metadata.httpStatusCode).toBe(400);
      expect(missing.message).toBe(
        "1 validation error detected: Value null at 'poolName' failed to satisfy constraint: Member must not be null",
      );

      const several = await sdkError(
        server.client().send(
          new CreateUserPoolCommand({
            PoolName: 'x'.repeat(129),
            MfaConfiguration: 'SOMETIMES' as never,
            Policies: { PasswordPolicy: { MinimumLength: 3 } },
          }),
        ),
      );
      expect(several.name).toBe('InvalidParameterException');
      expect(several.message).toMatch(/^3 validation errors detected: /);
      expect(several.message).toContain("at 'poolName' failed to satisfy constraint: Member must have length less than or equal to 128");
      expect(several.message).toContain("Value 'SOMETIMES' at 'mfaConfiguration' failed to satisfy constraint: Member must satisfy enum value set: [OFF, ON, OPTIONAL]");
      expect(several.message).toContain(
        "Value '3' at 'policies.passwordPolicy.minimumLength' failed to satisfy constraint: Member must have value greater than or equal to 6",
      );

      const pattern = await sdkError(server.client().send(new ListUserPoolsCommand({ MaxResults: 61 })));
      expect(pattern.message).toContain("at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 60");
    });

    it('never echoes sensitive values in validation messages', async () => {
      const response = await rawCall(server.url, `${IDP}.SignUp`, JSON.stringify({ ClientId: 'c', Username: 'u', Password: 'x'.repeat(300) }));
      expect(response.body.__type).toBe('InvalidParameterException');
      expect(response.body.message).toContain("Value at 'password' failed to satisfy constraint");
      expect(response.body.message).not.toContain('xxxx');
    });

    it('refuses a wrong content type with 415', async () => {
      const response = await rawCall(server.url, `${IDP}.ListUserPools`, '{"MaxResults":5}', {
        credentials: server.admin,
        contentType: 'text/plain',
      });
      expect(response.status).toBe(415);
      expect(response.body.__type).toBe('UnsupportedMediaTypeException');
    });

    it('refuses a body over the limit with 413', async () => {
      const huge = JSON.stringify({ PoolName: 'x'.repeat(2 * 1024 * 1024) });
      const response = await rawCall(server.url, `${IDP}.CreateUserPool`, huge, { credentials: server.admin });
      expect(response.status).toBe(413);
      expect(response.body.__type).toBe('RequestEntityTooLargeException');
    });
  });

  describe('SigV4', () => {
    it('refuses an unsigned admin call with MissingAuthenticationTokenException', async () => {
      const response = await rawCall(server.url, `${IDP}.ListUserPools`, '{"MaxResults":5}');
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ __type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' });
    });

    it('refuses an unknown access key with UnrecognizedClientException', async () => {
      const client = server.client({ credentials: { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'whatever-secret-value' } });
      const error = await sdkError(client.send(new ListUserPoolsCommand({ MaxResults: 5 })));
      expect(error.name).toBe('UnrecognizedClientException');
      expect(error.message).toBe('The security token included in the request is invalid.');
    });

    it('refuses a wrong secret with InvalidSignatureException', async () => {
      const client = server.client({ credentials: { accessKeyId: server.admin.accessKeyId, secretAccessKey: 'not-the-secret-at-all' } });
      const error = await sdkError(client.send(new ListUserPoolsCommand({ MaxResults: 5 })));
      expect(error.name).toBe('InvalidSignatureException');
      expect(error.message).toContain('The request signature we calculated does not match the signature you provided');
    });

    it('refuses a body changed after signing', async () => {
      const response = await rawCall(server.url, `${IDP}.CreateUserPool`, '{"PoolName":"a"}', {
        credentials: server.admin,
        tamperBody: '{"PoolName":"b"}',
      });
      expect(response.body.__type).toBe('InvalidSignatureException');
    });

    it('refuses a signature scoped to another service', async () => {
      const response = await rawCall(server.url, `${IDP}.ListUserPools`, '{"MaxResults":5}', {
        credentials: server.admin,
        service: 'cognito-identity',
      });
      expect(response.body.__type).toBe('InvalidSignatureException');
      expect(response.body.message).toContain("Credential should be scoped to correct service: 'cognito-idp'");
    });

    it('accepts any region in the credential scope', async () => {
      const client = server.client({ region: 'eu-west-3' });
      const result = await client.send(new ListUserPoolsCommand({ MaxResults: 5 }));
      expect(result.UserPools).toBeDefined();
    });

    it('refuses signatures more than five minutes old or ahead', async () => {
      const old = await rawCall(server.url, `${IDP}.ListUserPools`, '{"MaxResults":5}', {
        credentials: server.admin,
        signingDate: new Date(Date.now() - 6 * 60 * 1000),
      });
      expect(old.body.__type).toBe('InvalidSignatureException');
      expect(old.body.message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/);
      const ahead = await rawCall(server.url, `${IDP}.ListUserPools`, '{"MaxResults":5}', {
        credentials: server.admin,
        signingDate: new Date(Date.now() + 6 * 60 * 1000),
      });
      expect(ahead.body.__type).toBe('InvalidSignatureException');
      expect(ahead.body.message).toMatch(/^Signature not yet current/);
      const withinSkew = await rawCall(server.url, `${IDP}.ListUserPools`, '{"MaxResults":5}', {
        credentials: server.admin,
        signingDate: new Date(Date.now() - 4 * 60 * 1000),
      });
      expect(withinSkew.status).toBe(200);
    });

    it('uses the server clock for the skew window', async () => {
      server.clock.advance(10 * 60 * 1000);
      try {
        const error = await sdkError(server.client().send(new ListUserPoolsCommand({ MaxResults: 5 })));
        expect(error.name).toBe('InvalidSignatureException');
        expect(error.message).toMatch(/^Signature expired/);
      } finally {
        server.clock.advance(-10 * 60 * 1000);
      }
    });

    it('refuses a malformed Authorization header with IncompleteSignatureException', async () => {
      const response = await fetch(server.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': `${IDP}.ListUserPools`,
          authorization: 'AWS4-HMAC-SHA256 Credential=AKIA/20240101/us-east-1/cognito-idp/aws4_request',
          'x-amz-date': '20240101T000000Z',
        },
        body: '{"MaxResults":5}',
      });
      const body = await response.json();
      expect(response.status).toBe(400);
      expect(body.__type).toBe('IncompleteSignatureException');
    });

    it('lets public operations through even with no signature', async () => {
      const error = await sdkError(
        server.client({ credentials: { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'x' } }).send(
          new SignUpCommand({ ClientId: 'abc', Username: 'someone', Password: 'Passw0rd!' }),
        ),
      );
      expect(error.name).not.toMatch(/UnrecognizedClient|Signature|Authentication/);
    });
  });

  describe('around the API', () => {
    it('puts a unique x-amzn-RequestId on every response, errors and /health included', async () => {
      const ok = await rawCall(server.url, `${IDP}.ListUserPools`, '{"MaxResults":5}', { credentials: server.admin });
      const failed = await rawCall(server.url, `${IDP}.Nope`, '{}');
      const health = await fetch(new URL('/health', server.url));
      const ids = [ok.headers.get('x-amzn-requestid'), failed.headers.get('x-amzn-requestid'), health.headers.get('x-amzn-requestid')];
      for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(new Set(ids).size).toBe(3);
    });

    it('answers /health with a database round trip', async () => {
      const response = await fetch(new URL('/health', server.url));
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'ok' });
    });

    it('answers CORS preflights for the headers Amplify sends', async () => {
      const requested = 'content-type,x-amz-target,x-amz-user-agent,authorization,x-amz-date,x-amz-security-token,amz-sdk-invocation-id,amz-sdk-request';
      const response = await fetch(server.url, {
        method: 'OPTIONS',
        headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST', 'access-control-request-headers': requested },
      });
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(response.headers.get('access-control-allow-methods')).toContain('POST');
      expect(response.headers.get('access-control-allow-headers')).toBe(requested);
      const actual = await rawCall(server.url, `${IDP}.Nope`, '{}');
      expect(actual.headers.get('access-control-expose-headers')).toContain('x-amzn-RequestId');
    });
  });
});

describe('internal failures', () => {
  it('answer InternalErrorException (500) without leaking the cause', async () => {
    const server = await startTestServer();
    try {
      // Pull the database out from under the running server.
      await server.store.close();
      const response = await rawCall(server.url, `${IDP}.ListUserPools`, '{"MaxResults":5}', { credentials: server.admin });
      expect(response.status).toBe(500);
      expect(response.body).toEqual({ __type: 'InternalErrorException', message: 'An internal error occurred.' });
      const health = await fetch(new URL('/health', server.url));
      expect(health.status).toBe(503);
    } finally {
      await server.app.close();
      await server.database.drop();
    }
  });
});
