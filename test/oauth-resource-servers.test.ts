import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateResourceServerCommand,
  CreateUserPoolDomainCommand,
  DeleteResourceServerCommand,
  DeleteUserPoolCommand,
  DeleteUserPoolDomainCommand,
  DescribeResourceServerCommand,
  DescribeUserPoolCommand,
  DescribeUserPoolDomainCommand,
  ListResourceServersCommand,
  UpdateResourceServerCommand,
  UpdateUserPoolClientCommand,
  UpdateUserPoolDomainCommand,
  paginateListResourceServers,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from './support/test-server.js';
import { createClient, createPool, expectError, unique } from './support/cognito.js';
import { loadConfig } from '../src/config/config.js';

// Resource servers and user pool domains through the AWS SDK v3: the nine operations with Cognito's
// errors, custom scopes checked when clients are set up (ScopeDoesNotExistException), and the
// hosted-UI base domain setting.

let server: TestServer;
let idp: CognitoIdentityProviderClient;

beforeAll(async () => {
  server = await startTestServer();
  idp = server.client();
});
afterAll(async () => {
  await server?.close();
});

const SCOPES = [
  { ScopeName: 'read', ScopeDescription: 'Read things' },
  { ScopeName: 'write', ScopeDescription: 'Write things' },
];

describe('resource servers', () => {
  let poolId: string;
  beforeAll(async () => {
    poolId = await createPool(idp);
  });

  it('creates, describes, updates, lists and deletes', async () => {
    const created = await idp.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'https://api.example.com', Name: 'API', Scopes: SCOPES }));
    expect(created.ResourceServer).toEqual({ UserPoolId: poolId, Identifier: 'https://api.example.com', Name: 'API', Scopes: SCOPES });

    const described = await idp.send(new DescribeResourceServerCommand({ UserPoolId: poolId, Identifier: 'https://api.example.com' }));
    expect(described.ResourceServer).toEqual(created.ResourceServer);

    const updated = await idp.send(
      new UpdateResourceServerCommand({ UserPoolId: poolId, Identifier: 'https://api.example.com', Name: 'API v2', Scopes: [SCOPES[0]!] }),
    );
    expect(updated.ResourceServer).toEqual({ UserPoolId: poolId, Identifier: 'https://api.example.com', Name: 'API v2', Scopes: [SCOPES[0]] });
    // Update replaces the whole server: omitted Scopes leave none.
    const cleared = await idp.send(new UpdateResourceServerCommand({ UserPoolId: poolId, Identifier: 'https://api.example.com', Name: 'API v3' }));
    expect(cleared.ResourceServer!.Scopes).toEqual([]);

    await idp.send(new DeleteResourceServerCommand({ UserPoolId: poolId, Identifier: 'https://api.example.com' }));
    await expectError(idp.send(new DescribeResourceServerCommand({ UserPoolId: poolId, Identifier: 'https://api.example.com' })), {
      name: 'ResourceNotFoundException',
    });
    await expectError(idp.send(new DeleteResourceServerCommand({ UserPoolId: poolId, Identifier: 'https://api.example.com' })), {
      name: 'ResourceNotFoundException',
    });
  });

  it('refuses a duplicate identifier, duplicate scope names, bad names and unknown pools', async () => {
    await idp.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'orders', Name: 'Orders', Scopes: SCOPES }));
    await expectError(idp.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'orders', Name: 'Again' })), {
      name: 'InvalidParameterException',
      message: /already exists/,
    });
    await expectError(
      idp.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'dupes', Name: 'Dupes', Scopes: [SCOPES[0]!, SCOPES[0]!] })),
      { name: 'InvalidParameterException', message: /Duplicate scope/ },
    );
    // A scope name may not contain '/' (the model's pattern), so `<identifier>/<scope>` is unambiguous.
    await expectError(
      idp.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'slash', Name: 'S', Scopes: [{ ScopeName: 'a/b', ScopeDescription: 'x' }] })),
      { name: 'InvalidParameterException', message: /validation error/ },
    );
    await expectError(idp.send(new CreateResourceServerCommand({ UserPoolId: 'us-east-1_nopenope', Identifier: 'x', Name: 'X' })), {
      name: 'ResourceNotFoundException',
    });
  });

  it('pages through ListResourceServers', async () => {
    const pool = await createPool(idp);
    for (const id of ['a', 'b', 'c', 'd', 'e']) {
      await idp.send(new CreateResourceServerCommand({ UserPoolId: pool, Identifier: id, Name: id.toUpperCase() }));
    }
    const first = await idp.send(new ListResourceServersCommand({ UserPoolId: pool, MaxResults: 2 }));
    expect(first.ResourceServers!.map((s) => s.Identifier)).toEqual(['a', 'b']);
    expect(first.NextToken).toBeDefined();
    const all: string[] = [];
    for await (const page of paginateListResourceServers({ client: idp, pageSize: 2 }, { UserPoolId: pool, MaxResults: 2 })) {
      all.push(...page.ResourceServers!.map((s) => s.Identifier!));
    }
    expect(all).toEqual(['a', 'b', 'c', 'd', 'e']);
    await expectError(idp.send(new ListResourceServersCommand({ UserPoolId: pool, MaxResults: 2, NextToken: 'garbage' })), {
      name: 'InvalidParameterException',
    });
  });

  it('allows clients only custom scopes that exist (ScopeDoesNotExistException)', async () => {
    const pool = await createPool(idp);
    const oauth = {
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['client_credentials' as const],
      AllowedOAuthScopes: ['inventory/read'],
      GenerateSecret: true,
    };
    await expectError(createClient(idp, pool, oauth), { name: 'ScopeDoesNotExistException', message: 'Invalid scope requested: inventory/read' });
    await idp.send(new CreateResourceServerCommand({ UserPoolId: pool, Identifier: 'inventory', Name: 'Inventory', Scopes: SCOPES }));
    const { clientId } = await createClient(idp, pool, oauth);
    // Another pool's resource server does not count.
    const other = await createPool(idp);
    await expectError(createClient(idp, other, oauth), { name: 'ScopeDoesNotExistException' });
    // Updates are checked the same way.
    await expectError(
      idp.send(
        new UpdateUserPoolClientCommand({
          UserPoolId: pool,
          ClientId: clientId,
          AllowedOAuthFlowsUserPoolClient: true,
          AllowedOAuthFlows: ['client_credentials'],
          AllowedOAuthScopes: ['inventory/read', 'inventory/delete'],
        }),
      ),
      { name: 'ScopeDoesNotExistException', message: 'Invalid scope requested: inventory/delete' },
    );
  });

  it('goes with its pool', async () => {
    const pool = await createPool(idp);
    await idp.send(new CreateResourceServerCommand({ UserPoolId: pool, Identifier: 'gone', Name: 'Gone' }));
    await idp.send(new DeleteUserPoolCommand({ UserPoolId: pool }));
    await expectError(idp.send(new DescribeResourceServerCommand({ UserPoolId: pool, Identifier: 'gone' })), { name: 'ResourceNotFoundException' });
  });
});

