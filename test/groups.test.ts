import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import {
  AdminAddUserToGroupCommand,
  AdminDeleteUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  CreateGroupCommand,
  DeleteGroupCommand,
  DeleteUserPoolCommand,
  GetGroupCommand,
  InitiateAuthCommand,
  ListGroupsCommand,
  ListUsersInGroupCommand,
  UpdateGroupCommand,
  paginateListGroups,
  type CognitoIdentityProviderClient,
  type GroupType,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Kysely } from 'kysely';
import { startTestServer, type TestServer } from './support/test-server.js';
import { adminUser, createClient, createPool, expectError, passwordSignIn, unique } from './support/cognito.js';
import { openDatabase } from '../src/store/dialect.js';
import type { Database } from '../src/store/schema.js';

// User pool groups through the AWS SDK v3: the nine group operations with Cognito's errors and
// pagination, memberships following deletions of groups and users, and the group claims of tokens
// (cognito:groups, cognito:roles, cognito:preferred_role) verified with jose after membership
// changes, on sign-in and on refresh.

let server: TestServer;
let idp: CognitoIdentityProviderClient;

const GROUP_NOT_FOUND = { name: 'ResourceNotFoundException', message: 'Group not found.' };
const USER_NOT_FOUND = { name: 'UserNotFoundException', message: 'User does not exist.' };
const ROLE = (name: string) => `arn:aws:iam::123456789012:role/${name}`;

beforeAll(async () => {
  server = await startTestServer();
  idp = server.client();
});
afterAll(async () => {
  await server?.close();
});

const create = (poolId: string, name: string, extra: Partial<Omit<GroupType, 'GroupName' | 'UserPoolId'>> = {}) =>
  idp.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: name, ...extra }));
const add = (poolId: string, group: string, username: string) =>
  idp.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, GroupName: group, Username: username }));
const remove = (poolId: string, group: string, username: string) =>
  idp.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: poolId, GroupName: group, Username: username }));
const groupsOf = async (poolId: string, username: string) =>
  (await idp.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: username }))).Groups!.map((g) => g.GroupName);
const membersOf = async (poolId: string, group: string) =>
  (await idp.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: group }))).Users!.map((u) => u.Username).sort();

