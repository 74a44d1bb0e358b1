import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  ListUsersCommand,
  SignUpCommand,
  type CognitoIdentityProviderClient,
  type ListUsersRequest,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from './support/test-server.js';
import { adminUser, createClient, createPool, expectError, PASSWORD, unique } from './support/cognito.js';
import { lookupKeysOf } from '../src/domain/users/sign-in-names.js';
import type { User } from '../src/domain/users/user.js';

// ListUsers (SDK v3, on the configured engine): Cognito's filter grammar on every searchable
// attribute with both operators, quoting and escaping, Cognito's errors, AttributesToGet, Limit and
// pagination (also while users are being added), the index kept in step with user writes, and the
// `frontdesk:` extension (custom attributes, `and`).

let server: TestServer;
let idp: CognitoIdentityProviderClient;
let poolId: string;
let clientId: string;

const PARSE = { name: 'InvalidParameterException', message: 'Error while parsing filter.' };

interface Person {
  username: string;
  attributes: Record<string, string>;
}

const people: Person[] = [
  {
    username: 'alice',
    attributes: {
      email: 'Alice.Smith@Example.com',
      phone_number: '+15550001001',
      name: 'Alice Smith',
      given_name: 'Alice',
      family_name: 'Smith',
      preferred_username: 'ally',
      'custom:tier': 'gold',
    },
  },
  {
    username: 'albert',
    attributes: {
      email: 'albert@example.org',
      phone_number: '+15550001002',
      name: 'Albert Smithson',
      given_name: 'Albert',
      family_name: 'Smithson',
      'custom:tier': 'silver',
    },
  },
  {
    username: 'bob',
    attributes: { email: 'bob@example.com', phone_number: '+4930111', name: 'Bob O"Brien', given_name: 'Bob', family_name: 'smith', 'custom:tier': 'gold' },
  },
  { username: 'Carol', attributes: { email: 'carol@example.net', name: 'Carol \\ Back', given_name: 'Carol', family_name: 'Jones' } },
];

const list = (input: Omit<ListUsersRequest, 'UserPoolId'> = {}, pool = poolId) => idp.send(new ListUsersCommand({ UserPoolId: pool, ...input }));
const names = (users: UserType[] | undefined) => (users ?? []).map((u) => u.Username!).sort();
const found = async (Filter: string) => names((await list({ Filter })).Users);
const attribute = (user: UserType, name: string) => user.Attributes?.find((a) => a.Name === name)?.Value;

/** Every user of a search, following tokens; checks no user appears twice. */
async function all(input: Omit<ListUsersRequest, 'UserPoolId'>, pool = poolId, between?: (page: number) => Promise<void>): Promise<UserType[]> {
  const out: UserType[] = [];
  let token: string | undefined;
  let page = 0;
  do {
    const response = await list({ ...input, ...(token ? { PaginationToken: token } : {}) }, pool);
    out.push(...(response.Users ?? []));
    token = response.PaginationToken;
    if (between) await between(page++);
  } while (token);
  const usernames = out.map((u) => u.Username);
  expect(new Set(usernames).size).toBe(usernames.length);
  return out;
}

/** Changes a user through the store, as every domain write does (the index must follow). */
async function changeUser(pool: string, username: string, change: (user: User) => User): Promise<void> {
  const userPool = await server.store.userPools.get(pool);
  const current = (await server.store.users.findBy(pool, 'username_key', username))!;
  const next = { ...change(structuredClone(current)), version: current.version + 1, updatedAt: new Date() };
  expect(await server.store.users.update(next, lookupKeysOf(userPool!, next))).toBe('ok');
}

beforeAll(async () => {
  server = await startTestServer();
  idp = server.client();
  poolId = await createPool(idp, {
    Schema: [{ Name: 'tier', AttributeDataType: 'String', Mutable: true }],
    AutoVerifiedAttributes: ['email'],
  });
  ({ clientId } = await createClient(idp, poolId));
  for (const person of people.slice(0, 2)) await adminUser(idp, poolId, person.username, person.attributes);
  for (const person of people.slice(2)) {
    await idp.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: person.username,
        MessageAction: 'SUPPRESS',
        UserAttributes: Object.entries(person.attributes).map(([Name, Value]) => ({ Name, Value })),
      }),
    );
  }
  // dave signs up himself: UNCONFIRMED.
  await idp.send(
    new SignUpCommand({ ClientId: clientId, Username: 'dave', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'dave@example.com' }] }),
  );
  // bob is disabled.
  await changeUser(poolId, 'bob', (user) => ({ ...user, enabled: false }));
});

