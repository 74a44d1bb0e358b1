import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  CreateGroupCommand,
  GetTokensFromRefreshTokenCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from './support/test-server.js';
import { adminUser, createClient, createPool, expectError, PASSWORD, passwordSignIn, unique } from './support/cognito.js';
import { arnOf, fixture, hasPython, moduleEvents, putFunction, WebhookReceiver, type WebhookReply } from './support/triggers.js';

// PreAuthentication, PostAuthentication and PreTokenGeneration (V1 and V2) through the AWS SDK:
// the exact events, and the claims the functions add, suppress and override as a verifier sees
// them in the signed tokens — on sign-in, after NEW_PASSWORD_REQUIRED and on refresh.

let server: TestServer;
let idp: CognitoIdentityProviderClient;
let hook: WebhookReceiver;
let answer: (event: any) => WebhookReply;
const HOOK = arnOf('sign-in-hook');
const SEED_PYTHON = arnOf('seed-pre-token-generation');
const TOKEN_MODULE = arnOf('token-module');

beforeAll(async () => {
  server = await startTestServer({ env: { FRONTDESK_TRIGGER_CODE_FROM_API: 'on' } });
  idp = server.client();
  hook = await WebhookReceiver.start((event) => answer(event));
  await hook.register(server, HOOK);
  await putFunction(server, { FunctionArn: SEED_PYTHON, Command: { Runtime: 'python', File: fixture('pre_token_generation.py') } });
  await putFunction(server, { FunctionArn: TOKEN_MODULE, Module: { Path: fixture('token-module.mjs') } });
});
afterAll(async () => {
  await hook?.close();
  await server?.close();
});
beforeEach(() => {
  answer = () => undefined;
  hook.calls.length = 0;
});

const refuse = (message: string): WebhookReply => ({ status: 400, body: { errorMessage: message } });

async function setUp(lambdaConfig: object, clientInput: object = {}) {
  const poolId = await createPool(idp, { LambdaConfig: lambdaConfig });
  const { clientId } = await createClient(idp, poolId, clientInput);
  const username = unique('user');
  await adminUser(idp, poolId, username, { email: `${username}@example.com`, email_verified: 'true', name: 'Jane Doe' });
  return { poolId, clientId, username };
}

/** Verifies a token against the pool's published keys, as an API would. */
async function verified(poolId: string, token: string): Promise<JWTPayload & Record<string, unknown>> {
  const jwks = createRemoteJWKSet(new URL(`${server.url}/${poolId}/.well-known/jwks.json`));
  const { payload } = await jwtVerify(token, jwks, { issuer: `${server.url}/${poolId}`, algorithms: ['RS256'] });
  return payload as JWTPayload & Record<string, unknown>;
}

describe('PreAuthentication', () => {
  it('sees the sign-in (ClientMetadata as validationData) and can refuse it', async () => {
    const { poolId, clientId, username } = await setUp({ PreAuthentication: HOOK });
    const signIn = () =>
      idp.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: username, PASSWORD: PASSWORD },
          ClientMetadata: { device: 'kiosk' },
        }),
      );
    expect((await signIn()).AuthenticationResult?.AccessToken).toBeTruthy();
    const { sub, ...event } = hook.calls[0]!.event.request.userAttributes;
    expect(sub).toMatch(/^[0-9a-f-]{36}$/);
    expect(hook.calls[0]!.event).toEqual({
      version: '1',
      triggerSource: 'PreAuthentication_Authentication',
      region: 'us-east-1',
      userPoolId: poolId,
      userName: username,
      callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId },
      request: {
        userAttributes: { sub, ...event },
        validationData: { device: 'kiosk' },
      },
      response: {},
    });
    expect(event).toEqual({ email: `${username}@example.com`, email_verified: 'true', name: 'Jane Doe', 'cognito:user_status': 'CONFIRMED' });

    answer = () => refuse('Sign-in from kiosks is disabled');
    await expectError(signIn(), { name: 'UserLambdaValidationException', message: 'PreAuthentication failed with error Sign-in from kiosks is disabled.' });
  });

  it('runs for unknown users only where the client hides existence, with userNotFound', async () => {
    const { clientId } = await setUp({ PreAuthentication: HOOK });
    await expectError(
      idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'nobody', PASSWORD: PASSWORD } })),
      { name: 'NotAuthorizedException' },
    );
    expect(hook.calls[0]!.event.request).toEqual({ userAttributes: {}, validationData: null, userNotFound: true });
    expect(hook.calls[0]!.event.userName).toBe('nobody');
  });
});