describe('user pool domains', () => {
  it('creates, describes, updates and deletes a prefix domain', async () => {
    const poolId = await createPool(idp);
    const prefix = unique('app').toLowerCase();
    expect(await idp.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: prefix }))).not.toHaveProperty('CloudFrontDomain');
    const { DomainDescription } = await idp.send(new DescribeUserPoolDomainCommand({ Domain: prefix }));
    expect(DomainDescription).toMatchObject({ UserPoolId: poolId, Domain: prefix, Status: 'ACTIVE', AWSAccountId: '000000000000', ManagedLoginVersion: 1 });
    expect(DomainDescription!.Version).toBeDefined();

    const updated = await idp.send(new UpdateUserPoolDomainCommand({ UserPoolId: poolId, Domain: prefix, ManagedLoginVersion: 2 }));
    expect(updated.ManagedLoginVersion).toBe(2);
    const after = (await idp.send(new DescribeUserPoolDomainCommand({ Domain: prefix }))).DomainDescription!;
    expect(after.ManagedLoginVersion).toBe(2);
    expect(after.Version).not.toBe(DomainDescription!.Version);

    await expectError(idp.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: `${prefix}x` })), {
      name: 'InvalidParameterException',
      message: 'User pool already has a domain configured.',
    });
    await idp.send(new DeleteUserPoolDomainCommand({ UserPoolId: poolId, Domain: prefix }));
    expect((await idp.send(new DescribeUserPoolDomainCommand({ Domain: prefix }))).DomainDescription).toEqual({});
    await expectError(idp.send(new DeleteUserPoolDomainCommand({ UserPoolId: poolId, Domain: prefix })), {
      name: 'InvalidParameterException',
    });
  });

  it('keeps domains unique across pools and refuses reserved words and bad names', async () => {
    const a = await createPool(idp);
    const b = await createPool(idp);
    const prefix = unique('shared').toLowerCase();
    await idp.send(new CreateUserPoolDomainCommand({ UserPoolId: a, Domain: prefix }));
    await expectError(idp.send(new CreateUserPoolDomainCommand({ UserPoolId: b, Domain: prefix })), {
      name: 'InvalidParameterException',
      message: 'Domain already associated with another user pool.',
    });
    await expectError(idp.send(new CreateUserPoolDomainCommand({ UserPoolId: b, Domain: 'my-cognito-app' })), {
      name: 'InvalidParameterException',
      message: 'Domain cannot contain reserved word: cognito',
    });
    await expectError(idp.send(new CreateUserPoolDomainCommand({ UserPoolId: b, Domain: 'has.dot' })), { name: 'InvalidParameterException' });
    await expectError(idp.send(new CreateUserPoolDomainCommand({ UserPoolId: b, Domain: 'Upper' })), { name: 'InvalidParameterException' });
    // Another pool cannot delete or update it.
    await expectError(idp.send(new DeleteUserPoolDomainCommand({ UserPoolId: b, Domain: prefix })), { name: 'InvalidParameterException' });
    await expectError(idp.send(new UpdateUserPoolDomainCommand({ UserPoolId: b, Domain: prefix, ManagedLoginVersion: 2 })), {
      name: 'InvalidParameterException',
    });
  });

  it('creates a custom domain next to a prefix domain', async () => {
    const poolId = await createPool(idp);
    const host = `${unique('auth').toLowerCase()}.example.com`;
    const cert = 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';
    await idp.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: unique('pre').toLowerCase() }));
    const created = await idp.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: host, CustomDomainConfig: { CertificateArn: cert } }));
    expect(created.CloudFrontDomain).toBe('127.0.0.1');
    const described = (await idp.send(new DescribeUserPoolDomainCommand({ Domain: host }))).DomainDescription!;
    expect(described).toMatchObject({ UserPoolId: poolId, Domain: host, CustomDomainConfig: { CertificateArn: cert }, Status: 'ACTIVE' });
    const cert2 = cert.replace('5555', '6666');
    await idp.send(new UpdateUserPoolDomainCommand({ UserPoolId: poolId, Domain: host, CustomDomainConfig: { CertificateArn: cert2 } }));
    expect((await idp.send(new DescribeUserPoolDomainCommand({ Domain: host }))).DomainDescription!.CustomDomainConfig).toEqual({ CertificateArn: cert2 });
    await expectError(
      idp.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: `x${host}`, CustomDomainConfig: { CertificateArn: cert } })),
      { name: 'InvalidParameterException', message: 'User pool already has a custom domain configured.' },
    );
    await expectError(
      idp.send(new CreateUserPoolDomainCommand({ UserPoolId: await createPool(idp), Domain: 'localhost', CustomDomainConfig: { CertificateArn: cert } })),
      { name: 'InvalidParameterException' },
    );
    const described2 = (await idp.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool!;
    expect(described2.CustomDomain).toBe(host);
    expect(described2.Domain).toBeDefined();
    await idp.send(new DeleteUserPoolDomainCommand({ UserPoolId: poolId, Domain: host }));
    expect((await idp.send(new DescribeUserPoolDomainCommand({ Domain: host }))).DomainDescription).toEqual({});
    expect((await idp.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool!.CustomDomain).toBeUndefined();
  });

  it('goes with its pool', async () => {
    const poolId = await createPool(idp);
    const prefix = unique('gone').toLowerCase();
    await idp.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: prefix }));
    await idp.send(new DeleteUserPoolCommand({ UserPoolId: poolId }));
    expect((await idp.send(new DescribeUserPoolDomainCommand({ Domain: prefix }))).DomainDescription).toEqual({});
  });
});

describe('the hosted-UI base domain setting', () => {
  it('defaults to auth.localhost and accepts a DNS name', () => {
    expect(loadConfig({}).hostedUiBaseDomain).toBe('auth.localhost');
    expect(loadConfig({ FRONTDESK_HOSTED_UI_BASE_DOMAIN: 'Auth.Example.com' }).hostedUiBaseDomain).toBe('auth.example.com');
    expect(() => loadConfig({ FRONTDESK_HOSTED_UI_BASE_DOMAIN: 'not a domain' })).toThrow(/FRONTDESK_HOSTED_UI_BASE_DOMAIN: must be a DNS name/);
  });
});
