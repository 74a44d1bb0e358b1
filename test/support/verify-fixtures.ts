import { createHmac, createPublicKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AdminAddUserToGroupCommand, CreateGroupCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, TestClock, type TestServer } from './test-server.js';
import { adminUser, createClient, createPool, passwordSignIn } from './cognito.js';

// Fixtures for the authorizer tests (test/verify-*.test.ts): a running Frontdesk with one pool, two
// app clients and users signed in through the AWS SDK (real tokens), forgeries made from those
// tokens, and a fake issuer (a local HTTP server publishing a JWKS for a key the test holds) for
// what a real token cannot show on demand: other issuers, `nbf`, key rotation, JWKS outages.

export const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
export const decode = (segment: string) => JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as Record<string, unknown>;
export const partsOf = (token: string) => token.split('.') as [string, string, string];

export interface RealTokens {
  AccessToken: string;
  IdToken: string;
}

export interface VerifyFixture {
  server: TestServer;
  idp: CognitoIdentityProviderClient;
  poolId: string;
  issuer: string;
  clientA: string;
  clientB: string;
  /** A user of no group, signed in with client A. */
  plain: RealTokens;
  /** The same user signed in with client B. */
  viaB: RealTokens;
  /** A user of group `admin`, signed in with client A; undefined when the server issues no `cognito:groups` yet. */
  admin?: RealTokens;
  /** Why `admin` is undefined. */
  adminMissing?: string;
  close(): Promise<void>;
}

export async function startVerifyFixture(): Promise<VerifyFixture> {
  const server = await startTestServer();
  const idp = server.client();
  const poolId = await createPool(idp);
  const { clientId: clientA } = await createClient(idp, poolId);
  const { clientId: clientB } = await createClient(idp, poolId);
  await adminUser(idp, poolId, 'alice');
  await adminUser(idp, poolId, 'root');
  const plain = await passwordSignIn(idp, clientA, 'alice');
  const viaB = await passwordSignIn(idp, clientB, 'alice');

  let admin: RealTokens | undefined;
  let adminMissing: string | undefined;
  try {
    await idp.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'admin' }));
    await idp.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, GroupName: 'admin', Username: 'root' }));
    const signedIn = await passwordSignIn(idp, clientA, 'root');
    if (Array.isArray(decode(partsOf(signedIn.AccessToken)[1])['cognito:groups'])) admin = signedIn;
    else adminMissing = 'the server does not put cognito:groups in tokens yet';
  } catch (error) {
    adminMissing = `groups are not available on the server yet (${(error as Error).name}: ${(error as Error).message})`;
  }

  return {
    server,
    idp,
    poolId,
    issuer: `${server.url}/${poolId}`,
    clientA,
    clientB,
    plain,
    viaB,
    ...(admin ? { admin } : {}),
    ...(adminMissing ? { adminMissing } : {}),
    close: () => server.close(),
  };
}

// --- forgeries of real tokens --------------------------------------------------------------------

/** The attacker's own RSA key (one for the whole file: generating keys is slow). */
let attackerKey: { privateKey: KeyObject; publicKey: KeyObject } | undefined;
const attacker = () => (attackerKey ??= generateKeyPairSync('rsa', { modulusLength: 2048 }));

/** The token with its payload changed and the original signature kept. */
export function tampered(token: string, change: Record<string, unknown>): string {
  const [header, payload, signature] = partsOf(token);
  return `${header}.${b64({ ...decode(payload), ...change })}.${signature}`;
}

/** The token re-signed RS256 with a key of the attacker's making, under the token's own (genuine) kid. */
export function resignedWithOwnKey(token: string): string {
  const [header, payload] = partsOf(token);
  const { privateKey } = attacker();
  return `${header}.${payload}.${sign('sha256', Buffer.from(`${header}.${payload}`), privateKey).toString('base64url')}`;
}

/** `alg: none`, no signature. */
export function unsecured(token: string): string {
  const [header, payload] = partsOf(token);
  return `${b64({ ...decode(header), alg: 'none' })}.${payload}.`;
}