describe('CreateGroup, GetGroup, UpdateGroup, DeleteGroup', () => {
  let poolId: string;
  beforeAll(async () => {
    poolId = await createPool(idp);
  });

  it('creates a group with every member and reads it back with dates', async () => {
    const before = Date.now();
    const { Group } = await create(poolId, 'editors', { Description: 'They edit', RoleArn: ROLE('editor'), Precedence: 3 });
    expect(Group).toMatchObject({ GroupName: 'editors', UserPoolId: poolId, Description: 'They edit', RoleArn: ROLE('editor'), Precedence: 3 });
    expect(Group!.CreationDate).toBeInstanceOf(Date);
    expect(Group!.CreationDate!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(Group!.LastModifiedDate!.getTime()).toBe(Group!.CreationDate!.getTime());

    const got = await idp.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: 'editors' }));
    expect(got.Group).toEqual(Group);
  });

  it('leaves optional members out when they were not given', async () => {
    const { Group } = await create(poolId, 'bare');
    expect(Object.keys(Group!).sort()).toEqual(['CreationDate', 'GroupName', 'LastModifiedDate', 'UserPoolId']);
  });

  it('refuses a name the pool already has (names are case-sensitive)', async () => {
    await create(poolId, 'dup');
    await expectError(create(poolId, 'dup', { Description: 'again' }), { name: 'GroupExistsException', message: 'A group with the name already exists.' });
    await expect(create(poolId, 'DUP')).resolves.toBeDefined();
    // The same name in another pool is another group.
    const otherPool = await createPool(idp);
    await expect(create(otherPool, 'dup')).resolves.toBeDefined();
  });

  it('validates names, role ARNs and precedence', async () => {
    await expectError(create(poolId, 'has space'), { name: 'InvalidParameterException', message: /groupName/ });
    await expectError(create(poolId, 'x'.repeat(129)), { name: 'InvalidParameterException' });
    await expectError(create(poolId, 'badrole', { RoleArn: 'not-an-arn-at-all-really' }), { name: 'InvalidParameterException', message: /roleArn/ });
    await expectError(create(poolId, 'negative', { Precedence: -1 }), { name: 'InvalidParameterException', message: /precedence/ });
    await expectError(create(poolId, 'huge', { Precedence: 2 ** 31 }), { name: 'InvalidParameterException', message: /precedence/ });
    await expect(create(poolId, 'max', { Precedence: 2 ** 31 - 1 })).resolves.toMatchObject({ Group: { Precedence: 2 ** 31 - 1 } });
    await expect(create(poolId, 'zero', { Precedence: 0 })).resolves.toMatchObject({ Group: { Precedence: 0 } });
  });

  it('answers ResourceNotFoundException for an unknown pool or group', async () => {
    await expectError(create('us-east-1_nopool', 'g'), { name: 'ResourceNotFoundException', message: 'User pool us-east-1_nopool does not exist.' });
    await expectError(idp.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: 'ghost' })), GROUP_NOT_FOUND);
    await expectError(idp.send(new UpdateGroupCommand({ UserPoolId: poolId, GroupName: 'ghost', Description: 'x' })), GROUP_NOT_FOUND);
    await expectError(idp.send(new DeleteGroupCommand({ UserPoolId: poolId, GroupName: 'ghost' })), GROUP_NOT_FOUND);
    await expectError(idp.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'ghost' })), GROUP_NOT_FOUND);
    await expectError(idp.send(new GetGroupCommand({ UserPoolId: 'us-east-1_nopool', GroupName: 'editors' })), {
      name: 'ResourceNotFoundException',
      message: 'User pool us-east-1_nopool does not exist.',
    });
  });

  it('UpdateGroup changes only what the request carries', async () => {
    const { Group: created } = await create(poolId, 'partial', { Description: 'first', RoleArn: ROLE('partial'), Precedence: 7 });
    server.clock.advance(2000);
    try {
      const { Group } = await idp.send(new UpdateGroupCommand({ UserPoolId: poolId, GroupName: 'partial', Description: 'second' }));
      expect(Group).toMatchObject({ GroupName: 'partial', Description: 'second', RoleArn: ROLE('partial'), Precedence: 7 });
      expect(Group!.CreationDate).toEqual(created!.CreationDate);
      expect(Group!.LastModifiedDate!.getTime()).toBeGreaterThan(created!.LastModifiedDate!.getTime());

      const updated = await idp.send(new UpdateGroupCommand({ UserPoolId: poolId, GroupName: 'partial', Precedence: 0, RoleArn: ROLE('other') }));
      expect(updated.Group).toMatchObject({ Description: 'second', RoleArn: ROLE('other'), Precedence: 0 });
      expect((await idp.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: 'partial' }))).Group).toEqual(updated.Group);
    } finally {
      server.clock.advance(-2000);
    }
    await expectError(idp.send(new UpdateGroupCommand({ UserPoolId: poolId, GroupName: 'partial', Precedence: 2 ** 31 })), {
      name: 'InvalidParameterException',
    });
  });

  it('DeleteGroup removes the group', async () => {
    await create(poolId, 'doomed');
    await expect(idp.send(new DeleteGroupCommand({ UserPoolId: poolId, GroupName: 'doomed' }))).resolves.toBeDefined();
    await expectError(idp.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: 'doomed' })), GROUP_NOT_FOUND);
    await expectError(idp.send(new DeleteGroupCommand({ UserPoolId: poolId, GroupName: 'doomed' })), GROUP_NOT_FOUND);
    // The name is free again.
    await expect(create(poolId, 'doomed')).resolves.toBeDefined();
  });
});

