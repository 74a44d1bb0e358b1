import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteUserPoolClientCommand,
  DeleteUserPoolCommand,
  DescribeUserPoolClientCommand,
  ListUserPoolClientsCommand,
  UpdateUserPoolClientCommand,
  type CreateUserPoolClientRequest,
  type UserPoolClientType,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from './support/test-server.js';
import { effectiveAuthFlows } from '../src/domain/clients/auth-flows.js';

let server: TestServer;
let cached: { url: string; client: CognitoIdentityProviderClient } | undefined;

/** An SDK client for the server as it runs now (a restart moves it to a new port). */
function idp(): CognitoIdentityProviderClient {
  if (cached?.url !== server.url) cached = { url: server.url, client: server.client() };
  return cached.client;
}

async function newPool(tier?: 'LITE' | 'ESSENTIALS' | 'PLUS'): Promise<string> {
  const created = await idp().send(
    new CreateUserPoolCommand({
      PoolName: `clients-${Math.random().toString(36).slice(2, 8)}`,
      Schema: [{ Name: 'tier', AttributeDataType: 'String' }],
      ...(tier ? { UserPoolTier: tier } : {}),
    }),
  );
  return created.UserPool!.Id!;
}

async function create(input: Omit<CreateUserPoolClientRequest, 'ClientName'> & { ClientName?: string }): Promise<UserPoolClientType> {
  const out = await idp().send(new CreateUserPoolClientCommand({ ClientName: 'app', ...input }));
  return out.UserPoolClient!;
}

async function describeClient(poolId: string, clientId: string): Promise<UserPoolClientType> {
  return (await idp().send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }))).UserPoolClient!;
}

/** Asserts that the call fails with Cognito's error type (the wire __type), HTTP 400 and message. */
async function expectError(call: Promise<unknown>, type: string, message?: string | RegExp): Promise<void> {
  const error = (await call.then(
    () => undefined,
    (e: unknown) => e,
  )) as { name: string; message: string; $metadata?: { httpStatusCode?: number } } | undefined;
  expect(error, `expected ${type}, but the call succeeded`).toBeDefined();
  expect(error!.name).toBe(type);
  expect(error!.$metadata?.httpStatusCode).toBe(400);
  if (typeof message === 'string') expect(error!.message).toBe(message);
  else if (message) expect(error!.message).toMatch(message);
}

/** What a client created with nothing but a name looks like (apart from its id and dates). */
const MINIMAL_DEFAULTS = {
  RefreshTokenValidity: 30,
  AccessTokenValidity: 60,
  IdTokenValidity: 60,
  TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'days' },
  AllowedOAuthFlowsUserPoolClient: false,
  PreventUserExistenceErrors: 'ENABLED',
  EnableTokenRevocation: true,
  EnablePropagateAdditionalUserContextData: false,
  AuthSessionValidity: 3,
};

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server?.close();
});