/** HS256 with the issuer's public key (its JWK's `n`, and its PEM) as the HMAC secret. */
export async function hs256WithPublicKey(token: string, jwksUri: string): Promise<string[]> {
  const [header, payload] = partsOf(token);
  const kid = decode(header).kid as string;
  const jwks = (await (await fetch(jwksUri)).json()) as { keys: Array<{ kid: string; n: string; e: string }> };
  const jwk = jwks.keys.find((k) => k.kid === kid)!;
  const pem = createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e }, format: 'jwk' }).export({ type: 'spki', format: 'pem' }) as string;
  const forgedHeader = b64({ kid, alg: 'HS256' });
  return [pem, jwk.n, JSON.stringify(jwk)].map(
    (secret) => `${forgedHeader}.${payload}.${createHmac('sha256', secret).update(`${forgedHeader}.${payload}`).digest('base64url')}`,
  );
}

/** The token re-signed with a fresh key under a kid the issuer never published. */
export function withUnknownKid(token: string, kid = `forged-${randomBytes(6).toString('hex')}`): string {
  const [header, payload] = partsOf(token);
  const forgedHeader = b64({ ...decode(header), kid });
  const { privateKey } = attacker();
  return `${forgedHeader}.${payload}.${sign('sha256', Buffer.from(`${forgedHeader}.${payload}`), privateKey).toString('base64url')}`;
}

/** The token with a header member that names a key of its own (`jwk`, `jku`, `x5u`). */
export function withInjectedKey(token: string, member: 'jwk' | 'jku' | 'x5u'): string {
  const [header, payload] = partsOf(token);
  const { privateKey, publicKey } = attacker();
  const value = member === 'jwk' ? publicKey.export({ format: 'jwk' }) : 'http://127.0.0.1:1/evil.json';
  const forgedHeader = b64({ ...decode(header), [member]: value });
  return `${forgedHeader}.${payload}.${sign('sha256', Buffer.from(`${forgedHeader}.${payload}`), privateKey).toString('base64url')}`;
}

// --- a fake issuer -------------------------------------------------------------------------------

export interface FakeIssuer {
  url: string;
  jwksUri: string;
  clock: TestClock;
  /** JWKS requests served so far. */
  jwksRequests: number;
  /** While set, the JWKS endpoint answers with this status. */
  failWith?: number;
  kid: string;
  /** A new current key (the old one stays published unless `dropOld`). */
  rotate(options?: { dropOld?: boolean }): string;
  /** An RS256 token over `claims` (defaults: a valid Cognito-shaped access token of client `fake-client`). */
  mint(claims?: Record<string, unknown>, options?: { kid?: string; key?: KeyObject }): string;
  close(): Promise<void>;
}

export async function startFakeIssuer(): Promise<FakeIssuer> {
  const keys = new Map<string, { privateKey: KeyObject; publicKey: KeyObject }>();
  const newKey = () => {
    const kid = `fake-${randomBytes(6).toString('hex')}`;
    keys.set(kid, generateKeyPairSync('rsa', { modulusLength: 2048 }));
    return kid;
  };
  const fake = {
    jwksRequests: 0,
    clock: new TestClock(),
    kid: newKey(),
  } as FakeIssuer;
  const http: Server = createServer((request, response) => {
    if (request.url !== '/fake/.well-known/jwks.json') {
      response.writeHead(404).end();
      return;
    }
    fake.jwksRequests++;
    if (fake.failWith) {
      response.writeHead(fake.failWith).end();
      return;
    }
    const jwks = { keys: [...keys].map(([kid, { publicKey }]) => ({ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' })) };
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/fake`;
  fake.url = url;
  fake.jwksUri = `${url}/.well-known/jwks.json`;
  fake.rotate = ({ dropOld = false } = {}) => {
    const previous = fake.kid;
    fake.kid = newKey();
    if (dropOld) keys.delete(previous);
    return fake.kid;
  };
  fake.mint = (claims = {}, options = {}) => {
    const kid = options.kid ?? fake.kid;
    const privateKey = options.key ?? keys.get(kid)?.privateKey ?? keys.get(fake.kid)!.privateKey;
    const now = Math.floor(fake.clock.now().getTime() / 1000);
    const payload = {
      sub: 'fake-user',
      iss: url,
      client_id: 'fake-client',
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      auth_time: now,
      iat: now,
      exp: now + 3600,
      jti: randomBytes(8).toString('hex'),
      username: 'fake-user',
      ...claims,
    };
    const header = b64({ kid, alg: 'RS256' });
    const body = b64(payload);
    return `${header}.${body}.${sign('sha256', Buffer.from(`${header}.${body}`), privateKey).toString('base64url')}`;
  };
  fake.close = () => new Promise<void>((resolve) => http.close(() => resolve()));
  return fake;
}