describe('ListGroups', () => {
  let poolId: string;
  const names = ['g-a', 'g-b', 'g-c', 'g-d', 'g-e'];
  beforeAll(async () => {
    poolId = await createPool(idp);
    for (const name of [...names].reverse()) await create(poolId, name, { Precedence: names.indexOf(name) });
  });

  it('lists every group in one page by default, without a NextToken', async () => {
    const result = await idp.send(new ListGroupsCommand({ UserPoolId: poolId }));
    expect(result.Groups!.map((g) => g.GroupName)).toEqual(names);
    expect(result.NextToken).toBeUndefined();
    expect(result.Groups![2]).toMatchObject({ UserPoolId: poolId, Precedence: 2 });
    expect(result.Groups![2]!.CreationDate).toBeInstanceOf(Date);
  });

  it('pages with Limit and NextToken, the last page without a token', async () => {
    const first = await idp.send(new ListGroupsCommand({ UserPoolId: poolId, Limit: 2 }));
    expect(first.Groups!.map((g) => g.GroupName)).toEqual(['g-a', 'g-b']);
    expect(first.NextToken).toEqual(expect.any(String));
    const second = await idp.send(new ListGroupsCommand({ UserPoolId: poolId, Limit: 2, NextToken: first.NextToken }));
    expect(second.Groups!.map((g) => g.GroupName)).toEqual(['g-c', 'g-d']);
    const third = await idp.send(new ListGroupsCommand({ UserPoolId: poolId, Limit: 2, NextToken: second.NextToken }));
    expect(third.Groups!.map((g) => g.GroupName)).toEqual(['g-e']);
    expect(third.NextToken).toBeUndefined();

    // A page that ends exactly at the end says so.
    const exact = await idp.send(new ListGroupsCommand({ UserPoolId: poolId, Limit: 5 }));
    expect(exact.Groups).toHaveLength(5);
    expect(exact.NextToken).toBeUndefined();
  });

  it("works with the SDK's paginator", async () => {
    const seen: string[] = [];
    for await (const page of paginateListGroups({ client: idp, pageSize: 2 }, { UserPoolId: poolId })) {
      seen.push(...page.Groups!.map((g) => g.GroupName!));
    }
    expect(seen).toEqual(names);
  });

  it('orders names by code point on every engine', async () => {
    const mixed = await createPool(idp);
    for (const name of ['beta', 'Alpha', 'alpha', '_x', 'Zed', 'éclair']) await create(mixed, name);
    const { Groups } = await idp.send(new ListGroupsCommand({ UserPoolId: mixed }));
    expect(Groups!.map((g) => g.GroupName)).toEqual(['Alpha', 'Zed', '_x', 'alpha', 'beta', 'éclair']);
    const paged: string[] = [];
    for await (const page of paginateListGroups({ client: idp, pageSize: 4 }, { UserPoolId: mixed })) paged.push(...page.Groups!.map((g) => g.GroupName!));
    expect(paged).toEqual(['Alpha', 'Zed', '_x', 'alpha', 'beta', 'éclair']);
  });

  it('lists nothing for a pool without groups, and refuses bad input', async () => {
    const empty = await createPool(idp);
    expect(await idp.send(new ListGroupsCommand({ UserPoolId: empty }))).toMatchObject({ Groups: [] });
    await expectError(idp.send(new ListGroupsCommand({ UserPoolId: poolId, Limit: 61 })), { name: 'InvalidParameterException', message: /limit/ });
    await expectError(idp.send(new ListGroupsCommand({ UserPoolId: poolId, NextToken: 'garbage' })), {
      name: 'InvalidParameterException',
      message: 'Invalid pagination token.',
    });
    await expectError(idp.send(new ListGroupsCommand({ UserPoolId: 'us-east-1_nopool' })), { name: 'ResourceNotFoundException' });
  });
});

describe('the 10,000 groups quota', () => {
  it('refuses the group after the 10,000th with LimitExceededException', async () => {
    const poolId = await createPool(idp);
    // 9,999 groups written straight to the database: through the API this would take minutes.
    const { db } = openDatabase({ databaseUrl: server.database.databaseUrl, sqliteFile: server.database.sqliteFile });
    try {
      const now = Date.now();
      const rows = Array.from({ length: 9_999 }, (_, i) => ({
        user_pool_id: poolId,
        group_name: `bulk-${String(i).padStart(5, '0')}`,
        description: null,
        role_arn: null,
        precedence: null,
        created_at: now,
        updated_at: now,
      }));
      for (let i = 0; i < rows.length; i += 500) await (db as Kysely<Database>).insertInto('groups').values(rows.slice(i, i + 500)).execute();
    } finally {
      await db.destroy();
    }
    await expect(create(poolId, 'the-10000th')).resolves.toBeDefined();
    await expectError(create(poolId, 'one-too-many'), { name: 'LimitExceededException' });
    // Deleting one makes room again.
    await idp.send(new DeleteGroupCommand({ UserPoolId: poolId, GroupName: 'bulk-00000' }));
    await expect(create(poolId, 'one-too-many')).resolves.toBeDefined();
  }, 120_000);
});