describe('CreateUserPoolClient / DescribeUserPoolClient', () => {
  let poolId: string;
  beforeAll(async () => {
    poolId = await newPool();
  });

  it('creates a minimal client with Cognito defaults and describes it identically', async () => {
    const created = await create({ UserPoolId: poolId, ClientName: 'minimal' });
    const { ClientId, CreationDate, LastModifiedDate, ...rest } = created;
    expect(ClientId).toMatch(/^[a-z0-9]{26}$/);
    expect(CreationDate).toBeInstanceOf(Date);
    expect(LastModifiedDate).toEqual(CreationDate);
    expect(Math.abs(CreationDate!.getTime() - Date.now())).toBeLessThan(60_000);
    expect(rest).toEqual({ UserPoolId: poolId, ClientName: 'minimal', ...MINIMAL_DEFAULTS });
    // Omitted lists are not shown: Cognito reads them as "defaults" (all attributes; SRP, custom, refresh).
    expect(created).not.toHaveProperty('ClientSecret');
    expect(created).not.toHaveProperty('ExplicitAuthFlows');
    expect(created).not.toHaveProperty('ReadAttributes');
    expect(created).not.toHaveProperty('RefreshTokenRotation');

    expect(await describeClient(poolId, ClientId!)).toEqual(created);
  });

  it('generates a random secret, returns it on create and describe, and never for other clients', async () => {
    const first = await create({ UserPoolId: poolId, GenerateSecret: true });
    const second = await create({ UserPoolId: poolId, GenerateSecret: true });
    expect(first.ClientSecret).toMatch(/^[a-z0-9]{51}$/);
    expect(second.ClientSecret).toMatch(/^[a-z0-9]{51}$/);
    expect(first.ClientSecret).not.toBe(second.ClientSecret);
    // 51 characters from 36: a repeat-heavy string would mean a broken generator.
    expect(new Set(first.ClientSecret).size).toBeGreaterThan(15);
    expect((await describeClient(poolId, first.ClientId!)).ClientSecret).toBe(first.ClientSecret);

    const publicClient = await create({ UserPoolId: poolId, GenerateSecret: false });
    expect(publicClient).not.toHaveProperty('ClientSecret');
    expect(await describeClient(poolId, publicClient.ClientId!)).not.toHaveProperty('ClientSecret');

    const listed = await idp().send(new ListUserPoolClientsCommand({ UserPoolId: poolId }));
    expect(JSON.stringify(listed.UserPoolClients)).not.toContain(first.ClientSecret!);
  });

  it('stores the secret encrypted, never in plaintext', async () => {
    const client = await create({ UserPoolId: poolId, GenerateSecret: true });
    const stored = await server.store.clients.get(poolId, client.ClientId!);
    expect(stored?.secret).toBe(client.ClientSecret);
    if (server.database.engine === 'sqlite') {
      // Every byte SQLite wrote (database, WAL, journal) is free of the secret.
      for (const file of readdirSync(server.database.dataDir)) {
        expect(readFileSync(join(server.database.dataDir, file)).includes(client.ClientSecret!)).toBe(false);
      }
    }
  });

  it('accepts a caller-chosen ClientSecret, but not on a client without a secret', async () => {
    const custom = 'my_own_secret_value_0123456789';
    const client = await create({ UserPoolId: poolId, GenerateSecret: true, ClientSecret: custom });
    expect(client.ClientSecret).toBe(custom);
    expect((await describeClient(poolId, client.ClientId!)).ClientSecret).toBe(custom);
    await expectError(
      create({ UserPoolId: poolId, GenerateSecret: false, ClientSecret: custom }),
      'InvalidParameterException',
      /GenerateSecret/,
    );
  });

  it('round-trips every member', async () => {
    const request: CreateUserPoolClientRequest = {
      UserPoolId: poolId,
      ClientName: 'full client',
      GenerateSecret: true,
      RefreshTokenValidity: 10,
      AccessTokenValidity: 30,
      IdTokenValidity: 2,
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'hours', RefreshToken: 'days' },
      ReadAttributes: ['email', 'email_verified', 'custom:tier'],
      WriteAttributes: ['email', 'custom:tier'],
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_PASSWORD_AUTH'],
      SupportedIdentityProviders: ['COGNITO'],
      CallbackURLs: ['https://app.example.com/callback', 'http://localhost:3000/callback', 'myapp://callback'],
      LogoutURLs: ['https://app.example.com/signed-out', 'http://127.0.0.1:8080/out'],
      DefaultRedirectURI: 'https://app.example.com/callback',
      AllowedOAuthFlows: ['code', 'implicit'],
      AllowedOAuthScopes: ['openid', 'email', 'profile', 'phone', 'aws.cognito.signin.user.admin'],
      AllowedOAuthFlowsUserPoolClient: true,
      AnalyticsConfiguration: {
        ApplicationId: '0123456789abcdef0123456789abcdef',
        RoleArn: 'arn:aws:iam::123456789012:role/pinpoint-events',
        ExternalId: 'external-id',
        UserDataShared: true,
      },
      PreventUserExistenceErrors: 'LEGACY',
      EnableTokenRevocation: false,
      EnablePropagateAdditionalUserContextData: true,
      AuthSessionValidity: 15,
      RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 30 },
    };
    const created = await create(request);
    const { UserPoolId, ClientName, GenerateSecret: _generate, ...members } = request;
    expect(created).toMatchObject({ UserPoolId, ClientName, ...members });
    expect(created.ClientSecret).toMatch(/^[a-z0-9]{51}$/);
    const { ClientId: _id, ClientSecret: _secret, CreationDate: _c, LastModifiedDate: _m, ...shown } = created;
    expect(shown).toEqual({ UserPoolId, ClientName, ...members });
    expect(await describeClient(poolId, created.ClientId!)).toEqual(created);
  });

  it('reads bare token validities in the default units (hours, hours, days) and fills in the others', async () => {
    const client = await create({ UserPoolId: poolId, AccessTokenValidity: 2, RefreshTokenValidity: 90 });
    expect(client).toMatchObject({
      AccessTokenValidity: 2,
      IdTokenValidity: 60,
      RefreshTokenValidity: 90,
      TokenValidityUnits: { AccessToken: 'hours', IdToken: 'minutes', RefreshToken: 'days' },
    });
    const inSeconds = await create({ UserPoolId: poolId, TokenValidityUnits: { AccessToken: 'seconds', RefreshToken: 'hours' } });
    expect(inSeconds).toMatchObject({
      AccessTokenValidity: 3600,
      RefreshTokenValidity: 720,
      TokenValidityUnits: { AccessToken: 'seconds', IdToken: 'minutes', RefreshToken: 'hours' },
    });
  });

  it('accepts the edges of every token validity range', async () => {
    await create({ UserPoolId: poolId, AccessTokenValidity: 5, IdTokenValidity: 5, TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes' } });
    await create({ UserPoolId: poolId, AccessTokenValidity: 86400, IdTokenValidity: 1, TokenValidityUnits: { AccessToken: 'seconds', IdToken: 'days' } });
    await create({ UserPoolId: poolId, RefreshTokenValidity: 3650 });
    await create({
      UserPoolId: poolId,
      RefreshTokenValidity: 60,
      AccessTokenValidity: 60,
      IdTokenValidity: 60,
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'minutes' },
    });
  });

  it.each([
    [{ AccessTokenValidity: 4, TokenValidityUnits: { AccessToken: 'minutes' } }, /AccessTokenValidity must be from 5 minutes to 1 day/],
    [{ AccessTokenValidity: 2, TokenValidityUnits: { AccessToken: 'days' } }, /AccessTokenValidity must be from 5 minutes to 1 day/],
    [{ IdTokenValidity: 25 }, /IdTokenValidity must be from 5 minutes to 1 day; 25 hours/],
    [{ RefreshTokenValidity: 59, TokenValidityUnits: { RefreshToken: 'minutes' } }, /RefreshTokenValidity must be from 60 minutes to 3650 days/],
    [{ RefreshTokenValidity: 3651 }, /RefreshTokenValidity must be from 60 minutes to 3650 days/],
    [{ RefreshTokenValidity: 0 }, /RefreshTokenValidity/],
  ] as const)('rejects an out-of-range token validity %j', async (members, message) => {
    await expectError(create({ UserPoolId: poolId, ...(members as object) }), 'InvalidParameterException', message);
  });

  it('rejects access or ID tokens that outlive the refresh token', async () => {
    await expectError(
      create({
        UserPoolId: poolId,
        AccessTokenValidity: 2,
        RefreshTokenValidity: 60,
        TokenValidityUnits: { AccessToken: 'hours', RefreshToken: 'minutes' },
      }),
      'InvalidParameterException',
      'Access and Id Token expiration times must be less than or equal to refresh token expiration times.',
    );
  });

  it('rejects AuthSessionValidity outside 3-15 minutes (model constraint)', async () => {
    await expectError(create({ UserPoolId: poolId, AuthSessionValidity: 2 }), 'InvalidParameterException', /authSessionValidity/);
    await expectError(create({ UserPoolId: poolId, AuthSessionValidity: 16 }), 'InvalidParameterException', /authSessionValidity/);
  });

  it('stores explicit auth flows as given and refuses to mix legacy and ALLOW_ names', async () => {
    const legacy = await create({ UserPoolId: poolId, ExplicitAuthFlows: ['ADMIN_NO_SRP_AUTH', 'USER_PASSWORD_AUTH'] });
    expect(legacy.ExplicitAuthFlows).toEqual(['ADMIN_NO_SRP_AUTH', 'USER_PASSWORD_AUTH']);
    await expectError(
      create({ UserPoolId: poolId, ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'USER_PASSWORD_AUTH'] }),
      'InvalidParameterException',
      "Auth flow name with prefix 'ALLOW' cannot be used with legacy auth flow names.",
    );
  });

  it('exposes the effective auth flows: defaults when none are named, legacy names translated', async () => {
    const flowsOf = async (input: Partial<CreateUserPoolClientRequest>) => {
      const created = await create({ UserPoolId: poolId, ...input });
      return [...effectiveAuthFlows((await server.store.clients.get(poolId, created.ClientId!))!)].sort();
    };
    expect(await flowsOf({})).toEqual(['ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH']);
    expect(await flowsOf({ ExplicitAuthFlows: [] })).toEqual(['ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH']);
    expect(await flowsOf({ ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] })).toEqual(['ALLOW_USER_PASSWORD_AUTH']);
    expect(await flowsOf({ ExplicitAuthFlows: ['ADMIN_NO_SRP_AUTH'] })).toEqual([
      'ALLOW_ADMIN_USER_PASSWORD_AUTH',
      'ALLOW_CUSTOM_AUTH',
      'ALLOW_REFRESH_TOKEN_AUTH',
      'ALLOW_USER_SRP_AUTH',
    ]);
    expect(await flowsOf({ ExplicitAuthFlows: ['CUSTOM_AUTH_FLOW_ONLY'] })).toEqual(['ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
  });

  it('only allows read and write attributes the pool has, and never writes to sub or the verified flags', async () => {
    const ok = await create({ UserPoolId: poolId, ReadAttributes: ['custom:tier', 'sub'], WriteAttributes: ['custom:tier', 'given_name'] });
    expect(ok.ReadAttributes).toEqual(['custom:tier', 'sub']);
    await expectError(
      create({ UserPoolId: poolId, ReadAttributes: ['email', 'custom:unknown'] }),
      'InvalidParameterException',
      'Invalid read attributes specified while creating a client',
    );
    await expectError(
      create({ UserPoolId: poolId, ReadAttributes: ['tier'] }),
      'InvalidParameterException',
      'Invalid read attributes specified while creating a client',
    );
    for (const attribute of ['sub', 'email_verified', 'phone_number_verified', 'shoe_size']) {
      await expectError(
        create({ UserPoolId: poolId, WriteAttributes: ['email', attribute] }),
        'InvalidParameterException',
        'Invalid write attributes specified while creating a client',
      );
    }
  });

  it('requires standard scopes or scopes of an existing resource server', async () => {
    await expectError(
      create({ UserPoolId: poolId, AllowedOAuthScopes: ['openid', 'Cognito'] }),
      'ScopeDoesNotExistException',
      'Invalid scope requested: Cognito',
    );
    await expectError(
      create({ UserPoolId: poolId, AllowedOAuthScopes: ['https://api.example.com/read'] }),
      'ScopeDoesNotExistException',
      'Invalid scope requested: https://api.example.com/read',
    );
  });

  it('requires openid alongside the phone, email and profile scopes', async () => {
    for (const scope of ['email', 'phone', 'profile']) {
      await expectError(create({ UserPoolId: poolId, AllowedOAuthScopes: [scope] }), 'InvalidParameterException', /openid/);
    }
    const client = await create({ UserPoolId: poolId, AllowedOAuthScopes: ['openid', 'email'] });
    expect(client.AllowedOAuthScopes).toEqual(['openid', 'email']);
    const adminOnly = await create({ UserPoolId: poolId, AllowedOAuthScopes: ['aws.cognito.signin.user.admin'] });
    expect(adminOnly.AllowedOAuthScopes).toEqual(['aws.cognito.signin.user.admin']);
  });

  it('applies the client_credentials rules', async () => {
    await expectError(
      create({ UserPoolId: poolId, GenerateSecret: true, AllowedOAuthFlows: ['client_credentials', 'code'] }),
      'InvalidOAuthFlowException',
      'client_credentials flow can not be selected along with code flow or implicit flow.',
    );
    await expectError(
      create({ UserPoolId: poolId, AllowedOAuthFlows: ['client_credentials'] }),
      'InvalidOAuthFlowException',
      'client_credentials flow can not be selected if client does not have a client secret.',
    );
    await expectError(
      create({ UserPoolId: poolId, GenerateSecret: true, AllowedOAuthFlows: ['client_credentials'], AllowedOAuthScopes: ['openid'] }),
      'InvalidOAuthFlowException',
      'openid is not supported with client_credentials flow',
    );
  });

  it('requires flows and scopes when OAuth is on, and callback URLs for code and implicit', async () => {
    await expectError(
      create({ UserPoolId: poolId, AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthScopes: ['openid'] }),
      'InvalidParameterException',
      'AllowedOAuthFlows and AllowedOAuthScopes are required if user pool client is allowed to use OAuth flows.',
    );
    await expectError(
      create({ UserPoolId: poolId, AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['code'] }),
      'InvalidParameterException',
      'AllowedOAuthFlows and AllowedOAuthScopes are required if user pool client is allowed to use OAuth flows.',
    );
    await expectError(
      create({ UserPoolId: poolId, AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['implicit'], AllowedOAuthScopes: ['openid'] }),
      'InvalidOAuthFlowException',
      'CallbackUrls can not be empty when code flow or implicit flow is selected',
    );
    // With OAuth off, the settings are kept without being required to be complete.
    const dormant = await create({ UserPoolId: poolId, AllowedOAuthFlows: ['code'] });
    expect(dormant).toMatchObject({ AllowedOAuthFlowsUserPoolClient: false, AllowedOAuthFlows: ['code'] });
  });

  it('accepts https, loopback http and native-app callback URLs', async () => {
    const urls = [
      'https://app.example.com/cb?x=1',
      'http://localhost/cb',
      'http://localhost:4200/cb',
      'http://127.0.0.1:8080/cb',
      'http://[::1]:8080/cb',
      'com.example.app://oauth/callback',
      'myapp://callback',
    ];
    const client = await create({ UserPoolId: poolId, CallbackURLs: urls, LogoutURLs: urls });
    expect(client.CallbackURLs).toEqual(urls);
    expect(client.LogoutURLs).toEqual(urls);
  });

  it.each([
    ['http://app.example.com/cb', 'http://app.example.com/cb cannot use the HTTP protocol.'],
    ['http://localhost.evil.com/cb', 'http://localhost.evil.com/cb cannot use the HTTP protocol.'],
    ['https://app.example.com/cb#fragment', 'https://app.example.com/cb#fragment cannot use fragment.'],
    ['/relative/callback', '/relative/callback is not an absolute URL.'],
    ['javascript:alert(1)', /javascript: scheme/],
    ['data:text/html,hello', /data: scheme/],
  ])('rejects the redirect URL %s', async (url, message) => {
    await expectError(create({ UserPoolId: poolId, CallbackURLs: [url] }), 'InvalidParameterException', message);
    await expectError(create({ UserPoolId: poolId, LogoutURLs: [url] }), 'InvalidParameterException', message);
  });

  it('requires DefaultRedirectURI to be one of the callback URLs', async () => {
    await expectError(
      create({ UserPoolId: poolId, CallbackURLs: ['https://a.example.com/cb'], DefaultRedirectURI: 'https://b.example.com/cb' }),
      'InvalidParameterException',
      'The default redirect URI https://b.example.com/cb is not in the callback URIs list.',
    );
    await expectError(
      create({ UserPoolId: poolId, DefaultRedirectURI: 'https://b.example.com/cb' }),
      'InvalidParameterException',
      /is not in the callback URIs list/,
    );
  });

  it('supports only the COGNITO identity provider until federation exists', async () => {
    const client = await create({ UserPoolId: poolId, SupportedIdentityProviders: ['COGNITO'] });
    expect(client.SupportedIdentityProviders).toEqual(['COGNITO']);
    await expectError(
      create({ UserPoolId: poolId, SupportedIdentityProviders: ['COGNITO', 'Google'] }),
      'InvalidParameterException',
      `The provider Google does not exist for User Pool ${poolId}`,
    );
  });

  it('needs a client secret to propagate additional user context data', async () => {
    await expectError(
      create({ UserPoolId: poolId, EnablePropagateAdditionalUserContextData: true }),
      'InvalidParameterException',
      'Client Secret is required to set EnablePropagateAdditionalUserContextData as true',
    );
    const confidential = await create({ UserPoolId: poolId, GenerateSecret: true, EnablePropagateAdditionalUserContextData: true });
    expect(confidential.EnablePropagateAdditionalUserContextData).toBe(true);
  });

  it('accepts one of the two analytics configurations, never a mix', async () => {
    const byArn = await create({
      UserPoolId: poolId,
      AnalyticsConfiguration: { ApplicationArn: 'arn:aws:mobiletargeting:us-east-1:123456789012:apps/0123abcd' },
    });
    expect(byArn.AnalyticsConfiguration).toEqual({
      ApplicationArn: 'arn:aws:mobiletargeting:us-east-1:123456789012:apps/0123abcd',
      UserDataShared: false,
    });
    const message =
      'Invalid analytics configuration given, either <application arn> or <application id, role arn, external id> are valid';
    await expectError(
      create({
        UserPoolId: poolId,
        AnalyticsConfiguration: {
          ApplicationArn: 'arn:aws:mobiletargeting:us-east-1:123456789012:apps/0123abcd',
          RoleArn: 'arn:aws:iam::123456789012:role/pinpoint-events',
        },
      }),
      'InvalidParameterException',
      message,
    );
    await expectError(
      create({ UserPoolId: poolId, AnalyticsConfiguration: { ApplicationId: '0123abcd', ExternalId: 'x' } }),
      'InvalidParameterException',
      message,
    );
  });

  it('keeps refresh token rotation only when asked, and only outside the LITE plan', async () => {
    const rotating = await create({ UserPoolId: poolId, RefreshTokenRotation: { Feature: 'ENABLED' } });
    expect(rotating.RefreshTokenRotation).toEqual({ Feature: 'ENABLED', RetryGracePeriodSeconds: 0 });
    const litePool = await newPool('LITE');
    await expectError(
      create({ UserPoolId: litePool, RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 10 } }),
      'FeatureUnavailableInTierException',
      /LITE/,
    );
    const off = await create({ UserPoolId: litePool, RefreshTokenRotation: { Feature: 'DISABLED' } });
    expect(off.RefreshTokenRotation).toEqual({ Feature: 'DISABLED', RetryGracePeriodSeconds: 0 });
    await expectError(
      create({ UserPoolId: poolId, RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 61 } }),
      'InvalidParameterException',
      /retryGracePeriodSeconds/,
    );
  });

  it('fails for a pool that does not exist', async () => {
    await expectError(create({ UserPoolId: 'us-east-1_nopool123' }), 'ResourceNotFoundException', 'User pool us-east-1_nopool123 does not exist.');
  });
});