afterAll(async () => {
  await server?.close();
});

describe('ListUsers filters', () => {
  it('lists every user for an empty or absent filter, in username order', async () => {
    const everyone = (await list()).Users!;
    expect(everyone.map((u) => u.Username)).toEqual(['Carol', 'albert', 'alice', 'bob', 'dave']);
    expect(names((await list({ Filter: '' })).Users)).toEqual(names(everyone));
    const alice = everyone.find((u) => u.Username === 'alice')!;
    expect(alice).toMatchObject({ Enabled: true, UserStatus: 'CONFIRMED' });
    expect(alice.UserCreateDate).toBeInstanceOf(Date);
    expect(alice.UserLastModifiedDate).toBeInstanceOf(Date);
    expect(attribute(alice, 'sub')).toMatch(/^[0-9a-f-]{36}$/);
    expect(attribute(alice, 'email')).toBe('Alice.Smith@Example.com');
    expect(attribute(alice, 'custom:tier')).toBe('gold');
  });

  it('matches username exactly and by prefix, case-sensitively', async () => {
    expect(await found('username = "alice"')).toEqual(['alice']);
    expect(await found('username ^= "al"')).toEqual(['albert', 'alice']);
    expect(await found('username = "ALICE"')).toEqual([]);
    expect(await found('username ^= "c"')).toEqual([]);
    expect(await found('username ^= "C"')).toEqual(['Carol']);
  });

  it('matches email in any case', async () => {
    expect(await found('email = "alice.smith@example.com"')).toEqual(['alice']);
    expect(await found('email = "ALICE.SMITH@EXAMPLE.COM"')).toEqual(['alice']);
    expect(await found('email ^= "AL"')).toEqual(['albert', 'alice']);
    expect(await found('email ^= "alice.smith@example.co"')).toEqual(['alice']);
    expect(await found('email = "alice.smith@example.co"')).toEqual([]);
  });

  it('matches phone_number, name, given_name, family_name and preferred_username case-sensitively', async () => {
    expect(await found('phone_number = "+15550001001"')).toEqual(['alice']);
    expect(await found('phone_number ^= "+1555"')).toEqual(['albert', 'alice']);
    expect(await found('phone_number ^= "+49"')).toEqual(['bob']);
    expect(await found('name = "Alice Smith"')).toEqual(['alice']);
    expect(await found('name ^= "Al"')).toEqual(['albert', 'alice']);
    expect(await found('name ^= "al"')).toEqual([]);
    expect(await found('given_name = "Carol"')).toEqual(['Carol']);
    expect(await found('given_name ^= "B"')).toEqual(['bob']);
    expect(await found('family_name = "Smith"')).toEqual(['alice']);
    expect(await found('family_name ^= "Smith"')).toEqual(['albert', 'alice']);
    expect(await found('family_name ^= "smith"')).toEqual(['bob']);
    expect(await found('preferred_username = "ally"')).toEqual(['alice']);
    expect(await found('preferred_username ^= "a"')).toEqual(['alice']);
  });

  it('matches cognito:user_status in any case, and status (Enabled/Disabled) case-sensitively', async () => {
    expect(await found('cognito:user_status = "CONFIRMED"')).toEqual(['albert', 'alice']);
    expect(await found('cognito:user_status = "force_change_password"')).toEqual(['Carol', 'bob']);
    expect(await found('cognito:user_status = "Unconfirmed"')).toEqual(['dave']);
    expect(await found('cognito:user_status ^= "CON"')).toEqual(['albert', 'alice']);
    expect(await found('status = "Disabled"')).toEqual(['bob']);
    expect(await found('status = "Enabled"')).toEqual(['Carol', 'albert', 'alice', 'dave']);
    expect(await found('status ^= "Dis"')).toEqual(['bob']);
    expect(await found('status = "disabled"')).toEqual([]);
    const bob = (await list({ Filter: 'status = "Disabled"' })).Users![0]!;
    expect(bob).toMatchObject({ Enabled: false, UserStatus: 'FORCE_CHANGE_PASSWORD' });
  });

  it('matches sub exactly and by prefix', async () => {
    const alice = (await list({ Filter: 'username = "alice"' })).Users![0]!;
    const sub = attribute(alice, 'sub')!;
    expect(await found(`sub = "${sub}"`)).toEqual(['alice']);
    expect((await found(`sub ^= "${sub.slice(0, 30)}"`)).includes('alice')).toBe(true);
    expect(await found('sub = "00000000-0000-0000-0000-000000000000"')).toEqual([]);
  });

  it('accepts quoted attribute names, any spacing, and backslash escapes in values', async () => {
    expect(await found('"email"^="alice"')).toEqual(['alice']);
    expect(await found('email="bob@example.com"')).toEqual(['bob']);
    expect(await found('   given_name    =    "Bob"   ')).toEqual(['bob']);
    expect(await found('\tgiven_name\t^=\t"Bo"\n')).toEqual(['bob']);
    expect(await found('name = "Bob O\\"Brien"')).toEqual(['bob']);
    expect(await found('name ^= "Bob O\\""')).toEqual(['bob']);
    expect(await found('name = "Carol \\\\ Back"')).toEqual(['Carol']);
    expect(await found('"given_\\name" = "Bob"')).toEqual(['bob']);
    expect(await found('family_name = ""')).toEqual([]);
    expect(await found('preferred_username ^= ""')).toEqual(['alice']);
  });

  it("answers Cognito's errors for filters it cannot parse", async () => {
    for (const Filter of [
      'username = foo',
      'username=',
      'username',
      '= "x"',
      'email == "x"',
      'email != "x"',
      'email ^ = "x"',
      'email ~= "x"',
      'email = "x" and name = "y"',
      'email = "x" "y"',
      'email = "unterminated',
      'email = "ends in a backslash\\"',
      '"email = "x"',
    ]) {
      await expectError(list({ Filter }), PARSE);
    }
  });

  it('refuses attributes Cognito cannot search', async () => {
    await expectError(list({ Filter: 'custom:tier = "gold"' }), { name: 'InvalidParameterException', message: 'Invalid search attribute: custom:tier' });
    await expectError(list({ Filter: 'Email = "x"' }), { name: 'InvalidParameterException', message: 'Invalid search attribute: Email' });
    await expectError(list({ Filter: 'email_verified = "true"' }), {
      name: 'InvalidParameterException',
      message: 'Invalid search attribute: email_verified',
    });
  });

  it('answers ResourceNotFoundException for an unknown pool', async () => {
    await expectError(list({}, 'us-east-1_doesnotexist'), { name: 'ResourceNotFoundException' });
  });
});