describe('memberships', () => {
  let poolId: string;
  beforeAll(async () => {
    poolId = await createPool(idp, { AliasAttributes: ['email'] });
    for (const name of ['alice', 'bob', 'carol']) await adminUser(idp, poolId, name, { email: `${name}@example.com`, email_verified: 'true' });
    await create(poolId, 'staff', { Precedence: 10 });
    await create(poolId, 'admins', { Precedence: 1 });
    await create(poolId, 'readers');
    await create(poolId, 'auditors', { Precedence: 10 });
  });

  it('adds users to groups, idempotently, and lists both ways', async () => {
    await add(poolId, 'staff', 'alice');
    await add(poolId, 'staff', 'alice');
    await add(poolId, 'staff', 'bob');
    await add(poolId, 'admins', 'alice');
    expect(await membersOf(poolId, 'staff')).toEqual(['alice', 'bob']);
    expect(await membersOf(poolId, 'admins')).toEqual(['alice']);
    expect(await membersOf(poolId, 'readers')).toEqual([]);
    expect(await groupsOf(poolId, 'alice')).toEqual(['admins', 'staff']);
    expect(await groupsOf(poolId, 'carol')).toEqual([]);
  });

  it('ListUsersInGroup returns UserType items', async () => {
    const { Users } = await idp.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'admins' }));
    expect(Users).toHaveLength(1);
    expect(Users![0]).toMatchObject({ Username: 'alice', Enabled: true, UserStatus: 'CONFIRMED' });
    expect(Users![0]!.Attributes).toEqual(
      expect.arrayContaining([expect.objectContaining({ Name: 'sub' }), { Name: 'email', Value: 'alice@example.com' }]),
    );
    expect(Users![0]!.UserCreateDate).toBeInstanceOf(Date);
    expect(Users![0]!.UserLastModifiedDate).toBeInstanceOf(Date);
  });

  it('finds the user by an alias', async () => {
    await add(poolId, 'readers', 'carol@example.com');
    expect(await membersOf(poolId, 'readers')).toEqual(['carol']);
    expect(await groupsOf(poolId, 'carol@example.com')).toEqual(['readers']);
    await remove(poolId, 'readers', 'carol@example.com');
    expect(await membersOf(poolId, 'readers')).toEqual([]);
  });

  it('AdminListGroupsForUser orders by precedence (none last), then name, and pages', async () => {
    for (const group of ['readers', 'auditors']) await add(poolId, group, 'bob');
    await add(poolId, 'admins', 'bob');
    expect(await groupsOf(poolId, 'bob')).toEqual(['admins', 'auditors', 'staff', 'readers']);

    const pages: string[][] = [];
    let NextToken: string | undefined;
    do {
      const page = await idp.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: 'bob', Limit: 1, NextToken }));
      pages.push(page.Groups!.map((g) => g.GroupName!));
      NextToken = page.NextToken;
    } while (NextToken);
    expect(pages).toEqual([['admins'], ['auditors'], ['staff'], ['readers']]);

    const three = await idp.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: 'bob', Limit: 3 }));
    expect(three.Groups!.map((g) => g.GroupName)).toEqual(['admins', 'auditors', 'staff']);
    const rest = await idp.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: 'bob', Limit: 3, NextToken: three.NextToken }));
    expect(rest.Groups!.map((g) => g.GroupName)).toEqual(['readers']);
    expect(rest.NextToken).toBeUndefined();
    expect(rest.Groups![0]).toMatchObject({ UserPoolId: poolId, GroupName: 'readers' });

    await expectError(idp.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: 'bob', NextToken: 'garbage' })), {
      name: 'InvalidParameterException',
    });
    for (const group of ['readers', 'auditors', 'admins']) await remove(poolId, group, 'bob');
  });

  it('ListUsersInGroup pages with Limit and NextToken', async () => {
    await create(poolId, 'everyone');
    for (const name of ['alice', 'bob', 'carol']) await add(poolId, 'everyone', name);
    const seen: string[] = [];
    let NextToken: string | undefined;
    let pages = 0;
    do {
      const page = await idp.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'everyone', Limit: 2, NextToken }));
      expect(page.Users!.length).toBeLessThanOrEqual(2);
      seen.push(...page.Users!.map((u) => u.Username!));
      NextToken = page.NextToken;
      pages++;
    } while (NextToken);
    expect(pages).toBe(2);
    expect(seen.sort()).toEqual(['alice', 'bob', 'carol']);
    await expectError(idp.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'everyone', Limit: 61 })), {
      name: 'InvalidParameterException',
    });
    await expectError(idp.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'everyone', NextToken: 'garbage' })), {
      name: 'InvalidParameterException',
    });
  });

  it('removes users; removing a non-member succeeds', async () => {
    await remove(poolId, 'staff', 'bob');
    await remove(poolId, 'staff', 'bob');
    await remove(poolId, 'staff', 'carol');
    expect(await membersOf(poolId, 'staff')).toEqual(['alice']);
  });

  it("answers Cognito's errors for unknown groups and users", async () => {
    await expectError(add(poolId, 'ghost', 'alice'), GROUP_NOT_FOUND);
    await expectError(add(poolId, 'staff', 'nobody'), USER_NOT_FOUND);
    await expectError(remove(poolId, 'ghost', 'alice'), GROUP_NOT_FOUND);
    await expectError(remove(poolId, 'staff', 'nobody'), USER_NOT_FOUND);
    await expectError(idp.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: 'nobody' })), USER_NOT_FOUND);
    await expectError(add('us-east-1_nopool', 'staff', 'alice'), { name: 'ResourceNotFoundException', message: 'User pool us-east-1_nopool does not exist.' });
    // Group names are case-sensitive.
    await expectError(add(poolId, 'STAFF', 'alice'), GROUP_NOT_FOUND);
  });

  it('deleting a group removes its memberships, not its users', async () => {
    await create(poolId, 'temporary');
    await add(poolId, 'temporary', 'alice');
    await add(poolId, 'temporary', 'carol');
    await idp.send(new DeleteGroupCommand({ UserPoolId: poolId, GroupName: 'temporary' }));
    expect(await groupsOf(poolId, 'alice')).not.toContain('temporary');
    expect(await groupsOf(poolId, 'carol')).not.toContain('temporary');
    // A new group of the same name starts empty.
    await create(poolId, 'temporary');
    expect(await membersOf(poolId, 'temporary')).toEqual([]);
  });

  it('deleting a user removes their memberships; a new user of the same name is in no group', async () => {
    await adminUser(idp, poolId, 'dave');
    await add(poolId, 'staff', 'dave');
    await add(poolId, 'admins', 'dave');
    expect(await membersOf(poolId, 'staff')).toContain('dave');
    await idp.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: 'dave' }));
    expect(await membersOf(poolId, 'staff')).not.toContain('dave');
    expect(await membersOf(poolId, 'admins')).not.toContain('dave');
    await adminUser(idp, poolId, 'dave');
    expect(await groupsOf(poolId, 'dave')).toEqual([]);
  });

  it('deleting the pool takes its groups and memberships with it', async () => {
    const doomed = await createPool(idp);
    await adminUser(idp, doomed, 'erin');
    await create(doomed, 'g');
    await add(doomed, 'g', 'erin');
    await idp.send(new DeleteUserPoolCommand({ UserPoolId: doomed }));
    await expectError(idp.send(new GetGroupCommand({ UserPoolId: doomed, GroupName: 'g' })), { name: 'ResourceNotFoundException' });
  });

  it('survives a restart', async () => {
    await server.restart();
    idp = server.client();
    expect(await membersOf(poolId, 'staff')).toEqual(['alice']);
    expect((await idp.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: 'admins' }))).Group).toMatchObject({ Precedence: 1 });
  });
});