describe('UpdateUserPoolClient', () => {
  let poolId: string;
  beforeAll(async () => {
    poolId = await newPool();
  });

  it('resets omitted members to their defaults, keeps the name when omitted and always keeps the secret', async () => {
    const created = await create({
      UserPoolId: poolId,
      ClientName: 'before',
      GenerateSecret: true,
      AccessTokenValidity: 10,
      TokenValidityUnits: { AccessToken: 'minutes' },
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'],
      ReadAttributes: ['email'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid'],
      CallbackURLs: ['https://app.example.com/cb'],
      PreventUserExistenceErrors: 'LEGACY',
      EnableTokenRevocation: false,
    });
    server.clock.advance(5_000);
    const updated = (
      await idp().send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: created.ClientId, IdTokenValidity: 2 }))
    ).UserPoolClient!;
    expect(updated).toEqual({
      UserPoolId: poolId,
      ClientName: 'before',
      ClientId: created.ClientId,
      ClientSecret: created.ClientSecret,
      CreationDate: created.CreationDate,
      LastModifiedDate: expect.any(Date),
      ...MINIMAL_DEFAULTS,
      IdTokenValidity: 2,
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'hours', RefreshToken: 'days' },
    });
    expect(updated.LastModifiedDate!.getTime()).toBeGreaterThanOrEqual(created.LastModifiedDate!.getTime() + 5_000);
    expect(await describeClient(poolId, created.ClientId!)).toEqual(updated);
  });

  it('renames the client and applies new settings', async () => {
    const created = await create({ UserPoolId: poolId, ClientName: 'old-name' });
    const updated = (
      await idp().send(
        new UpdateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientId: created.ClientId,
          ClientName: 'new-name',
          ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
          WriteAttributes: ['custom:tier'],
        }),
      )
    ).UserPoolClient!;
    expect(updated).toMatchObject({
      ClientName: 'new-name',
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      WriteAttributes: ['custom:tier'],
    });
    const listed = await idp().send(new ListUserPoolClientsCommand({ UserPoolId: poolId }));
    expect(listed.UserPoolClients).toContainEqual({ ClientId: created.ClientId, UserPoolId: poolId, ClientName: 'new-name' });
  });

  it('validates like create, naming the update in attribute errors', async () => {
    const publicClient = await create({ UserPoolId: poolId });
    const update = (members: object) =>
      idp().send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: publicClient.ClientId, ...members }));
    await expectError(update({ ReadAttributes: ['nope'] }), 'InvalidParameterException', 'Invalid read attributes specified while updating a client');
    await expectError(update({ WriteAttributes: ['sub'] }), 'InvalidParameterException', 'Invalid write attributes specified while updating a client');
    await expectError(update({ AccessTokenValidity: 48 }), 'InvalidParameterException', /AccessTokenValidity/);
    await expectError(update({ AllowedOAuthScopes: ['openid', 'x/y'] }), 'ScopeDoesNotExistException', 'Invalid scope requested: x/y');
    // The secret decides what is allowed: none here, so no client_credentials.
    await expectError(update({ AllowedOAuthFlows: ['client_credentials'] }), 'InvalidOAuthFlowException', /client secret/);
    const confidential = await create({ UserPoolId: poolId, GenerateSecret: true });
    const m2m = await idp().send(
      new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: confidential.ClientId, AllowedOAuthFlows: ['client_credentials'] }),
    );
    expect(m2m.UserPoolClient).toMatchObject({ AllowedOAuthFlows: ['client_credentials'], ClientSecret: confidential.ClientSecret });
    // A failed update leaves the client as it was.
    expect(await describeClient(poolId, publicClient.ClientId!)).toEqual(publicClient);
  });

  it('fails for an unknown client or pool', async () => {
    await expectError(
      idp().send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: 'doesnotexist0000000000000' })),
      'ResourceNotFoundException',
      'User pool client doesnotexist0000000000000 does not exist.',
    );
    await expectError(
      idp().send(new UpdateUserPoolClientCommand({ UserPoolId: 'us-east-1_nopool123', ClientId: 'doesnotexist0000000000000' })),
      'ResourceNotFoundException',
      'User pool us-east-1_nopool123 does not exist.',
    );
  });
});

