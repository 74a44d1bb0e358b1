import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  CreateGroupCommand,
  GetGroupCommand,
  AdminSetUserMFAPreferenceCommand,
  AssociateSoftwareTokenCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserPoolMfaConfigCommand,
  VerifySoftwareTokenCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from './support/test-server.js';
import { PASSWORD, adminUser, createClient, createPool, expectError, passwordSignIn, unique } from './support/cognito.js';
import { authenticatorCode } from './support/totp.js';
import { adminCall, credentialKind, exportAll, foreignHashes, srpOutcome, srpSignIn, type ForeignHashes } from './support/user-transfer.js';

// The lossless user export and import (FrontdeskAdmin.ExportUsers / ImportUsers,
// docs/user-transfer.md), driven over HTTP against real servers: users moved from one server to
// another keep their sub, attributes, groups and passwords, and sign in with the AWS SDK and
// amazon-cognito-identity-js; foreign hashes sign in with USER_PASSWORD_AUTH and are upgraded.

const ROLE = (name: string) => `arn:aws:iam::123456789012:role/${name}`;
const SCHEMA = [{ Name: 'tier', AttributeDataType: 'String' as const, Mutable: true }];
const INCORRECT = { name: 'NotAuthorizedException', message: 'Incorrect username or password.' };

let source: TestServer;
let target: TestServer;
let src: CognitoIdentityProviderClient;
let dst: CognitoIdentityProviderClient;

beforeAll(async () => {
  [source, target] = await Promise.all([startTestServer(), startTestServer()]);
  src = source.client();
  dst = target.client();
});
afterAll(async () => {
  await Promise.all([source?.close(), target?.close()]);
});