describe('ListUsers AttributesToGet', () => {
  it('returns only the attributes asked for, sub only when asked', async () => {
    const [alice] = (await list({ Filter: 'username = "alice"', AttributesToGet: ['email', 'given_name'] })).Users!;
    expect(alice!.Attributes).toEqual([
      { Name: 'email', Value: 'Alice.Smith@Example.com' },
      { Name: 'given_name', Value: 'Alice' },
    ]);
    const [withSub] = (await list({ Filter: 'username = "alice"', AttributesToGet: ['sub', 'custom:tier'] })).Users!;
    expect(withSub!.Attributes!.map((a) => a.Name)).toEqual(['sub', 'custom:tier']);
    expect(withSub).toMatchObject({ Username: 'alice', Enabled: true, UserStatus: 'CONFIRMED' });
  });

  it('lists users without a value for an attribute without it, and [] as no attributes', async () => {
    const users = (await list({ AttributesToGet: ['preferred_username'] })).Users!;
    expect(users.find((u) => u.Username === 'alice')!.Attributes).toEqual([{ Name: 'preferred_username', Value: 'ally' }]);
    expect(users.find((u) => u.Username === 'bob')!.Attributes).toEqual([]);
    const none = (await list({ Filter: 'username = "alice"', AttributesToGet: [] })).Users!;
    expect(none[0]!.Attributes).toEqual([]);
  });

  it('refuses attributes outside the schema', async () => {
    await expectError(list({ AttributesToGet: ['email', 'custom:nope'] }), {
      name: 'InvalidParameterException',
      message: 'One or more requested attributes do not exist.',
    });
  });
});