describe('DeleteUserPoolClient and not-found errors', () => {
  let poolId: string;
  let otherPoolId: string;
  beforeAll(async () => {
    poolId = await newPool();
    otherPoolId = await newPool();
  });

  it('deletes a client, after which it is gone everywhere', async () => {
    const keep = await create({ UserPoolId: poolId, ClientName: 'keep' });
    const doomed = await create({ UserPoolId: poolId, ClientName: 'doomed', GenerateSecret: true });
    const out = await idp().send(new DeleteUserPoolClientCommand({ UserPoolId: poolId, ClientId: doomed.ClientId }));
    expect(out.$metadata.httpStatusCode).toBe(200);
    const message = `User pool client ${doomed.ClientId} does not exist.`;
    await expectError(describeClient(poolId, doomed.ClientId!), 'ResourceNotFoundException', message);
    await expectError(
      idp().send(new DeleteUserPoolClientCommand({ UserPoolId: poolId, ClientId: doomed.ClientId })),
      'ResourceNotFoundException',
      message,
    );
    const listed = await idp().send(new ListUserPoolClientsCommand({ UserPoolId: poolId }));
    expect(listed.UserPoolClients?.map((c) => c.ClientId)).toEqual([keep.ClientId]);
  });

  it('does not find a client through another pool', async () => {
    const client = await create({ UserPoolId: poolId });
    const message = `User pool client ${client.ClientId} does not exist.`;
    await expectError(describeClient(otherPoolId, client.ClientId!), 'ResourceNotFoundException', message);
    await expectError(
      idp().send(new DeleteUserPoolClientCommand({ UserPoolId: otherPoolId, ClientId: client.ClientId })),
      'ResourceNotFoundException',
      message,
    );
    expect((await describeClient(poolId, client.ClientId!)).ClientId).toBe(client.ClientId);
  });

  it('reports a missing pool before a missing client', async () => {
    const message = 'User pool us-east-1_nopool123 does not exist.';
    await expectError(describeClient('us-east-1_nopool123', 'abc'), 'ResourceNotFoundException', message);
    await expectError(
      idp().send(new DeleteUserPoolClientCommand({ UserPoolId: 'us-east-1_nopool123', ClientId: 'abc' })),
      'ResourceNotFoundException',
      message,
    );
    await expectError(
      idp().send(new ListUserPoolClientsCommand({ UserPoolId: 'us-east-1_nopool123' })),
      'ResourceNotFoundException',
      message,
    );
  });
});