describe('export from one server, import into another', () => {
  let sourcePool: string;
  let targetPool: string;
  let targetClient: string;
  let exported: Awaited<ReturnType<typeof exportAll>>;

  beforeAll(async () => {
    sourcePool = await createPool(src, { Schema: SCHEMA, AliasAttributes: ['email'] });
    await src.send(new CreateGroupCommand({ UserPoolId: sourcePool, GroupName: 'admin', Description: 'Admins', Precedence: 1, RoleArn: ROLE('admin') }));
    await src.send(new CreateGroupCommand({ UserPoolId: sourcePool, GroupName: 'readers', Precedence: 5 }));
    await src.send(new CreateGroupCommand({ UserPoolId: sourcePool, GroupName: 'empty', Description: 'nobody' }));
    await adminUser(src, sourcePool, 'alice', { email: 'alice@example.com', email_verified: 'true', 'custom:tier': 'gold', name: 'Alice' });
    await adminUser(src, sourcePool, 'bob', { email: 'bob@example.com' }, 'Bob-passw0rd!');
    await adminUser(src, sourcePool, 'carol', {}, 'Carol-passw0rd!');
    await adminUser(src, sourcePool, 'dave', {}, 'Dave-passw0rd!');
    for (const [user, group] of [['alice', 'admin'], ['alice', 'readers'], ['bob', 'readers']]) {
      await src.send(new AdminAddUserToGroupCommand({ UserPoolId: sourcePool, Username: user, GroupName: group }));
    }
    await src.send(new AdminDisableUserCommand({ UserPoolId: sourcePool, Username: 'carol' }));

    exported = await exportAll(source, sourcePool, 2);
    targetPool = await createPool(dst, { Schema: SCHEMA, AliasAttributes: ['email'] });
    targetClient = (await createClient(dst, targetPool)).clientId;
    const imported = await adminCall(target, 'ImportUsers', { UserPoolId: targetPool, Users: exported.users, Groups: exported.header.Groups });
    expect(imported.status).toBe(200);
    expect(imported.body).toMatchObject({ Imported: 4, Overwritten: 0, Skipped: 0, Failed: 0 });
  });

  it('exports a header with the format, the pool and its groups, then every user in pages', async () => {
    expect(exported.header).toMatchObject({ Format: 'frontdesk-users', Version: 1, UserPoolId: sourcePool });
    expect(exported.header.Groups).toEqual([
      { GroupName: 'admin', Description: 'Admins', Precedence: 1, RoleArn: ROLE('admin') },
      { GroupName: 'empty', Description: 'nobody' },
      { GroupName: 'readers', Precedence: 5 },
    ]);
    expect(exported.users.map((u) => u.Username)).toEqual(['alice', 'bob', 'carol', 'dave']);
    const alice = exported.users[0];
    expect(alice).toMatchObject({
      UserStatus: 'CONFIRMED',
      Enabled: true,
      Attributes: { email: 'alice@example.com', email_verified: 'true', 'custom:tier': 'gold', name: 'Alice' },
      Groups: ['admin', 'readers'],
      Password: { Type: 'SRP', PoolName: sourcePool.split('_')[1], Salt: expect.stringMatching(/^[0-9a-f]+$/), Verifier: expect.stringMatching(/^[0-9a-f]{500,}$/) },
    });
    expect(alice.Sub).toMatch(/^[0-9a-f-]{36}$/);
    expect(exported.users[2]).toMatchObject({ Username: 'carol', Enabled: false });
  });

  it('keeps subs, attributes, status, dates and groups', async () => {
    for (const record of exported.users) {
      const user = await dst.send(new AdminGetUserCommand({ UserPoolId: targetPool, Username: record.Username }));
      expect(user.UserAttributes).toContainEqual({ Name: 'sub', Value: record.Sub });
      for (const [Name, Value] of Object.entries(record.Attributes)) expect(user.UserAttributes).toContainEqual({ Name, Value });
      expect(user.UserStatus).toBe(record.UserStatus);
      expect(user.Enabled).toBe(record.Enabled);
      expect(user.UserCreateDate!.toISOString()).toBe(record.UserCreateDate);
    }
    const admin = await dst.send(new GetGroupCommand({ UserPoolId: targetPool, GroupName: 'admin' }));
    expect(admin.Group).toMatchObject({ Description: 'Admins', Precedence: 1, RoleArn: ROLE('admin') });
    await expect(dst.send(new GetGroupCommand({ UserPoolId: targetPool, GroupName: 'empty' }))).resolves.toMatchObject({ Group: { Description: 'nobody' } });
  });

  it('signs users in with their old passwords; groups and attributes are in the tokens', async () => {
    const tokens = await passwordSignIn(dst, targetClient, 'alice');
    const id = decodeJwt(tokens.IdToken);
    expect(id).toMatchObject({ 'cognito:username': 'alice', 'cognito:groups': ['admin', 'readers'], 'custom:tier': 'gold', email: 'alice@example.com' });
    expect(id.sub).toBe(exported.users[0].Sub);
    expect(id['cognito:roles']).toEqual([ROLE('admin')]);
    expect(decodeJwt(tokens.AccessToken)['cognito:groups']).toEqual(['admin', 'readers']);
    // Email alias preserved: the verified email signs in too.
    await expect(passwordSignIn(dst, targetClient, 'alice@example.com')).resolves.toBeDefined();
  });

  it('upgrades a verifier made for another pool at the first password sign-in, after which SRP works', async () => {
    expect(await credentialKind(target, targetPool, 'bob')).toBe('imported:srp');
    expect(await srpOutcome(target, targetPool, targetClient, 'bob', 'Bob-passw0rd!')).toBe('NotAuthorizedException: Incorrect username or password.');
    await passwordSignIn(dst, targetClient, 'bob', 'Bob-passw0rd!');
    expect(await credentialKind(target, targetPool, 'bob')).toBe('srp');
    const session = await srpSignIn(target, targetPool, targetClient, 'bob', 'Bob-passw0rd!');
    expect(session.getIdToken().decodePayload()['cognito:groups']).toEqual(['readers']);
  });

  it('keeps a disabled user disabled, and a wrong password fails without upgrading', async () => {
    await expectError(passwordSignIn(dst, targetClient, 'carol', 'Carol-passw0rd!'), { name: 'NotAuthorizedException', message: 'User is disabled.' });
    await expectError(passwordSignIn(dst, targetClient, 'dave', 'Wrong-passw0rd!'), INCORRECT);
    expect(await credentialKind(target, targetPool, 'dave')).toBe('imported:srp');
  });

  it('restores into a pool of the same name with the SRP verifiers usable at once', async () => {
    const { clientId } = await createClient(src, sourcePool);
    const dave = exported.users.find((u) => u.Username === 'dave');
    await src.send(new AdminDeleteUserCommand({ UserPoolId: sourcePool, Username: 'dave' }));
    const restored = await adminCall(source, 'ImportUsers', { UserPoolId: sourcePool, Users: [dave] });
    expect(restored.body.Results).toEqual([{ Index: 0, Username: 'dave', Sub: dave.Sub, Status: 'IMPORTED' }]);
    expect(await credentialKind(source, sourcePool, 'dave')).toBe('srp');
    const session = await srpSignIn(source, sourcePool, clientId, 'dave', 'Dave-passw0rd!');
    expect(session.getIdToken().decodePayload().sub).toBe(dave.Sub);
  });

  it('exports imported credentials as they are, so a second hop loses nothing', async () => {
    const again = await exportAll(target, targetPool);
    const dave = again.users.find((u) => u.Username === 'dave');
    expect(dave.Password).toEqual(exported.users.find((u) => u.Username === 'dave').Password);
  });
});