describe('ListUsers Limit and pagination', () => {
  let bigPool: string;
  const created: string[] = [];

  beforeAll(async () => {
    bigPool = await createPool(idp);
    for (let batch = 0; batch < 7; batch++) {
      await Promise.all(
        Array.from({ length: 10 }, async (_, i) => {
          const username = `user${String(batch * 10 + i).padStart(2, '0')}`;
          await idp.send(
            new AdminCreateUserCommand({
              UserPoolId: bigPool,
              Username: username,
              MessageAction: 'SUPPRESS',
              UserAttributes: [
                { Name: 'email', Value: `${username}@example.com` },
                { Name: 'family_name', Value: (batch * 10 + i) % 2 === 0 ? 'Even' : 'Odd' },
              ],
            }),
          );
          created.push(username);
        }),
      );
    }
    created.sort();
  });

  it('returns 60 users by default, and at most Limit', async () => {
    const first = await list({}, bigPool);
    expect(first.Users).toHaveLength(60);
    expect(first.PaginationToken).toBeTruthy();
    const rest = await list({ PaginationToken: first.PaginationToken }, bigPool);
    expect(rest.Users).toHaveLength(10);
    expect(rest.PaginationToken).toBeUndefined();
    expect((await list({ Limit: 1 }, bigPool)).Users).toHaveLength(1);
    expect((await list({ Limit: 60 }, bigPool)).Users).toHaveLength(60);
    expect((await list({ Limit: 0 }, bigPool)).Users).toHaveLength(60);
    await expectError(list({ Limit: 61 }, bigPool), { name: 'InvalidParameterException' });
  });

  it('pages through every user exactly once, with and without a filter', async () => {
    expect((await all({ Limit: 7 }, bigPool)).map((u) => u.Username)).toEqual(created);
    const odd = await all({ Limit: 4, Filter: 'family_name = "Odd"' }, bigPool);
    expect(odd).toHaveLength(35);
    expect(odd.every((u) => attribute(u, 'family_name') === 'Odd')).toBe(true);
    const prefix = await all({ Limit: 6, Filter: 'email ^= "user1"' }, bigPool);
    expect(names(prefix)).toEqual(created.filter((n) => n.startsWith('user1')));
    const exactLast = await list({ Limit: 10, Filter: 'email ^= "user0"' }, bigPool);
    expect(exactLast.Users).toHaveLength(10);
    expect(exactLast.PaginationToken).toBeUndefined();
  });

  it('keeps tokens valid while users are added and removed: every original user once', async () => {
    const added: string[] = [];
    const seen = await all({ Limit: 9 }, bigPool, async (page) => {
      // Before and after the cursor: users sorting first ("a…") and last ("z…"), and one removal.
      const early = `a${unique('new')}`;
      const late = `z${unique('new')}`;
      await Promise.all(
        [early, late].map((Username) => idp.send(new AdminCreateUserCommand({ UserPoolId: bigPool, Username, MessageAction: 'SUPPRESS' }))),
      );
      added.push(early, late);
      if (page === 2) await idp.send(new AdminDeleteUserCommand({ UserPoolId: bigPool, Username: 'user69' }));
    });
    const seenNames = seen.map((u) => u.Username!);
    const originals = seenNames.filter((n) => n.startsWith('user'));
    expect(originals).toEqual(created.filter((n) => n !== 'user69'));
    // Users added after the cursor appear; those added before it do not.
    expect(seenNames.filter((n) => n.startsWith('a'))).toEqual([]);
    expect(seenNames.filter((n) => n.startsWith('z')).length).toBeGreaterThan(0);
    expect(seenNames).toEqual([...seenNames].sort());
  });

  it('refuses a token that is not one, or belongs to another search', async () => {
    const invalid = { name: 'InvalidParameterException', message: 'Invalid pagination token.' };
    await expectError(list({ PaginationToken: 'bm90LWEtdG9rZW4' }, bigPool), invalid);
    const { PaginationToken } = await list({ Limit: 2, Filter: 'family_name = "Odd"' }, bigPool);
    await expectError(list({ PaginationToken, Filter: 'family_name = "Even"' }, bigPool), invalid);
    await expectError(list({ PaginationToken, Filter: 'family_name = "Odd"' }, poolId), invalid);
    // A token re-aimed outside its search's range would widen the search: refused.
    const { PaginationToken: prefixToken } = await list({ Limit: 2, Filter: 'email ^= "user1"' }, bigPool);
    const [fingerprint] = JSON.parse(JSON.parse(Buffer.from(prefixToken!, 'base64url').toString('utf8')).k) as [string];
    const aimed = (key: string) => Buffer.from(JSON.stringify({ k: JSON.stringify([fingerprint, key, '0']) })).toString('base64url');
    await expectError(list({ PaginationToken: aimed('a'), Filter: 'email ^= "user1"' }, bigPool), invalid);
    const inside = await list({ PaginationToken: aimed('user15'), Filter: 'email ^= "user1"' }, bigPool);
    expect(names(inside.Users)).toEqual(['user15', 'user16', 'user17', 'user18', 'user19']);
  });
});

