import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminCreateUserCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { Amplify } from 'aws-amplify';
import {
  confirmResetPassword,
  confirmSignIn,
  confirmSignUp,
  fetchAuthSession,
  fetchUserAttributes,
  getCurrentUser,
  resetPassword,
  signIn,
  signOut,
  signUp,
  updatePassword,
} from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import type { KeyValueStorageInterface } from 'aws-amplify/utils';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { startTestServer, type TestServer } from './support/test-server.js';
import { latestCode, messagesTo } from './support/outbox.js';
import { recordTargets, type TargetRecorder } from './support/record-targets.js';

/**
 * Amplify JS v6 in Node, used exactly as its docs show, against the real server. Without
 * localStorage Amplify would keep tokens in its own in-memory store; we hand it a Map-backed one
 * through the documented `setKeyValueStorage` so the test can read the refresh token. Amplify
 * swallows sign-out errors, so every server-side effect of a sign-out is checked separately with
 * the AWS SDK. Every request Amplify sends is recorded (operation and status) so the test states
 * which operations it uses.
 */

/** A Map-backed token store we can look into (Amplify's documented `setKeyValueStorage` hook). */
class MapStorage implements KeyValueStorageInterface {
  readonly items = new Map<string, string>();
  async setItem(key: string, value: string): Promise<void> {
    this.items.set(key, value);
  }
  async getItem(key: string): Promise<string | null> {
    return this.items.get(key) ?? null;
  }
  async removeItem(key: string): Promise<void> {
    this.items.delete(key);
  }
  async clear(): Promise<void> {
    this.items.clear();
  }
  /** The refresh token Amplify stored for the signed-in user. */
  refreshToken(): string {
    const entry = [...this.items].find(([key]) => key.endsWith('.refreshToken'));
    if (!entry) throw new Error('Amplify stored no refresh token');
    return entry[1];
  }
}

