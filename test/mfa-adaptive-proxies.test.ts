import { afterAll, describe, expect, it } from 'vitest';
import { AdminListUserAuthEventsCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from './support/test-server.js';
import { PASSWORD, adminUser, createClient, createPool, unique } from './support/cognito.js';
import { loadConfig } from '../src/config/config.js';

// The client IP behind risk decisions: X-Forwarded-For is believed only from proxies named in
// FRONTDESK_TRUSTED_PROXIES; otherwise the connection's own address counts.

const servers: TestServer[] = [];
afterAll(async () => {
  for (const server of servers) await server.close();
});

async function signInBehindProxy(server: TestServer, forwardedFor: string): Promise<string | undefined> {
  const idp = server.client();
  const poolId = await createPool(idp, { UserPoolAddOns: { AdvancedSecurityMode: 'AUDIT' } });
  const { clientId } = await createClient(idp, poolId);
  const username = unique('proxy');
  await adminUser(idp, poolId, username);
  const response = await fetch(server.url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': 'AWSCognitoIdentityProviderService.InitiateAuth',
      'X-Forwarded-For': forwardedFor,
    },
    body: JSON.stringify({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD } }),
  });
  expect(response.status).toBe(200);
  const events = await idp.send(new AdminListUserAuthEventsCommand({ UserPoolId: poolId, Username: username }));
  return events.AuthEvents![0]!.EventContextData?.IpAddress;
}

describe('client IP address', () => {
  it('takes X-Forwarded-For from a trusted proxy', async () => {
    const server = await startTestServer({ env: { FRONTDESK_TRUSTED_PROXIES: '127.0.0.1, 10.0.0.0/8' } });
    servers.push(server);
    expect(await signInBehindProxy(server, '192.0.2.77')).toBe('192.0.2.77');
  });

  it('ignores X-Forwarded-For when no proxy is trusted', async () => {
    const server = await startTestServer();
    servers.push(server);
    expect(await signInBehindProxy(server, '192.0.2.77')).toBe('127.0.0.1');
  });

  it('refuses a malformed proxy list at boot', () => {
    expect(() => loadConfig({ FRONTDESK_TRUSTED_PROXIES: '127.0.0.1, not-an-ip' })).toThrow(/not an IP address or CIDR range: not-an-ip/);
    expect(loadConfig({ FRONTDESK_TRUSTED_PROXIES: '::1,192.168.0.0/16' }).trustedProxies).toEqual(['::1', '192.168.0.0/16']);
  });
});