describe('ListUsers index follows user writes', () => {
  it('finds users by their new values after an update, and not after deletion', async () => {
    const pool = await createPool(idp);
    await adminUser(idp, pool, 'erin', { email: 'erin@old.example', family_name: 'Old' });
    await changeUser(pool, 'erin', (user) => ({
      ...user,
      status: 'RESET_REQUIRED',
      attributes: { ...user.attributes, email: 'Erin@New.example', given_name: 'Erin' },
    }));
    const byName = async (Filter: string) => names((await list({ Filter }, pool)).Users);
    expect(await byName('email = "erin@old.example"')).toEqual([]);
    expect(await byName('email = "erin@new.example"')).toEqual(['erin']);
    expect(await byName('given_name = "Erin"')).toEqual(['erin']);
    expect(await byName('cognito:user_status = "RESET_REQUIRED"')).toEqual(['erin']);
    expect(await byName('cognito:user_status = "CONFIRMED"')).toEqual([]);
    await changeUser(pool, 'erin', (user) => {
      const { family_name: _removed, ...attributes } = user.attributes;
      return { ...user, attributes };
    });
    expect(await byName('family_name ^= ""')).toEqual([]);
    await idp.send(new AdminDeleteUserCommand({ UserPoolId: pool, Username: 'erin' }));
    expect(await byName('')).toEqual([]);
  });

  it('matches username case-insensitively in a case-insensitive pool', async () => {
    const pool = await createPool(idp, { UsernameConfiguration: { CaseSensitive: false } });
    await adminUser(idp, pool, 'MixedCase');
    const byName = async (Filter: string) => names((await list({ Filter }, pool)).Users);
    expect(await byName('username = "mixedcase"')).toEqual(['MixedCase']);
    expect(await byName('username ^= "MIX"')).toEqual(['MixedCase']);
  });
});

describe('ListUsers frontdesk: extension', () => {
  it('searches custom attributes and combines conditions with and', async () => {
    expect(await found('frontdesk: custom:tier = "gold"')).toEqual(['alice', 'bob']);
    expect(await found('frontdesk: custom:tier = "gold" and email ^= "a"')).toEqual(['alice']);
    expect(await found('frontdesk:custom:tier ^= "s" AND family_name ^= "Smith"')).toEqual(['albert']);
    expect(await found('frontdesk: status = "Enabled" and custom:tier = "gold" and cognito:user_status = "CONFIRMED"')).toEqual(['alice']);
    expect(await found('frontdesk: email ^= "a" and family_name ^= "Smith"')).toEqual(['albert', 'alice']);
    expect(await found('frontdesk: custom:tier = "GOLD"')).toEqual([]);
  });

  it('pages combined searches', async () => {
    const users = await all({ Filter: 'frontdesk: cognito:user_status ^= "" and status = "Enabled"', Limit: 1 });
    expect(names(users)).toEqual(['Carol', 'albert', 'alice', 'dave']);
  });

  it('ends a page early, with a token, when the candidate budget is spent', async () => {
    const query = {
      userPoolId: poolId,
      driver: { attribute: 'username', prefix: true, key: '' },
      also: [{ attribute: 'custom:tier', prefix: false, key: 'gold' }],
      limit: 1,
      budget: { candidates: 2, chunk: 1 },
    };
    // Candidates in username order: Carol, albert, alice, bob, dave; gold: alice, bob.
    const pages: string[][] = [];
    let after: { key: string; userId: string } | undefined;
    do {
      const page = await server.store.users.search({ ...query, ...(after ? { after } : {}) });
      pages.push(page.items.map((i) => i.user.username));
      after = page.next;
    } while (after && pages.length < 10);
    expect(pages).toEqual([[], ['alice'], ['bob'], []]);
  });

  it('keeps its errors: unknown or non-schema attributes, bad syntax, too many conditions', async () => {
    await expectError(list({ Filter: 'frontdesk: custom:nope = "x"' }), { name: 'InvalidParameterException', message: 'Invalid search attribute: custom:nope' });
    await expectError(list({ Filter: 'frontdesk: email_verified = "true"' }), { name: 'InvalidParameterException' });
    await expectError(list({ Filter: 'frontdesk: email = "a" or name = "b"' }), PARSE);
    await expectError(list({ Filter: 'frontdesk: email = "a" and' }), PARSE);
    await expectError(list({ Filter: 'frontdesk:' }), PARSE);
    await expectError(list({ Filter: 'frontdesk: sub ^= "" and sub ^= "" and sub ^= "" and sub ^= "" and sub ^= ""' }), {
      name: 'InvalidParameterException',
      message: 'A filter can combine at most 4 conditions.',
    });
  });
});