describe('PostAuthentication', () => {
  it('runs after the password is proven, before tokens; its failure fails the sign-in', async () => {
    const { poolId, clientId, username } = await setUp({ PostAuthentication: HOOK });
    await passwordSignIn(idp, clientId, username);
    expect(hook.calls[0]!.event).toMatchObject({
      triggerSource: 'PostAuthentication_Authentication',
      userName: username,
      request: { newDeviceUsed: false, userAttributes: { 'cognito:user_status': 'CONFIRMED' } },
      response: {},
    });
    hook.calls.length = 0;
    await expectError(
      idp.send(
        new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: 'wrong-Passw0rd' } }),
      ),
      { name: 'NotAuthorizedException' },
    );
    expect(hook.calls).toHaveLength(0);

    answer = () => refuse('audit failed');
    await expectError(
      idp.send(
        new AdminInitiateAuthCommand({
          UserPoolId: poolId,
          ClientId: clientId,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: username, PASSWORD: PASSWORD },
          ClientMetadata: { why: 'test' },
        }),
      ),
      { name: 'UserLambdaValidationException', message: 'PostAuthentication failed with error audit failed.' },
    );
    expect(hook.calls[0]!.event.request.clientMetadata).toEqual({ why: 'test' });
  });

  it('newDeviceUsed is true where the pool tracks devices and the sign-in came from none of the user\'s devices', async () => {
    const poolId = await createPool(idp, { LambdaConfig: { PostAuthentication: HOOK }, DeviceConfiguration: { ChallengeRequiredOnNewDevice: false } });
    const { clientId } = await createClient(idp, poolId);
    const username = unique('device');
    await adminUser(idp, poolId, username);
    const first = await passwordSignIn(idp, clientId, username);
    expect(first.NewDeviceMetadata?.DeviceKey).toBeTruthy();
    expect(hook.calls.map((c) => c.event.request.newDeviceUsed)).toEqual([true]);
  });
});

describe('PreTokenGeneration V1', () => {
  it.skipIf(!hasPython)('the seed\'s Python handler, unmodified, adds plan and org_id to the verified ID token', async () => {
    const { poolId, clientId, username } = await setUp({ PreTokenGeneration: SEED_PYTHON });
    const tokens = await passwordSignIn(idp, clientId, username);
    const id = await verified(poolId, tokens.IdToken);
    expect(id).toMatchObject({ plan: 'pro', org_id: 'org_12345', 'cognito:username': username, token_use: 'id' });
    // V1 customizes the ID token only.
    const access = await verified(poolId, tokens.AccessToken);
    expect(access.plan).toBeUndefined();
  });

  it('adds, suppresses and overrides groups (in-process module), on sign-in and on refresh', async () => {
    const { poolId, clientId, username } = await setUp({ PreTokenGeneration: TOKEN_MODULE });
    await idp.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'staff', Precedence: 1, RoleArn: 'arn:aws:iam::123456789012:role/staff' }));
    await idp.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: username, GroupName: 'staff' }));
    const before = moduleEvents().length;
    const result = await idp.send(
      new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: PASSWORD }, ClientMetadata: { tenant: 'acme' } }),
    );
    const tokens = result.AuthenticationResult!;
    const [seen] = moduleEvents().slice(before);
    expect(seen!.event).toMatchObject({
      version: '1',
      triggerSource: 'TokenGeneration_Authentication',
      userName: username,
      callerContext: { clientId },
      request: {
        groupConfiguration: {
          groupsToOverride: ['staff'],
          iamRolesToOverride: ['arn:aws:iam::123456789012:role/staff'],
          preferredRole: 'arn:aws:iam::123456789012:role/staff',
        },
        clientMetadata: { tenant: 'acme' },
      },
      response: { claimsOverrideDetails: null },
    });
    expect(seen!.event.request.scopes).toBeUndefined();

    const id = await verified(poolId, tokens.IdToken!);
    expect(id.tenant).toBe('acme');
    expect(id.email).toBeUndefined(); // suppressed wins over added
    expect(id.name).toBeUndefined();
    expect(id['cognito:groups']).toEqual(['staff', 'vip']);
    expect(id['cognito:roles']).toEqual(['arn:aws:iam::123456789012:role/vip']);
    expect(id['cognito:preferred_role']).toBe('arn:aws:iam::123456789012:role/vip');
    const access = await verified(poolId, tokens.AccessToken!);
    expect(access['cognito:groups']).toEqual(['staff', 'vip']);

    const refreshed = await idp.send(
      new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken! }, ClientMetadata: { tenant: 'globex' } }),
    );
    const last = moduleEvents().at(-1)!;
    expect(last.event.triggerSource).toBe('TokenGeneration_RefreshTokens');
    expect((await verified(poolId, refreshed.AuthenticationResult!.IdToken!)).tenant).toBe('globex');
  });

  it('TokenGeneration_NewPasswordChallenge after a temporary password is replaced', async () => {
    const poolId = await createPool(idp, { LambdaConfig: { PreTokenGeneration: HOOK } });
    const { clientId } = await createClient(idp, poolId);
    const username = unique('temp');
    await idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, TemporaryPassword: 'Temp-Passw0rd!', MessageAction: 'SUPPRESS' }));
    const first = await idp.send(
      new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: 'Temp-Passw0rd!' } }),
    );
    expect(first.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    expect(hook.calls).toHaveLength(0);
    await idp.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: first.Session,
        ChallengeResponses: { USERNAME: username, NEW_PASSWORD: PASSWORD },
      }),
    );
    expect(hook.calls.map((c) => c.event.triggerSource)).toEqual(['TokenGeneration_NewPasswordChallenge']);
  });

  it('an invalid answer is InvalidLambdaResponseException and no tokens', async () => {
    const { clientId, username } = await setUp({ PreTokenGeneration: HOOK });
    answer = (event) => ({ body: { ...event, response: { claimsOverrideDetails: { claimsToAddOrOverride: { nested: { no: 'objects in V1' } } } } } });
    await expectError(
      idp.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: PASSWORD } })),
      { name: 'InvalidLambdaResponseException', message: 'Unrecognizable lambda output' },
    );
  });
});