describe('ListUserPoolClients', () => {
  let poolId: string;
  const ids: string[] = [];
  beforeAll(async () => {
    poolId = await newPool();
    for (let i = 0; i < 7; i++) ids.push((await create({ UserPoolId: poolId, ClientName: `client-${i}`, GenerateSecret: i % 2 === 0 })).ClientId!);
  });

  it('returns every client on one page by default (MaxResults 60)', async () => {
    const out = await idp().send(new ListUserPoolClientsCommand({ UserPoolId: poolId }));
    expect(out.NextToken).toBeUndefined();
    expect(out.UserPoolClients).toHaveLength(7);
    for (const entry of out.UserPoolClients!) {
      expect(Object.keys(entry).sort()).toEqual(['ClientId', 'ClientName', 'UserPoolId']);
      expect(entry.UserPoolId).toBe(poolId);
      expect(entry.ClientName).toBe(`client-${ids.indexOf(entry.ClientId!)}`);
    }
  });

  it('pages through with MaxResults and an opaque NextToken', async () => {
    const pages: string[][] = [];
    let token: string | undefined;
    do {
      const out = await idp().send(new ListUserPoolClientsCommand({ UserPoolId: poolId, MaxResults: 3, NextToken: token }));
      pages.push(out.UserPoolClients!.map((c) => c.ClientId!));
      token = out.NextToken;
      if (token) expect(token).not.toContain(pages.at(-1)!.at(-1)!);
    } while (token);
    expect(pages.map((page) => page.length)).toEqual([3, 3, 1]);
    expect(pages.flat()).toEqual([...ids].sort());
  });

  it('returns no NextToken when the last page is exactly full', async () => {
    const first = await idp().send(new ListUserPoolClientsCommand({ UserPoolId: poolId, MaxResults: 7 }));
    expect(first.UserPoolClients).toHaveLength(7);
    expect(first.NextToken).toBeUndefined();
  });

  it('rejects a foreign token and MaxResults outside 1-60', async () => {
    await expectError(
      idp().send(new ListUserPoolClientsCommand({ UserPoolId: poolId, NextToken: 'not-a-token' })),
      'InvalidParameterException',
      'Invalid pagination token.',
    );
    await expectError(idp().send(new ListUserPoolClientsCommand({ UserPoolId: poolId, MaxResults: 61 })), 'InvalidParameterException', /maxResults/);
    await expectError(idp().send(new ListUserPoolClientsCommand({ UserPoolId: poolId, MaxResults: 0 })), 'InvalidParameterException', /maxResults/);
  });

  it('lists nothing for a pool without clients', async () => {
    const empty = await newPool();
    const out = await idp().send(new ListUserPoolClientsCommand({ UserPoolId: empty }));
    expect(out.UserPoolClients).toEqual([]);
    expect(out.NextToken).toBeUndefined();
  });
});