describe('Amplify JS v6 (aws-amplify/auth) in Node', () => {
  let server: TestServer;
  let sdk: CognitoIdentityProviderClient;
  let poolId: string;
  let clientId: string;
  let jwks: ReturnType<typeof createRemoteJWKSet>;
  let recorder: TargetRecorder;
  const storage = new MapStorage();

  const verify = async (token: string | undefined): Promise<JWTPayload> => {
    if (!token) throw new Error('no token');
    const { payload, protectedHeader } = await jwtVerify(token, jwks, { issuer: `${server.url}/${poolId}`, algorithms: ['RS256'] });
    expect(protectedHeader.kid).toBeTruthy();
    return payload;
  };

  beforeAll(async () => {
    server = await startTestServer();
    sdk = server.client();
    const pool = await sdk.send(
      new CreateUserPoolCommand({
        PoolName: 'amplify',
        UsernameAttributes: ['email'],
        AutoVerifiedAttributes: ['email'],
        Policies: { PasswordPolicy: { MinimumLength: 8 } },
      }),
    );
    poolId = pool.UserPool!.Id!;
    const app = await sdk.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'amplify-web',
        ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    clientId = app.UserPoolClient!.ClientId!;
    jwks = createRemoteJWKSet(new URL(`${server.url}/${poolId}/.well-known/jwks.json`));

    recorder = recordTargets();

    Amplify.configure({ Auth: { Cognito: { userPoolId: poolId, userPoolClientId: clientId, userPoolEndpoint: server.url } } });
    cognitoUserPoolsTokenProvider.setKeyValueStorage(storage);
  });
  afterEach(async () => {
    // Never leave a signed-in Amplify behind for the next test.
    await signOut();
  });
  afterAll(async () => {
    recorder?.restore();
    await server?.close();
  });

  it('runs the documented journey: sign-up → confirm → SRP sign-in → session → refresh → password change/reset → global sign-out', async () => {
    const email = 'amy@example.com';
    let password = 'First-passw0rd';

    // signUp with the email as username and user attributes.
    const signedUp = await signUp({ username: email, password, options: { userAttributes: { email, name: 'Amy' } } });
    expect(signedUp.isSignUpComplete).toBe(false);
    expect(signedUp.userId).toMatch(/^[0-9a-f-]{36}$/);
    expect(signedUp.nextStep).toEqual({
      signUpStep: 'CONFIRM_SIGN_UP',
      codeDeliveryDetails: { destination: 'a***@e***', deliveryMedium: 'EMAIL', attributeName: 'email' },
    });
    const sub = signedUp.userId!;

    const confirmed = await confirmSignUp({ username: email, confirmationCode: await latestCode(server, email) });
    expect(confirmed).toMatchObject({ isSignUpComplete: true, nextStep: { signUpStep: 'DONE' } });

    // signIn: Amplify's default flow is USER_SRP_AUTH.
    let mark = recorder.mark();
    const signedIn = await signIn({ username: email, password });
    expect(signedIn).toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    expect(recorder.since(mark)).toEqual(['InitiateAuth 200', 'RespondToAuthChallenge 200']);

    const current = await getCurrentUser();
    expect(current.userId).toBe(sub);
    expect(current.username).toBe(sub); // cognito:username of an email-as-username pool is the sub
    expect(current.signInDetails).toMatchObject({ loginId: email, authFlowType: 'USER_SRP_AUTH' });

    expect(await fetchUserAttributes()).toMatchObject({ sub, email, email_verified: 'true', name: 'Amy' });

    // fetchAuthSession: tokens are ours, signed by the pool's JWKS.
    const session = await fetchAuthSession();
    expect(session.userSub).toBe(sub);
    const accessToken = session.tokens?.accessToken.toString();
    const idToken = session.tokens?.idToken?.toString();
    const access = await verify(accessToken);
    expect(access).toMatchObject({ token_use: 'access', client_id: clientId, sub, username: sub, scope: 'aws.cognito.signin.user.admin' });
    expect(access.aud).toBeUndefined();
    const id = await verify(idToken);
    expect(id).toMatchObject({ token_use: 'id', aud: clientId, sub, 'cognito:username': sub, email, email_verified: true, name: 'Amy' });
    expect(session.tokens?.accessToken.payload.jti).toBe(access.jti);

    // forceRefresh: Amplify v6 uses GetTokensFromRefreshToken.
    mark = recorder.mark();
    const refreshed = await fetchAuthSession({ forceRefresh: true });
    expect(recorder.since(mark)).toEqual(['GetTokensFromRefreshToken 200']);
    const newAccessToken = refreshed.tokens?.accessToken.toString();
    expect(newAccessToken).toBeTruthy();
    expect(newAccessToken).not.toBe(accessToken);
    expect(refreshed.tokens?.idToken?.toString()).not.toBe(idToken);
    const newAccess = await verify(newAccessToken);
    expect(newAccess).toMatchObject({ token_use: 'access', client_id: clientId, sub });
    expect(newAccess.jti).not.toBe(access.jti);
    expect((await verify(refreshed.tokens?.idToken?.toString()))['cognito:username']).toBe(sub);
    // The refreshed access token is usable.
    expect((await sdk.send(new GetUserCommand({ AccessToken: newAccessToken }))).Username).toBe(sub);

    // updatePassword (ChangePassword), then a local sign-out and a sign-in with the new password.
    mark = recorder.mark();
    await updatePassword({ oldPassword: password, newPassword: 'Second-passw0rd' });
    expect(recorder.since(mark)).toEqual(['ChangePassword 200']);
    password = 'Second-passw0rd';
    mark = recorder.mark();
    await signOut();
    expect(recorder.since(mark)).toEqual(['RevokeToken 200']);
    await expect(signIn({ username: email, password: 'First-passw0rd' })).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
    expect(await signIn({ username: email, password })).toMatchObject({ isSignedIn: true });
    await signOut();

    // resetPassword / confirmResetPassword with the emailed code.
    const before = (await messagesTo(server, email)).length;
    const reset = await resetPassword({ username: email });
    expect(reset).toEqual({
      isPasswordReset: false,
      nextStep: {
        resetPasswordStep: 'CONFIRM_RESET_PASSWORD_WITH_CODE',
        codeDeliveryDetails: { destination: 'a***@e***', deliveryMedium: 'EMAIL', attributeName: 'email' },
      },
    });
    expect((await messagesTo(server, email)).length).toBe(before + 1);
    await confirmResetPassword({ username: email, confirmationCode: await latestCode(server, email), newPassword: 'Third-passw0rd' });
    password = 'Third-passw0rd';
    await expect(signIn({ username: email, password: 'Second-passw0rd' })).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    expect(await signIn({ username: email, password })).toMatchObject({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });

    // signOut({ global: true }) → GlobalSignOut; the old access and refresh tokens are refused.
    const last = await fetchAuthSession();
    const lastAccess = last.tokens!.accessToken.toString();
    expect((await sdk.send(new GetUserCommand({ AccessToken: lastAccess }))).Username).toBe(sub);
    mark = recorder.mark();
    await signOut({ global: true });
    expect(recorder.since(mark)).toEqual(['GlobalSignOut 200']);
    await expect(getCurrentUser()).rejects.toMatchObject({ name: 'UserUnAuthenticatedException' });
    await expect(sdk.send(new GetUserCommand({ AccessToken: lastAccess }))).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Access Token has been revoked',
    });
    await expect(sdk.send(new GetUserCommand({ AccessToken: newAccessToken }))).rejects.toMatchObject({ name: 'NotAuthorizedException' });
  });

  it('a local signOut revokes the refresh token (RevokeToken), so Amplify cannot refresh with it again', async () => {
    const email = 'rex@example.com';
    await signUp({ username: email, password: 'Rex-passw0rd', options: { userAttributes: { email } } });
    await confirmSignUp({ username: email, confirmationCode: await latestCode(server, email) });
    await signIn({ username: email, password: 'Rex-passw0rd' });
    const { tokens } = await fetchAuthSession();
    // Amplify only calls RevokeToken when the access token carries origin_jti.
    expect(tokens?.accessToken.payload.origin_jti).toEqual(expect.any(String));
    const refreshToken = storage.refreshToken();
    expect((await sdk.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: refreshToken }))).AuthenticationResult?.AccessToken).toBeTruthy();
    await signOut();
    await expect(sdk.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: refreshToken }))).rejects.toMatchObject({
      name: 'NotAuthorizedException',
    });
  });

  it("signs in with USER_PASSWORD_AUTH when asked to (options.authFlowType)", async () => {
    const email = 'pat@example.com';
    await signUp({ username: email, password: 'Pat-passw0rd', options: { userAttributes: { email } } });
    await confirmSignUp({ username: email, confirmationCode: await latestCode(server, email) });
    const mark = recorder.mark();
    const result = await signIn({ username: email, password: 'Pat-passw0rd', options: { authFlowType: 'USER_PASSWORD_AUTH' } });
    expect(result).toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    expect(recorder.since(mark)).toEqual(['InitiateAuth 200']);
    expect((await getCurrentUser()).signInDetails).toMatchObject({ loginId: email, authFlowType: 'USER_PASSWORD_AUTH' });
    const { tokens } = await fetchAuthSession();
    expect(await verify(tokens?.idToken?.toString())).toMatchObject({ email, token_use: 'id', aud: clientId });
    await signOut();
    await expect(signIn({ username: email, password: 'Wrong-passw0rd', options: { authFlowType: 'USER_PASSWORD_AUTH' } })).rejects.toMatchObject({
      name: 'NotAuthorizedException',
    });
  });

  it.each(['USER_SRP_AUTH', 'USER_PASSWORD_AUTH'] as const)(
    'takes an admin-created user through CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED (%s)',
    async (authFlowType) => {
      const email = `new-${authFlowType.toLowerCase()}@example.com`;
      await sdk.send(
        new AdminCreateUserCommand({
          UserPoolId: poolId,
          Username: email,
          TemporaryPassword: 'Temp-passw0rd',
          MessageAction: 'SUPPRESS',
          UserAttributes: [{ Name: 'email', Value: email }, { Name: 'email_verified', Value: 'true' }],
        }),
      );
      const first = await signIn({ username: email, password: 'Temp-passw0rd', options: { authFlowType } });
      expect(first).toEqual({
        isSignedIn: false,
        nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED', missingAttributes: [] },
      });
      const mark = recorder.mark();
      const done = await confirmSignIn({ challengeResponse: 'Chosen-passw0rd' });
      expect(done).toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
      expect(recorder.since(mark)).toEqual(['RespondToAuthChallenge 200']);
      const { tokens } = await fetchAuthSession();
      const id = await verify(tokens?.idToken?.toString());
      expect(id).toMatchObject({ email, token_use: 'id' });
      expect((await getCurrentUser()).userId).toBe(id.sub);
      await signOut();
      // The temporary password is gone; the chosen one signs straight in.
      await expect(signIn({ username: email, password: 'Temp-passw0rd', options: { authFlowType } })).rejects.toMatchObject({ name: 'NotAuthorizedException' });
      expect(await signIn({ username: email, password: 'Chosen-passw0rd', options: { authFlowType } })).toEqual({
        isSignedIn: true,
        nextStep: { signInStep: 'DONE' },
      });
    },
  );

  it('lets a browser send what Amplify sends: the CORS preflight allows its headers from any origin', async () => {
    // Run after the journey tests: these are the header names Amplify actually sent.
    const sent = [...new Set(recorder.calls.flatMap((call) => call.headerNames))].sort();
    expect(sent).toEqual(expect.arrayContaining(['cache-control', 'content-type', 'x-amz-target', 'x-amz-user-agent']));
    const preflight = await fetch(server.url, {
      method: 'OPTIONS',
      headers: { Origin: 'https://app.example.com', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': sent.join(',') },
    });
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    const allowed = (preflight.headers.get('access-control-allow-headers') ?? '').toLowerCase().split(/\s*,\s*/);
    expect(allowed).toEqual(expect.arrayContaining(sent));
    const actual = await fetch(server.url, {
      method: 'POST',
      headers: {
        Origin: 'https://app.example.com',
        'Content-Type': 'application/x-amz-json-1.1',
        'X-Amz-Target': 'AWSCognitoIdentityProviderService.InitiateAuth',
      },
      body: JSON.stringify({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'nobody@example.com', PASSWORD: 'x' } }),
    });
    expect(actual.status).toBe(400);
    expect(actual.headers.get('access-control-allow-origin')).toBe('*');
    // Amplify reads the error name from the body; x-amzn-ErrorType must be readable for clients that read it from the header.
    expect(actual.headers.get('access-control-expose-headers')?.toLowerCase()).toContain('x-amzn-errortype');
  });

  it('reports Cognito errors under their Cognito names', async () => {
    await expect(signIn({ username: 'nobody@example.com', password: 'Nobody-passw0rd' })).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
    await expect(signUp({ username: 'weak@example.com', password: 'short', options: { userAttributes: { email: 'weak@example.com' } } })).rejects.toMatchObject({
      name: 'InvalidPasswordException',
    });
    await signUp({ username: 'dup@example.com', password: 'Dup-passw0rd', options: { userAttributes: { email: 'dup@example.com' } } });
    await expect(signUp({ username: 'dup@example.com', password: 'Dup-passw0rd', options: { userAttributes: { email: 'dup@example.com' } } })).rejects.toMatchObject({
      name: 'UsernameExistsException',
    });
    await expect(confirmSignUp({ username: 'dup@example.com', confirmationCode: '000000' })).rejects.toMatchObject({
      name: 'CodeMismatchException',
    });
    // An unconfirmed user who signs in is told to confirm (Amplify turns UserNotConfirmedException into a step).
    expect(await signIn({ username: 'dup@example.com', password: 'Dup-passw0rd' })).toEqual({
      isSignedIn: false,
      nextStep: { signInStep: 'CONFIRM_SIGN_UP' },
    });
  });
});