describe('foreign password hashes', () => {
  let poolId: string;
  let clientId: string;
  let hashes: ForeignHashes;

  beforeAll(async () => {
    poolId = await createPool(dst);
    clientId = (await createClient(dst, poolId)).clientId;
    hashes = await foreignHashes(PASSWORD);
    const users = Object.entries(hashes).map(([name, hash]) => ({ Username: name.toLowerCase(), Password: { Type: 'HASH', Hash: hash } }));
    const result = await adminCall(target, 'ImportUsers', { UserPoolId: poolId, Users: users });
    expect(result.body.Failed).toBe(0);
    expect(result.body.Imported).toBe(users.length);
  });

  it.each(['bcrypt', 'bcrypt2y', 'scrypt', 'argon2id', 'pbkdf2Sha256', 'pbkdf2Sha512', 'djangoPbkdf2'])(
    '%s: refuses SRP and wrong passwords, signs in with USER_PASSWORD_AUTH, then holds an SRP verifier',
    async (name) => {
      const username = name.toLowerCase();
      const scheme = name.startsWith('bcrypt') ? 'bcrypt' : name.includes('bkdf2') ? 'pbkdf2' : name;
      expect(await credentialKind(target, poolId, username)).toBe(`imported:${scheme}`);
      expect(await srpOutcome(target, poolId, clientId, username, PASSWORD)).toBe('NotAuthorizedException: Incorrect username or password.');
      await expectError(passwordSignIn(dst, clientId, username, 'Wrong-h0rse!'), INCORRECT);
      expect(await credentialKind(target, poolId, username)).toBe(`imported:${scheme}`);

      const tokens = await passwordSignIn(dst, clientId, username);
      expect(decodeJwt(tokens.IdToken)['cognito:username']).toBe(username);
      expect(await credentialKind(target, poolId, username)).toBe('srp');
      await expect(srpSignIn(target, poolId, clientId, username, PASSWORD)).resolves.toBeDefined();
      await expectError(passwordSignIn(dst, clientId, username, 'Wrong-h0rse!'), INCORRECT);
    },
  );

  it('works with ADMIN_USER_PASSWORD_AUTH, and upgrades to Argon2id in a pool with SRP off', async () => {
    const srpOff = await createPool(dst);
    await adminCall(target, 'SetUserPoolOptions', { UserPoolId: srpOff, SrpDisabled: true });
    const client = (await createClient(dst, srpOff)).clientId;
    const result = await adminCall(target, 'ImportUsers', { UserPoolId: srpOff, Users: [{ Username: 'legacy', Password: { Type: 'HASH', Hash: hashes.bcrypt } }] });
    expect(result.body.Imported).toBe(1);
    const signIn = (password: string) =>
      dst.send(new AdminInitiateAuthCommand({ UserPoolId: srpOff, ClientId: client, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'legacy', PASSWORD: password } }));
    await expectError(signIn('Wrong-h0rse!'), INCORRECT);
    await expect(signIn(PASSWORD)).resolves.toMatchObject({ AuthenticationResult: { IdToken: expect.any(String) } });
    expect(await credentialKind(target, srpOff, 'legacy')).toBe('argon2id');
    await expect(signIn(PASSWORD)).resolves.toMatchObject({ AuthenticationResult: { IdToken: expect.any(String) } });
  });

  it('keeps a Frontdesk Argon2id hash as the credential of a pool with SRP off', async () => {
    const from = await createPool(dst);
    await adminCall(target, 'SetUserPoolOptions', { UserPoolId: from, SrpDisabled: true });
    await adminUser(dst, from, 'argo');
    const { users } = await exportAll(target, from);
    expect(users[0].Password).toMatchObject({ Type: 'HASH', Hash: expect.stringMatching(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/) });
    const into = await createPool(src);
    await adminCall(source, 'SetUserPoolOptions', { UserPoolId: into, SrpDisabled: true });
    const client = (await createClient(src, into)).clientId;
    expect((await adminCall(source, 'ImportUsers', { UserPoolId: into, Users: users })).body.Imported).toBe(1);
    expect(await credentialKind(source, into, 'argo')).toBe('argon2id');
    await expect(passwordSignIn(src, client, 'argo')).resolves.toBeDefined();
  });
});