describe('lifecycle', () => {
  it('keeps clients and their secrets across a restart', async () => {
    const poolId = await newPool();
    const confidential = await create({
      UserPoolId: poolId,
      GenerateSecret: true,
      ReadAttributes: ['email'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email'],
      CallbackURLs: ['https://app.example.com/cb'],
    });
    const publicClient = await create({ UserPoolId: poolId });
    await server.restart();
    expect(await describeClient(poolId, confidential.ClientId!)).toEqual(confidential);
    expect(await describeClient(poolId, publicClient.ClientId!)).toEqual(publicClient);
  });

  it('deletes a pool together with its clients', async () => {
    const poolId = await newPool();
    const a = await create({ UserPoolId: poolId, GenerateSecret: true });
    const b = await create({ UserPoolId: poolId });
    await idp().send(new DeleteUserPoolCommand({ UserPoolId: poolId }));
    await expectError(describeClient(poolId, a.ClientId!), 'ResourceNotFoundException', `User pool ${poolId} does not exist.`);
    // The rows themselves are gone, not just unreachable through the pool.
    expect(await server.store.clients.get(poolId, a.ClientId!)).toBeUndefined();
    expect(await server.store.clients.get(poolId, b.ClientId!)).toBeUndefined();
    expect((await server.store.clients.list(poolId, { limit: 10 })).items).toEqual([]);
  });
});
