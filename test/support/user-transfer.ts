import { createHash, pbkdf2Sync, randomBytes, scryptSync } from 'node:crypto';
import { hash as bcryptHash } from '@node-rs/bcrypt';
import { hash as argon2Hash } from '@node-rs/argon2';
import { AuthenticationDetails, CognitoUser, CognitoUserPool, type CognitoUserSession } from 'amazon-cognito-identity-js';
import { rawCall } from './signed-fetch.js';
import type { TestServer } from './test-server.js';

// Helpers for the user transfer tests: FrontdeskAdmin calls signed with the admin keys, password
// hashes made the way other systems make them, and an SRP sign-in with amazon-cognito-identity-js.

export async function adminCall(server: TestServer, operation: string, input: unknown) {
  return rawCall(server.url, `FrontdeskAdmin.${operation}`, JSON.stringify(input), { credentials: server.admin });
}

/** Every page of ExportUsers: the header and the users. */
export async function exportAll(server: TestServer, poolId: string, maxResults?: number) {
  let token: string | undefined;
  let header: any;
  const users: any[] = [];
  do {
    const page = await adminCall(server, 'ExportUsers', { UserPoolId: poolId, ...(maxResults ? { MaxResults: maxResults } : {}), ...(token ? { PaginationToken: token } : {}) });
    if (page.status !== 200) throw new Error(`ExportUsers: ${page.text}`);
    header ??= page.body.Header;
    users.push(...page.body.Users);
    token = page.body.PaginationToken;
  } while (token);
  return { header, users };
}

const b64 = (bytes: Buffer) => bytes.toString('base64').replace(/=+$/, '');

/** Hashes of `password` in each accepted foreign encoding, made with the cheapest accepted parameters. */
export type ForeignHashes = Record<'bcrypt' | 'bcrypt2y' | 'scrypt' | 'argon2id' | 'pbkdf2Sha256' | 'pbkdf2Sha512' | 'djangoPbkdf2', string>;

export async function foreignHashes(password: string): Promise<ForeignHashes> {
  const salt = randomBytes(16);
  return {
    bcrypt: await bcryptHash(password, 8),
    bcrypt2y: (await bcryptHash(password, 8)).replace(/^\$2b\$/, '$2y$'),
    scrypt: `$scrypt$ln=14,r=8,p=1$${b64(salt)}$${b64(scryptSync(password, salt, 32, { N: 2 ** 14, r: 8, p: 1 }))}`,
    argon2id: await argon2Hash(password, { algorithm: 2, memoryCost: 65536, timeCost: 3, parallelism: 4 } as never),
    pbkdf2Sha256: `$pbkdf2-sha256$12000$${b64(salt).replaceAll('+', '.')}$${b64(pbkdf2Sync(password, salt, 12000, 32, 'sha256')).replaceAll('+', '.')}`,
    pbkdf2Sha512: `$pbkdf2-sha512$i=10000$${b64(salt)}$${b64(pbkdf2Sync(password, salt, 10000, 64, 'sha512'))}`,
    djangoPbkdf2: `pbkdf2_sha256$15000$${createHash('sha256').update(salt).digest('hex').slice(0, 12)}$${pbkdf2Sync(password, createHash('sha256').update(salt).digest('hex').slice(0, 12), 15000, 32, 'sha256').toString('base64')}`,
  };
}

/** USER_SRP_AUTH through amazon-cognito-identity-js. */
export function srpSignIn(server: TestServer, poolId: string, clientId: string, username: string, password: string): Promise<CognitoUserSession> {
  const pool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: server.url });
  const user = new CognitoUser({ Username: username, Pool: pool });
  return new Promise((resolve, reject) =>
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), {
      onSuccess: resolve,
      onFailure: reject,
      newPasswordRequired: () => reject(new Error('unexpected NEW_PASSWORD_REQUIRED')),
    }),
  );
}

/** 'signed in', or the SRP sign-in's error as `<code>: <message>`. */
export function srpOutcome(server: TestServer, poolId: string, clientId: string, username: string, password: string): Promise<string> {
  return srpSignIn(server, poolId, clientId, username, password).then(
    () => 'signed in',
    (e: { code: string; message: string }) => `${e.code}: ${e.message}`,
  );
}

/** How the store holds the user's password now. */
export async function credentialKind(server: TestServer, poolId: string, username: string): Promise<string | undefined> {
  const user = await server.store.users.findBy(poolId, 'username_key', username);
  const password = user?.password;
  return password?.kind === 'imported' ? `imported:${password.scheme}` : password?.kind;
}