describe('round trip', () => {
  it('exports exactly the record it imported, every member included', async () => {
    const poolId = await createPool(dst, { Schema: SCHEMA, AliasAttributes: ['email', 'preferred_username'] });
    const hashes = await foreignHashes(PASSWORD);
    const record = {
      Username: 'roundtrip',
      Sub: crypto.randomUUID(),
      UserStatus: 'CONFIRMED',
      Enabled: false,
      UserCreateDate: '2020-01-02T03:04:05.678Z',
      UserLastModifiedDate: '2021-02-03T04:05:06.789Z',
      Attributes: { email: 'rt@example.com', email_verified: 'true', preferred_username: 'rt', 'custom:tier': 'silver', given_name: 'Ró' },
      PendingAttributes: { email: 'new-rt@example.com' },
      Groups: ['a-group', 'b-group'],
      Password: { Type: 'HASH', Hash: hashes.scrypt, SetDate: '2020-06-07T08:09:10.111Z' },
      Mfa: {
        Preferred: 'SOFTWARE_TOKEN_MFA',
        Enabled: ['SOFTWARE_TOKEN_MFA', 'EMAIL_OTP'],
        SoftwareToken: { Secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', FriendlyName: 'phone', CreationDate: '2020-03-04T05:06:07.000Z' },
        State: { note: 'a member the transfer does not know travels as it is' },
      },
    };
    expect((await adminCall(target, 'ImportUsers', { UserPoolId: poolId, Users: [record] })).body.Imported).toBe(1);
    const { header, users } = await exportAll(target, poolId);
    expect(users).toEqual([record]);
    expect(header.Groups).toEqual([{ GroupName: 'a-group' }, { GroupName: 'b-group' }]);

    // The TOTP secret is sealed at rest, and re-sealed under another server's master key.
    const stored = (await target.store.users.findBy(poolId, 'username_key', 'roundtrip'))!.mfa as { totp: { sealedSecret: string }; enabled: string[]; note: string };
    expect(stored).toMatchObject({ enabled: ['SOFTWARE_TOKEN_MFA', 'EMAIL_OTP'], preferred: 'SOFTWARE_TOKEN_MFA', note: expect.any(String) });
    expect(stored.totp.sealedSecret).toMatch(/^v1:/);
    expect(stored.totp.sealedSecret).not.toContain('JBSWY3DP');
    const elsewhere = await createPool(src, { Schema: SCHEMA, AliasAttributes: ['email', 'preferred_username'] });
    expect((await adminCall(source, 'ImportUsers', { UserPoolId: elsewhere, Users: users })).body.Imported).toBe(1);
    expect((await exportAll(source, elsewhere)).users[0].Mfa).toEqual(record.Mfa);
  });

  it("moves a user's authenticator: after the import the same app's codes sign them in", async () => {
    const mfaPool = (idp: CognitoIdentityProviderClient) =>
      createPool(idp).then(async (poolId) => {
        await idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } }));
        return { poolId, clientId: (await createClient(idp, poolId)).clientId };
      });
    const from = await mfaPool(src);
    await adminUser(src, from.poolId, 'totp-user');
    const { AccessToken } = await passwordSignIn(src, from.clientId, 'totp-user');
    const { SecretCode } = await src.send(new AssociateSoftwareTokenCommand({ AccessToken }));
    await src.send(new VerifySoftwareTokenCommand({ AccessToken, UserCode: authenticatorCode(SecretCode!, source.clock.now()) }));
    await src.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: from.poolId, Username: 'totp-user', SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }));

    const to = await mfaPool(dst);
    const { users } = await exportAll(source, from.poolId);
    expect((await adminCall(target, 'ImportUsers', { UserPoolId: to.poolId, Users: users })).body.Imported).toBe(1);
    const challenge = await dst.send(
      new InitiateAuthCommand({ ClientId: to.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'totp-user', PASSWORD } }),
    );
    expect(challenge.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
    const done = await dst.send(
      new RespondToAuthChallengeCommand({
        ClientId: to.clientId,
        ChallengeName: 'SOFTWARE_TOKEN_MFA',
        Session: challenge.Session,
        // The authenticator app still holds the secret from the first server.
        ChallengeResponses: { USERNAME: 'totp-user', SOFTWARE_TOKEN_MFA_CODE: authenticatorCode(SecretCode!, target.clock.now()) },
      }),
    );
    expect(done.AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it('refuses MFA members it cannot store', async () => {
    const poolId = await createPool(dst);
    const bad = (Mfa: unknown) => ({ Username: unique('m'), Mfa });
    const body = (await adminCall(target, 'ImportUsers', {
      UserPoolId: poolId,
      Users: [bad({ SoftwareToken: { Secret: 'not base32!' } }), bad({ Preferred: 'PIGEON' }), bad({ Backup: 'codes' })],
    })).body;
    expect(body.Results.map((r: any) => r.Message)).toEqual([
      'Mfa.SoftwareToken.Secret must be a TOTP secret in base32 (16 to 128 characters).',
      'Mfa.Preferred must be SMS_MFA, SOFTWARE_TOKEN_MFA or EMAIL_OTP.',
      'Unknown member Mfa.Backup.',
    ]);
  });

  it('keeps a temporary password temporary: NEW_PASSWORD_REQUIRED after the move', async () => {
    const from = await createPool(src);
    await src.send(new AdminCreateUserCommand({ UserPoolId: from, Username: 'newbie', TemporaryPassword: 'Temp-passw0rd!', MessageAction: 'SUPPRESS' }));
    const { users } = await exportAll(source, from);
    expect(users[0]).toMatchObject({ UserStatus: 'FORCE_CHANGE_PASSWORD', Password: { Type: 'SRP', SetDate: expect.any(String) } });
    const into = await createPool(dst);
    const { clientId } = await createClient(dst, into);
    expect((await adminCall(target, 'ImportUsers', { UserPoolId: into, Users: users })).body.Imported).toBe(1);
    const step = await dst.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'newbie', PASSWORD: 'Temp-passw0rd!' } }));
    expect(step.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
  });
});

