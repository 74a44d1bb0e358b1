import { createHmac } from 'node:crypto';
import { expect } from 'vitest';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  SignUpCommand,
  type AuthenticationResultType,
  type CognitoIdentityProviderClient,
  type CreateUserPoolClientRequest,
  type CreateUserPoolRequest,
} from '@aws-sdk/client-cognito-identity-provider';
import type { TestServer } from './test-server.js';
import { latestCode } from './outbox.js';

// Helpers for the SDK matrix tests (test/auth-*.test.ts, test/users-*.test.ts): pools and clients
// made through the SDK, users signed up or created the way an application would, and one
// assertion for "this call fails the way Cognito fails" (exception class, message, HTTP status).

export const PASSWORD = 'Corr3ct-horse';

/** What an SDK error is asserted on: the exception class (`error.name`), message and HTTP status. */
export interface ExpectedError {
  name: string;
  message?: string | RegExp;
  status?: number;
}

/** The SDK error a call rejects with; fails the test if the call succeeds. */
export async function caught(promise: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { $metadata?: { httpStatusCode?: number } };
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** Asserts a call fails with the exception class, message and HTTP status (400 unless told). */
export async function expectError(promise: Promise<unknown>, expected: ExpectedError): Promise<void> {
  const error = await caught(promise);
  const actual = { name: error.name, message: error.message, status: error.$metadata?.httpStatusCode };
  expect(actual).toMatchObject({
    name: expected.name,
    ...(expected.message !== undefined ? { message: expected.message instanceof RegExp ? expect.stringMatching(expected.message) : expected.message } : {}),
    status: expected.status ?? 400,
  });
}

/** Cognito's SECRET_HASH: Base64(HMAC-SHA256(clientSecret, username + clientId)). */
export function secretHash(clientSecret: string, username: string, clientId: string): string {
  return createHmac('sha256', clientSecret).update(username + clientId).digest('base64');
}

let names = 0;
/** A name unique within the test run (usernames, pool names). */
export const unique = (prefix: string) => `${prefix}${Date.now().toString(36)}${(names++).toString(36)}`;

export async function createPool(idp: CognitoIdentityProviderClient, input: Partial<CreateUserPoolRequest> = {}): Promise<string> {
  const created = await idp.send(new CreateUserPoolCommand({ PoolName: unique('pool'), ...input }));
  return created.UserPool!.Id!;
}

export const ALL_FLOWS = ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] as const;

/** An app client allowing every password flow unless told otherwise; returns its id (and secret). */
export async function createClient(
  idp: CognitoIdentityProviderClient,
  poolId: string,
  input: Partial<CreateUserPoolClientRequest> = {},
): Promise<{ clientId: string; clientSecret?: string }> {
  const created = await idp.send(
    new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: unique('app'), ExplicitAuthFlows: [...ALL_FLOWS], ...input }),
  );
  const client = created.UserPoolClient!;
  return { clientId: client.ClientId!, ...(client.ClientSecret ? { clientSecret: client.ClientSecret } : {}) };
}

/** A CONFIRMED user with a permanent password, made by an administrator (no messages sent). */
export async function adminUser(
  idp: CognitoIdentityProviderClient,
  poolId: string,
  username: string,
  attributes: Record<string, string> = {},
  password = PASSWORD,
): Promise<void> {
  await idp.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: username,
      MessageAction: 'SUPPRESS',
      UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
    }),
  );
  await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: password, Permanent: true }));
}

/**
 * Signs up and confirms with the code from the outbox (the pool must auto-verify email, and the
 * user must have one); returns the user's sub.
 */
export async function signUpConfirmed(
  server: TestServer,
  idp: CognitoIdentityProviderClient,
  clientId: string,
  username: string,
  email: string,
  password = PASSWORD,
): Promise<string> {
  const { UserSub } = await idp.send(
    new SignUpCommand({ ClientId: clientId, Username: username, Password: password, UserAttributes: [{ Name: 'email', Value: email }] }),
  );
  const code = await latestCode(server, email);
  await idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: username, ConfirmationCode: code }));
  return UserSub!;
}

/** USER_PASSWORD_AUTH sign-in; the tokens. */
export async function passwordSignIn(
  idp: CognitoIdentityProviderClient,
  clientId: string,
  username: string,
  password = PASSWORD,
  extra: Record<string, string> = {},
): Promise<Required<Pick<AuthenticationResultType, 'AccessToken' | 'IdToken' | 'RefreshToken'>> & AuthenticationResultType> {
  const result = await idp.send(
    new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password, ...extra } }),
  );
  if (!result.AuthenticationResult) throw new Error(`expected tokens, got challenge ${result.ChallengeName}`);
  return result.AuthenticationResult as never;
}

export const HOUR_MS = 60 * 60 * 1000;
export const DAY_MS = 24 * HOUR_MS;

/** An admin SDK client whose signatures follow the server's (possibly advanced) clock. */
export function adminAtServerTime(server: TestServer): CognitoIdentityProviderClient {
  return server.client({ systemClockOffset: server.clock.now().getTime() - Date.now() });
}

/** Runs `fn` with the server clock moved forward by `ms`, and moves it back afterwards. */
export async function withClockAdvanced<T>(server: TestServer, ms: number, fn: () => Promise<T>): Promise<T> {
  server.clock.advance(ms);
  try {
    return await fn();
  } finally {
    server.clock.advance(-ms);
  }
}