describe('PreTokenGeneration V2', () => {
  it('customizes both tokens and the scopes; reserved claims stay; the event is version 2 with scopes', async () => {
    const { poolId, clientId, username } = await setUp({ PreTokenGenerationConfig: { LambdaArn: HOOK, LambdaVersion: 'V2_0' } });
    answer = (event) => ({
      body: {
        ...event,
        response: {
          claimsAndScopeOverrideDetails: {
            idTokenGeneration: { claimsToAddOrOverride: { department: 'R&D', sub: 'forged' }, claimsToSuppress: ['name'] },
            accessTokenGeneration: {
              claimsToAddOrOverride: { entitlements: { plan: 'pro', seats: 5 }, regions: ['eu', 'us'], client_id: 'forged' },
              scopesToAdd: ['orders/read'],
              scopesToSuppress: ['aws.cognito.signin.user.admin'],
            },
          },
        },
      },
    });
    const tokens = await passwordSignIn(idp, clientId, username);
    expect(hook.calls[0]!.event).toMatchObject({
      version: '2',
      triggerSource: 'TokenGeneration_Authentication',
      request: { scopes: ['aws.cognito.signin.user.admin'], groupConfiguration: { groupsToOverride: [], iamRolesToOverride: [], preferredRole: null } },
      response: { claimsAndScopeOverrideDetails: null },
    });
    const id = await verified(poolId, tokens.IdToken);
    expect(id.department).toBe('R&D');
    expect(id.name).toBeUndefined();
    expect(id.sub).not.toBe('forged');
    const access = await verified(poolId, tokens.AccessToken);
    expect(access).toMatchObject({ entitlements: { plan: 'pro', seats: 5 }, regions: ['eu', 'us'], scope: 'orders/read', client_id: clientId });
  });

  it('a failing function on refresh leaves the rotated refresh token usable', async () => {
    const { clientId, username } = await setUp(
      { PreTokenGenerationConfig: { LambdaArn: HOOK, LambdaVersion: 'V2_0' } },
      { RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 0 } },
    );
    const tokens = await passwordSignIn(idp, clientId, username);
    answer = () => refuse('claims service down');
    const refresh = () => idp.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: tokens.RefreshToken, ClientMetadata: { n: '1' } }));
    await expectError(refresh(), { name: 'UserLambdaValidationException', message: 'PreTokenGeneration failed with error claims service down.' });
    answer = () => undefined;
    hook.calls.length = 0;
    const again = await refresh();
    expect(again.AuthenticationResult?.RefreshToken).toBeTruthy();
    expect(hook.calls[0]!.event).toMatchObject({ triggerSource: 'TokenGeneration_RefreshTokens', request: { clientMetadata: { n: '1' } } });
  });
});
