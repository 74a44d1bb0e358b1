import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  GetUserCommand,
  InitiateAuthCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  AuthenticationDetails,
  CognitoRefreshToken,
  CognitoUser,
  CognitoUserAttribute,
  CognitoUserPool,
  type CognitoUserSession,
  type ICognitoStorage,
  type ISignUpResult,
} from 'amazon-cognito-identity-js';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { startTestServer, type TestServer } from './support/test-server.js';
import { latestCode } from './support/outbox.js';
import { recordTargets, type TargetRecorder } from './support/record-targets.js';

/**
 * amazon-cognito-identity-js (the library behind Amplify v5 and many existing apps), used the way
 * its README does, against the real server. App clients with a secret are not covered: the library
 * cannot compute SECRET_HASH, so such clients are unusable with it against Cognito too.
 */

/** Per-test storage, so tests do not share the library's "current user". */
class MapStorage implements ICognitoStorage {
  private readonly items = new Map<string, string>();
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
  clear(): void {
    this.items.clear();
  }
  keys(): string[] {
    return [...this.items.keys()];
  }
}

/** Turns the library's (err, result) callbacks into a promise. */
function callback<T>(run: (done: (err?: Error, result?: T) => void) => void): Promise<T | undefined> {
  return new Promise((resolve, reject) => run((err, result) => (err ? reject(err) : resolve(result))));
}

type AuthOutcome =
  | { kind: 'success'; session: CognitoUserSession }
  | { kind: 'newPasswordRequired'; userAttributes: Record<string, string>; requiredAttributes: string[] };

function authenticate(user: CognitoUser, username: string, password: string): Promise<AuthOutcome> {
  return new Promise((resolve, reject) =>
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), {
      onSuccess: (session) => resolve({ kind: 'success', session }),
      onFailure: reject,
      newPasswordRequired: (userAttributes: Record<string, string>, requiredAttributes: string[]) =>
        resolve({ kind: 'newPasswordRequired', userAttributes, requiredAttributes }),
    }),
  );
}

async function signIn(user: CognitoUser, username: string, password: string): Promise<CognitoUserSession> {
  const outcome = await authenticate(user, username, password);
  if (outcome.kind !== 'success') throw new Error(`unexpected challenge: ${outcome.kind}`);
  return outcome.session;
}

