import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateGroupCommand, AdminAddUserToGroupCommand } from '@aws-sdk/client-cognito-identity-provider';
import { adminUser, createClient, createPool, passwordSignIn } from './support/cognito.js';
import { startTestServer, type TestServer } from './support/test-server.js';

// `frontdesk gateway <config.json>` as an operator runs it: a separate process in front of the
// seed's "admins get the data" upstream, with tokens from a running Frontdesk.

const cli = (args: string[]) => spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });

let server: TestServer;
let upstream: Server;
let gatewayProcess: ChildProcess | undefined;
let dir: string;

beforeAll(async () => {
  server = await startTestServer();
  dir = mkdtempSync(join(tmpdir(), 'frontdesk-gateway-'));
  // The seed's Lambda, rebuilt as an upstream that trusts the gateway's claims header.
  upstream = createServer((req, res) => {
    const claims = JSON.parse(String(req.headers['x-frontdesk-claims'] ?? '{}')) as { 'cognito:groups'?: string[] };
    const isAdmin = claims['cognito:groups']?.includes('admin') ?? false;
    res.writeHead(isAdmin ? 200 : 403, { 'content-type': 'application/json' }).end(JSON.stringify(isAdmin ? 'Admin data' : 'Access denied'));
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  gatewayProcess?.kill('SIGTERM');
  await new Promise((resolve) => upstream?.close(resolve));
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('frontdesk gateway', () => {
  it('runs from a config file and answers as the seed example expects', async () => {
    const idp = server.client();
    const poolId = await createPool(idp);
    const { clientId } = await createClient(idp, poolId);
    await adminUser(idp, poolId, 'boss');
    await adminUser(idp, poolId, 'guest');
    await idp.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'admin' }));
    await idp.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, GroupName: 'admin', Username: 'boss' }));

    const config = join(dir, 'gateway.json');
    writeFileSync(
      config,
      JSON.stringify({
        listen: { host: '127.0.0.1', port: 0 },
        upstream: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`,
        tokens: { userPoolId: poolId, endpoint: server.url, clientId },
        routes: [{ method: 'GET', path: '/admin-data' }],
      }),
    );
    const child = cli(['gateway', config]);
    gatewayProcess = child;
    const firstLine = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`gateway exited with ${code}`)));
    });
    const { url } = JSON.parse(firstLine) as { url: string };

    const call = (token?: string) => fetch(`${url}/admin-data`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
    const boss = await passwordSignIn(idp, clientId, 'boss');
    const guest = await passwordSignIn(idp, clientId, 'guest');
    const admin = await call(boss.AccessToken);
    expect(admin.status).toBe(200);
    expect(await admin.json()).toBe('Admin data');
    const denied = await call(guest.AccessToken);
    expect(denied.status).toBe(403);
    expect(await denied.json()).toBe('Access denied');
    expect((await call()).status).toBe(401);

    child.kill('SIGTERM');
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
    gatewayProcess = undefined;
  });

  it('refuses a bad config file with the reason and exit status 2, before listening', () => {
    const config = join(dir, 'bad.json');
    writeFileSync(config, JSON.stringify({ upstream: 'ftp://x', tokens: { issuer: 'http://x' }, routes: [] }));
    const bad = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'gateway', config], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('upstream must be an http:// URL');
    const missing = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'gateway', join(dir, 'nope.json')], { encoding: 'utf8' });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('cannot read');
    const unknown = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'gatewy'], { encoding: 'utf8' });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'gatewy'");
  });
});