describe('group claims in tokens', () => {
  let poolId: string;
  let clientId: string;
  const username = 'tokenuser';

  async function verify(token: string): Promise<JWTPayload> {
    const jwks = createRemoteJWKSet(new URL(`${server.url}/${poolId}/.well-known/jwks.json`));
    const { payload } = await jwtVerify(token, jwks, { issuer: `${server.url}/${poolId}`, algorithms: ['RS256'], currentDate: server.clock.now() });
    return payload;
  }

  async function signIn() {
    const tokens = await passwordSignIn(idp, clientId, username);
    return { id: await verify(tokens.IdToken), access: await verify(tokens.AccessToken), refreshToken: tokens.RefreshToken };
  }

  async function refresh(refreshToken: string) {
    const { AuthenticationResult } = await idp.send(
      new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: refreshToken } }),
    );
    return { id: await verify(AuthenticationResult!.IdToken!), access: await verify(AuthenticationResult!.AccessToken!) };
  }

  beforeAll(async () => {
    poolId = await createPool(idp);
    ({ clientId } = await createClient(idp, poolId));
    await adminUser(idp, poolId, username);
    await create(poolId, 'viewers', { Precedence: 5, RoleArn: ROLE('viewer') });
    await create(poolId, 'owners', { Precedence: 1, RoleArn: ROLE('owner') });
    await create(poolId, 'misc'); // no precedence, no role
    await create(poolId, 'board', { Precedence: 1 }); // ties with owners, no role
  });

  it('leaves every group claim out for a user in no group', async () => {
    const { id, access } = await signIn();
    for (const claim of ['cognito:groups', 'cognito:roles', 'cognito:preferred_role']) {
      expect(id).not.toHaveProperty([claim]);
      expect(access).not.toHaveProperty([claim]);
    }
  });

  it('carries groups in both tokens, roles and the preferred role in the ID token only', async () => {
    for (const group of ['viewers', 'misc', 'owners', 'board']) await add(poolId, group, username);
    const { id, access } = await signIn();
    expect(id['cognito:groups']).toEqual(['board', 'owners', 'viewers', 'misc']);
    expect(access['cognito:groups']).toEqual(['board', 'owners', 'viewers', 'misc']);
    expect(id['cognito:roles']).toEqual([ROLE('owner'), ROLE('viewer')]);
    expect(id['cognito:preferred_role']).toBe(ROLE('owner'));
    expect(access).not.toHaveProperty(['cognito:roles']);
    expect(access).not.toHaveProperty(['cognito:preferred_role']);
  });

  it('shows membership and group changes in the next tokens, refreshed ones included', async () => {
    const session = await signIn();

    // Two groups of the same precedence with different roles: no preferred role.
    await idp.send(new UpdateGroupCommand({ UserPoolId: poolId, GroupName: 'viewers', Precedence: 1 }));
    let next = await refresh(session.refreshToken);
    expect(next.id['cognito:groups']).toEqual(['board', 'owners', 'viewers', 'misc']);
    expect(next.id['cognito:roles']).toEqual([ROLE('owner'), ROLE('viewer')]);
    expect(next.id).not.toHaveProperty(['cognito:preferred_role']);

    // The same role on both: that role is preferred.
    await idp.send(new UpdateGroupCommand({ UserPoolId: poolId, GroupName: 'viewers', RoleArn: ROLE('owner') }));
    next = await refresh(session.refreshToken);
    expect(next.id['cognito:roles']).toEqual([ROLE('owner')]);
    expect(next.id['cognito:preferred_role']).toBe(ROLE('owner'));

    // Removed from owners: viewers' role is the only one of precedence 1.
    await idp.send(new UpdateGroupCommand({ UserPoolId: poolId, GroupName: 'viewers', RoleArn: ROLE('viewer') }));
    await remove(poolId, 'owners', username);
    next = await refresh(session.refreshToken);
    expect(next.id['cognito:groups']).toEqual(['board', 'viewers', 'misc']);
    expect(next.access['cognito:groups']).toEqual(['board', 'viewers', 'misc']);
    expect(next.id['cognito:roles']).toEqual([ROLE('viewer')]);
    expect(next.id['cognito:preferred_role']).toBe(ROLE('viewer'));

    // A deleted group is gone from the next tokens.
    await idp.send(new DeleteGroupCommand({ UserPoolId: poolId, GroupName: 'viewers' }));
    next = await refresh(session.refreshToken);
    expect(next.id['cognito:groups']).toEqual(['board', 'misc']);
    expect(next.id).not.toHaveProperty(['cognito:roles']);
    expect(next.id).not.toHaveProperty(['cognito:preferred_role']);

    // Out of every group: no claims at all, on refresh and on a new sign-in.
    await remove(poolId, 'board', username);
    await remove(poolId, 'misc', username);
    next = await refresh(session.refreshToken);
    expect(next.id).not.toHaveProperty(['cognito:groups']);
    expect(next.access).not.toHaveProperty(['cognito:groups']);
    const fresh = await signIn();
    expect(fresh.id).not.toHaveProperty(['cognito:groups']);

    // And back in: a new sign-in carries it.
    await add(poolId, 'owners', username);
    const again = await signIn();
    expect(again.access['cognito:groups']).toEqual(['owners']);
    expect(again.id['cognito:preferred_role']).toBe(ROLE('owner'));
  });

  it('a role on a lower-ranked group only is still preferred when no higher group has a role', async () => {
    const other = unique('roleless');
    await adminUser(idp, poolId, other);
    await create(poolId, 'top', { Precedence: 0 }); // no role
    await create(poolId, 'bottom', { RoleArn: ROLE('bottom') }); // no precedence
    await add(poolId, 'top', other);
    await add(poolId, 'bottom', other);
    const tokens = await passwordSignIn(idp, clientId, other);
    const id = await verify(tokens.IdToken);
    expect(id['cognito:groups']).toEqual(['top', 'bottom']);
    expect(id['cognito:roles']).toEqual([ROLE('bottom')]);
    expect(id['cognito:preferred_role']).toBe(ROLE('bottom'));
  });
});
