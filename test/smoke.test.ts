import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateUserPoolCommand, DescribeUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from './support/test-server.js';

describe('smoke', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('creates and describes a pool through the AWS SDK', async () => {
    const client = server.client();
    const created = await client.send(new CreateUserPoolCommand({ PoolName: 'smoke' }));
    expect(created.UserPool?.Id).toMatch(/^us-east-1_[0-9A-Za-z]{9}$/);
    const described = await client.send(new DescribeUserPoolCommand({ UserPoolId: created.UserPool!.Id }));
    expect(described.UserPool?.Name).toBe('smoke');
    expect(described.UserPool?.CreationDate).toBeInstanceOf(Date);
  });
});