describe('per-user errors and conflicts', () => {
  let poolId: string;
  let hashes: ForeignHashes;
  const results = async (users: unknown[], extra: Record<string, unknown> = {}) => {
    const response = await adminCall(target, 'ImportUsers', { UserPoolId: poolId, Users: users, ...extra });
    expect(response.status).toBe(200);
    return response.body;
  };

  beforeAll(async () => {
    poolId = await createPool(dst, { UsernameAttributes: ['email'] });
    hashes = await foreignHashes(PASSWORD);
  });

  it('refuses invalid and weak hashes one user at a time, importing the rest of the batch', async () => {
    const user = (n: number, hash: string) => ({ Attributes: { email: `u${n}@example.com` }, Password: { Type: 'HASH', Hash: hash } });
    const body = await results([
      user(0, hashes.bcrypt),
      user(1, '$2b$04$' + hashes.bcrypt.slice(7)),
      user(2, hashes.argon2id.replace('$argon2id$', '$argon2i$')),
      user(3, '$argon2id$v=19$m=4096,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA'),
      user(4, '$pbkdf2-sha256$1000$c29tZXNhbHQ$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA'),
      user(5, '$scrypt$ln=22,r=8,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA'),
      user(6, 'md5:5f4dcc3b5aa765d61d8327deb882cf99'),
      { ...user(7, hashes.bcrypt), Password: { Type: 'SRP', PoolName: 'x', Salt: 'zz', Verifier: '00' } },
      { ...user(8, hashes.bcrypt), Colour: 'blue' },
      { ...user(9, hashes.bcrypt), Attributes: { email: 'not-an-email' } },
      { ...user(10, hashes.bcrypt), Sub: 'not-a-uuid' },
      { ...user(11, hashes.bcrypt), Attributes: { email: 'u11@example.com', 'custom:nope': 'x' } },
      { ...user(12, hashes.bcrypt), UserStatus: 'ARCHIVED' },
      { ...user(13, hashes.bcrypt), Password: { Type: 'SRP', PoolName: 'abc', Salt: '0a1b', Verifier: '0'.repeat(767) + '1' } },
      { ...user(14, hashes.bcrypt), Username: 'u14' },
    ]);
    expect(body).toMatchObject({ Imported: 1, Failed: 14 });
    expect(body.Results[0]).toMatchObject({ Index: 0, Username: body.Results[0].Sub, Status: 'IMPORTED' });
    const failures = body.Results.slice(1).map((r: any) => [r.Status, r.ErrorCode, r.Message]);
    expect(failures).toEqual([
      ['FAILED', 'InvalidPasswordHash', 'bcrypt cost 4 is too weak: the minimum is 8.'],
      ['FAILED', 'InvalidPasswordHash', 'Only Argon2id hashes are accepted (not Argon2i or Argon2d).'],
      ['FAILED', 'InvalidPasswordHash', expect.stringMatching(/^Argon2id parameters m=4096,t=1 are too weak/)],
      ['FAILED', 'InvalidPasswordHash', 'PBKDF2 iterations 1000 are too weak: the minimum is 10000.'],
      ['FAILED', 'InvalidPasswordHash', expect.stringMatching(/^scrypt parameters ln=22,r=8,p=1 are out of range/)],
      ['FAILED', 'InvalidPasswordHash', expect.stringMatching(/^Unsupported password hash/)],
      ['FAILED', 'InvalidPasswordHash', 'Password.Salt must be hex (at most 256 digits).'],
      ['FAILED', 'InvalidParameterException', 'Unknown member Colour.'],
      ['FAILED', 'InvalidParameterException', 'Invalid email address format.'],
      ['FAILED', 'InvalidParameterException', 'Sub must be a UUID.'],
      ['FAILED', 'InvalidParameterException', 'Attributes did not conform to the schema: custom:nope: Attribute does not exist in the schema.'],
      ['FAILED', 'InvalidParameterException', expect.stringMatching(/^UserStatus must be one of/)],
      ['FAILED', 'InvalidPasswordHash', 'Password.Verifier is not a usable SRP verifier.'],
      ['FAILED', 'InvalidParameterException', 'In a pool that signs in with email, Username is the Sub: leave it out and give the email attribute.'],
    ]);
    const listed = await exportAll(target, poolId);
    expect(listed.users.map((u) => u.Attributes.email)).toEqual(['u0@example.com']);
  });

  it('reports conflicts, or skips or overwrites them when asked', async () => {
    const sub = crypto.randomUUID();
    const first = { Username: sub, Sub: sub, Attributes: { email: 'conflict@example.com', name: 'First' }, Password: { Type: 'HASH', Hash: hashes.bcrypt } };
    expect((await results([first])).Imported).toBe(1);

    const again = await results([first]);
    expect(again.Results).toEqual([{ Index: 0, Username: sub, Sub: sub, Status: 'FAILED', ErrorCode: 'UsernameExistsException', Message: 'User already exists' }]);
    expect((await results([first], { OnConflict: 'SKIP' })).Results[0]).toMatchObject({ Status: 'SKIPPED' });

    const changed = { ...first, Attributes: { email: 'conflict@example.com', name: 'Second' } };
    expect((await results([changed], { OnConflict: 'OVERWRITE' })).Results[0]).toMatchObject({ Status: 'OVERWRITTEN', Sub: sub });
    const stored = await dst.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'conflict@example.com' }));
    expect(stored.UserAttributes).toContainEqual({ Name: 'name', Value: 'Second' });

    // Another user with the same email (the pool signs in by email): refused, whatever OnConflict says.
    const other = { Attributes: { email: 'CONFLICT@example.com' }, Password: { Type: 'HASH', Hash: hashes.bcrypt } };
    expect((await results([other], { OnConflict: 'OVERWRITE' })).Results[0]).toMatchObject({
      Status: 'FAILED',
      ErrorCode: 'UsernameExistsException',
      Message: 'An account with the given email already exists.',
    });
  });

  it('refuses duplicates within one batch after the first, and a sub used in another pool', async () => {
    const a = { Attributes: { email: 'dup@example.com' } };
    const body = await results([a, { Attributes: { email: 'Dup@Example.com' } }]);
    expect(body.Results.map((r: any) => r.Status)).toEqual(['IMPORTED', 'FAILED']);
    expect(body.Results[1]).toMatchObject({ ErrorCode: 'AliasExistsException', Message: 'Record 0 of this batch already holds the same email.' });

    const otherPool = await createPool(dst);
    const sub = body.Results[0].Sub;
    const foreign = await adminCall(target, 'ImportUsers', { UserPoolId: otherPool, Users: [{ Username: 'x', Sub: sub }] });
    expect(foreign.body.Results[0]).toMatchObject({ Status: 'FAILED', ErrorCode: 'UsernameExistsException', Message: expect.stringMatching(/another user pool/) });
  });

  it('imports each user exactly once when two imports of the same users race', async () => {
    const users = Array.from({ length: 600 }, (_, i) => ({ Attributes: { email: `race${i}@example.com` }, Password: { Type: 'HASH', Hash: hashes.bcrypt } }));
    // Each request gets its own subs (left out), so only the emails collide: the race is on the unique index.
    const [a, b] = await Promise.all([results(users), results(users)]);
    expect(a.Imported + b.Imported).toBe(600);
    expect(a.Failed + b.Failed).toBe(600);
    for (let i = 0; i < 600; i++) {
      const statuses = [a.Results[i].Status, b.Results[i].Status].sort();
      expect(statuses).toEqual(['FAILED', 'IMPORTED']);
      const failed = a.Results[i].Status === 'FAILED' ? a.Results[i] : b.Results[i];
      expect(failed).toMatchObject({ ErrorCode: 'UsernameExistsException', Message: 'An account with the given email already exists.' });
    }
    const stored = await exportAll(target, poolId);
    expect(stored.users.filter((u) => u.Attributes.email.startsWith('race'))).toHaveLength(600);
  });

  it('answers request-level mistakes with Cognito-shaped errors', async () => {
    const missingPool = await adminCall(target, 'ImportUsers', { UserPoolId: 'us-east-1_nothere00', Users: [{}] });
    expect(missingPool).toMatchObject({ status: 400, body: { __type: 'ResourceNotFoundException' } });
    const empty = await adminCall(target, 'ImportUsers', { UserPoolId: poolId, Users: [] });
    expect(empty).toMatchObject({ status: 400, body: { __type: 'InvalidParameterException' } });
    const badConflict = await adminCall(target, 'ImportUsers', { UserPoolId: poolId, Users: [{}], OnConflict: 'MERGE' });
    expect(badConflict).toMatchObject({ status: 400, body: { __type: 'InvalidParameterException' } });
    const badToken = await adminCall(target, 'ExportUsers', { UserPoolId: poolId, PaginationToken: 'nope' });
    expect(badToken).toMatchObject({ status: 400, body: { __type: 'InvalidParameterException', message: 'Invalid pagination token.' } });
    const unsigned = await fetchUnsigned(target.url);
    expect(unsigned.status).toBe(400);
  });
});

async function fetchUnsigned(url: string) {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'FrontdeskAdmin.ExportUsers' },
    body: JSON.stringify({ UserPoolId: `us-east-1_${unique('x').slice(0, 9)}` }),
  });
}