describe('amazon-cognito-identity-js', () => {
  let server: TestServer;
  let sdk: CognitoIdentityProviderClient;
  let poolId: string;
  let clientId: string;
  let jwks: ReturnType<typeof createRemoteJWKSet>;
  let recorder: TargetRecorder;

  const newPool = (storage = new MapStorage()): CognitoUserPool =>
    new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: server.url, Storage: storage });
  const verify = async (token: string): Promise<JWTPayload> =>
    (await jwtVerify(token, jwks, { issuer: `${server.url}/${poolId}`, algorithms: ['RS256'] })).payload;

  beforeAll(async () => {
    server = await startTestServer();
    sdk = server.client();
    const pool = await sdk.send(
      new CreateUserPoolCommand({ PoolName: 'identity-js', AutoVerifiedAttributes: ['email'], Policies: { PasswordPolicy: { MinimumLength: 8 } } }),
    );
    poolId = pool.UserPool!.Id!;
    const app = await sdk.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'legacy-web',
        ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    clientId = app.UserPoolClient!.ClientId!;
    jwks = createRemoteJWKSet(new URL(`${server.url}/${poolId}/.well-known/jwks.json`));
    recorder = recordTargets();
  });
  afterAll(async () => {
    recorder?.restore();
    await server?.close();
  });

  it('runs the README journey: signUp → confirmRegistration → authenticateUser (SRP) → getSession → refreshSession → attributes → changePassword → forgotPassword → globalSignOut', async () => {
    const storage = new MapStorage();
    const userPool = newPool(storage);
    const email = 'carol@example.com';

    // signUp
    const attributes = [new CognitoUserAttribute({ Name: 'email', Value: email }), new CognitoUserAttribute({ Name: 'name', Value: 'Carol' })];
    const signedUp = await callback<ISignUpResult>((done) => userPool.signUp('carol', 'Carol-passw0rd', attributes, [], done));
    expect(signedUp?.userConfirmed).toBe(false);
    expect(signedUp?.userSub).toMatch(/^[0-9a-f-]{36}$/);
    expect(signedUp?.codeDeliveryDetails).toEqual({ AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 'c***@e***' });
    const sub = signedUp!.userSub;
    const user = signedUp!.user;
    expect(user.getUsername()).toBe('carol');

    // confirmRegistration with the emailed code
    const code = await latestCode(server, email);
    expect(await callback((done) => user.confirmRegistration(code, true, done))).toBe('SUCCESS');

    // authenticateUser: USER_SRP_AUTH is the library's default.
    let mark = recorder.mark();
    const session = await signIn(user, 'carol', 'Carol-passw0rd');
    expect(recorder.since(mark)).toEqual(['InitiateAuth 200', 'RespondToAuthChallenge 200']);
    expect(session.isValid()).toBe(true);
    const access = await verify(session.getAccessToken().getJwtToken());
    expect(access).toMatchObject({ token_use: 'access', client_id: clientId, sub, username: 'carol' });
    const id = await verify(session.getIdToken().getJwtToken());
    expect(id).toMatchObject({ token_use: 'id', aud: clientId, sub, 'cognito:username': 'carol', email, email_verified: true, name: 'Carol' });
    expect(session.getRefreshToken().getToken()).toBeTruthy();

    // getSession: the library finds the signed-in user in its storage and returns the cached session.
    const current = newPool(storage).getCurrentUser();
    expect(current?.getUsername()).toBe('carol');
    mark = recorder.mark();
    const cached = await new Promise<CognitoUserSession>((resolve, reject) =>
      current!.getSession((err: Error | null, s: CognitoUserSession | null) => (err || !s ? reject(err ?? new Error('no session')) : resolve(s))),
    );
    expect(recorder.since(mark)).toEqual([]);
    expect(cached.isValid()).toBe(true);
    expect(cached.getAccessToken().getJwtToken()).toBe(session.getAccessToken().getJwtToken());

    // refreshSession with the refresh token: InitiateAuth REFRESH_TOKEN_AUTH.
    mark = recorder.mark();
    const refreshed = await callback<CognitoUserSession>((done) =>
      current!.refreshSession(new CognitoRefreshToken({ RefreshToken: session.getRefreshToken().getToken() }), done),
    );
    expect(recorder.since(mark)).toEqual(['InitiateAuth 200']);
    expect(refreshed?.isValid()).toBe(true);
    const refreshedAccess = await verify(refreshed!.getAccessToken().getJwtToken());
    expect(refreshedAccess).toMatchObject({ token_use: 'access', client_id: clientId, sub, username: 'carol' });
    expect(refreshedAccess.jti).not.toBe(access.jti);
    expect(await verify(refreshed!.getIdToken().getJwtToken())).toMatchObject({ token_use: 'id', 'cognito:username': 'carol' });
    // The library keeps the refresh token when the reply has none (Cognito does not rotate by default).
    expect(refreshed!.getRefreshToken().getToken()).toBe(session.getRefreshToken().getToken());

    // getUserAttributes / updateAttributes (GetUser / UpdateUserAttributes)
    const toRecord = (list: CognitoUserAttribute[] | undefined) => Object.fromEntries((list ?? []).map((a) => [a.getName(), a.getValue()]));
    expect(toRecord(await callback<CognitoUserAttribute[]>((done) => current!.getUserAttributes(done)))).toMatchObject({
      sub,
      email,
      email_verified: 'true',
      name: 'Carol',
    });
    const updated = await new Promise<{ result: string | undefined; details: unknown }>((resolve, reject) =>
      current!.updateAttributes([new CognitoUserAttribute({ Name: 'name', Value: 'Carol Danvers' }), { Name: 'given_name', Value: 'Carol' }], (err, result, details) =>
        err ? reject(err) : resolve({ result, details }),
      ),
    );
    expect(updated.result).toBe('SUCCESS');
    expect(updated.details).toEqual({});
    expect(toRecord(await callback<CognitoUserAttribute[]>((done) => current!.getUserAttributes(done)))).toMatchObject({
      name: 'Carol Danvers',
      given_name: 'Carol',
    });
    // Changing the email sends a code to the new address and reports where it went.
    const emailChange = await new Promise<{ result: string | undefined; details: unknown }>((resolve, reject) =>
      current!.updateAttributes([{ Name: 'email', Value: 'carol.d@example.com' }], (err, result, details) => (err ? reject(err) : resolve({ result, details }))),
    );
    expect(emailChange.details).toEqual({
      CodeDeliveryDetailsList: [{ AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 'c***@e***' }],
    });
    const emailCode = await latestCode(server, 'carol.d@example.com');
    await new Promise<string>((resolve, reject) => current!.verifyAttribute('email', emailCode, { onSuccess: resolve, onFailure: reject }));
    expect(toRecord(await callback<CognitoUserAttribute[]>((done) => current!.getUserAttributes(done)))).toMatchObject({
      email: 'carol.d@example.com',
      email_verified: 'true',
    });

    // changePassword (ChangePassword); the new password signs in, the old one does not.
    mark = recorder.mark();
    expect(await callback((done) => current!.changePassword('Carol-passw0rd', 'Carol-passw0rd-2', done))).toBe('SUCCESS');
    expect(recorder.since(mark)).toEqual(['ChangePassword 200']);
    await expect(signIn(new CognitoUser({ Username: 'carol', Pool: newPool() }), 'carol', 'Carol-passw0rd')).rejects.toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
    await signIn(new CognitoUser({ Username: 'carol', Pool: newPool() }), 'carol', 'Carol-passw0rd-2');

    // forgotPassword / confirmPassword with the emailed code (sent to the now-verified new address).
    const forgetful = new CognitoUser({ Username: 'carol', Pool: newPool() });
    const delivery = await new Promise<unknown>((resolve, reject) =>
      forgetful.forgotPassword({ onSuccess: () => reject(new Error('expected inputVerificationCode')), onFailure: reject, inputVerificationCode: resolve }),
    );
    expect(delivery).toEqual({ CodeDeliveryDetails: { AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 'c***@e***' } });
    const resetCode = await latestCode(server, 'carol.d@example.com');
    await expect(
      new Promise<string>((resolve, reject) => forgetful.confirmPassword('000000', 'Carol-passw0rd-3', { onSuccess: resolve, onFailure: reject })),
    ).rejects.toMatchObject({ code: 'CodeMismatchException' });
    expect(
      await new Promise<string>((resolve, reject) => forgetful.confirmPassword(resetCode, 'Carol-passw0rd-3', { onSuccess: resolve, onFailure: reject })),
    ).toBe('SUCCESS');
    await expect(signIn(new CognitoUser({ Username: 'carol', Pool: newPool() }), 'carol', 'Carol-passw0rd-2')).rejects.toMatchObject({
      code: 'NotAuthorizedException',
    });

    // globalSignOut (GlobalSignOut): every token of the user is refused afterwards, and the library forgets the user.
    const finalStorage = new MapStorage();
    const finalPool = newPool(finalStorage);
    const finalUser = new CognitoUser({ Username: 'carol', Pool: finalPool, Storage: finalStorage });
    const finalSession = await signIn(finalUser, 'carol', 'Carol-passw0rd-3');
    const finalAccess = finalSession.getAccessToken().getJwtToken();
    expect((await sdk.send(new GetUserCommand({ AccessToken: finalAccess }))).Username).toBe('carol');
    mark = recorder.mark();
    expect(await new Promise<string>((resolve, reject) => finalUser.globalSignOut({ onSuccess: resolve, onFailure: reject }))).toBe('SUCCESS');
    expect(recorder.since(mark)).toEqual(['GlobalSignOut 200']);
    expect(finalPool.getCurrentUser()).toBeNull();
    await expect(sdk.send(new GetUserCommand({ AccessToken: finalAccess }))).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Access Token has been revoked',
    });
    await expect(sdk.send(new GetUserCommand({ AccessToken: refreshed!.getAccessToken().getJwtToken() }))).rejects.toMatchObject({
      name: 'NotAuthorizedException',
    });
    await expect(
      sdk.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: { REFRESH_TOKEN: finalSession.getRefreshToken().getToken() },
        }),
      ),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    // The library's own refresh hits the same wall.
    await expect(
      callback<CognitoUserSession>((done) => current!.refreshSession(new CognitoRefreshToken({ RefreshToken: finalSession.getRefreshToken().getToken() }), done)),
    ).rejects.toMatchObject({ code: 'NotAuthorizedException' });
  });

  it('signOut revokes the refresh token (RevokeToken) and clears the stored session', async () => {
    await sdk.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'ray', TemporaryPassword: 'Temp-passw0rd', MessageAction: 'SUPPRESS' }));
    const storage = new MapStorage();
    const pool = newPool(storage);
    const user = new CognitoUser({ Username: 'ray', Pool: pool, Storage: storage });
    const first = await authenticate(user, 'ray', 'Temp-passw0rd');
    expect(first.kind).toBe('newPasswordRequired');
    const session = await new Promise<CognitoUserSession>((resolve, reject) =>
      user.completeNewPasswordChallenge('Ray-passw0rd', {}, { onSuccess: resolve, onFailure: reject }),
    );
    // The library only calls RevokeToken when the access token carries origin_jti.
    expect(session.getAccessToken().decodePayload().origin_jti).toEqual(expect.any(String));
    expect(storage.keys().some((key) => key.endsWith('.refreshToken'))).toBe(true);
    const mark = recorder.mark();
    await new Promise<void>((resolve) => user.signOut(resolve));
    expect(recorder.since(mark)).toEqual(['RevokeToken 200']);
    expect(storage.keys().filter((key) => /\.(idToken|accessToken|refreshToken)$/.test(key))).toEqual([]);
    await expect(
      sdk.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: session.getRefreshToken().getToken() } })),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException' });
  });

  it.each(['USER_SRP_AUTH', 'USER_PASSWORD_AUTH'])(
    'takes an admin-created user through newPasswordRequired → completeNewPasswordChallenge (%s)',
    async (flow) => {
      const username = `admin-made-${flow.toLowerCase()}`;
      await sdk.send(
        new AdminCreateUserCommand({
          UserPoolId: poolId,
          Username: username,
          TemporaryPassword: 'Temp-passw0rd',
          MessageAction: 'SUPPRESS',
          UserAttributes: [
            { Name: 'email', Value: `${username}@example.com` },
            { Name: 'email_verified', Value: 'true' },
            { Name: 'name', Value: 'Before' },
          ],
        }),
      );
      const user = new CognitoUser({ Username: username, Pool: newPool() });
      user.setAuthenticationFlowType(flow);
      const first = await authenticate(user, username, 'Temp-passw0rd');
      if (first.kind !== 'newPasswordRequired') throw new Error('expected newPasswordRequired');
      // Cognito sends the user's current attributes (without sub) and the required ones still missing.
      expect(first.userAttributes).toEqual({ email: `${username}@example.com`, email_verified: 'true', name: 'Before' });
      expect(first.requiredAttributes).toEqual([]);
      expect((await sdk.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }))).UserStatus).toBe('FORCE_CHANGE_PASSWORD');

      // Exactly the README's use case 23: drop email_verified ("the api doesn't accept this field back") and
      // pass the rest back with the new password; a writable attribute may be changed on the way.
      const { email_verified: _notAccepted, ...sessionUserAttributes } = first.userAttributes;
      const mark = recorder.mark();
      const session = await new Promise<CognitoUserSession>((resolve, reject) =>
        user.completeNewPasswordChallenge('Chosen-passw0rd', { ...sessionUserAttributes, name: 'After' }, { onSuccess: resolve, onFailure: reject }),
      );
      expect(recorder.since(mark)).toEqual(['RespondToAuthChallenge 200']);
      expect(session.isValid()).toBe(true);
      expect(await verify(session.getIdToken().getJwtToken())).toMatchObject({ 'cognito:username': username, name: 'After', token_use: 'id' });
      const after = await sdk.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
      expect(after.UserStatus).toBe('CONFIRMED');
      expect(after.UserAttributes).toEqual(expect.arrayContaining([{ Name: 'name', Value: 'After' }]));

      const again = new CognitoUser({ Username: username, Pool: newPool() });
      again.setAuthenticationFlowType(flow);
      await expect(signIn(again, username, 'Temp-passw0rd')).rejects.toMatchObject({ code: 'NotAuthorizedException' });
      expect((await signIn(again, username, 'Chosen-passw0rd')).isValid()).toBe(true);
    },
  );

  it('reports Cognito errors under their Cognito names', async () => {
    const pool = newPool();
    await expect(signIn(new CognitoUser({ Username: 'nobody', Pool: pool }), 'nobody', 'Nobody-passw0rd')).rejects.toMatchObject({
      code: 'NotAuthorizedException',
      name: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
    await expect(callback<ISignUpResult>((done) => pool.signUp('weak', 'short', [], [], done))).rejects.toMatchObject({ code: 'InvalidPasswordException' });
    const dup = await callback<ISignUpResult>((done) =>
      pool.signUp('dup', 'Dup-passw0rd', [new CognitoUserAttribute({ Name: 'email', Value: 'dup@example.com' })], [], done),
    );
    await expect(
      callback<ISignUpResult>((done) => pool.signUp('dup', 'Dup-passw0rd', [new CognitoUserAttribute({ Name: 'email', Value: 'dup@example.com' })], [], done)),
    ).rejects.toMatchObject({ code: 'UsernameExistsException' });
    await expect(signIn(dup!.user, 'dup', 'Dup-passw0rd')).rejects.toMatchObject({ code: 'UserNotConfirmedException' });
    await expect(callback((done) => dup!.user.confirmRegistration('000000', true, done))).rejects.toMatchObject({ code: 'CodeMismatchException' });
    // resendConfirmationCode sends a fresh code, which confirms.
    const resent = await callback<{ CodeDeliveryDetails: unknown }>((done) => dup!.user.resendConfirmationCode(done));
    expect(resent?.CodeDeliveryDetails).toEqual({ AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 'd***@e***' });
    const code = await latestCode(server, 'dup@example.com');
    expect(await callback((done) => dup!.user.confirmRegistration(code, true, done))).toBe('SUCCESS');
  });
});
