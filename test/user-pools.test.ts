import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AddCustomAttributesCommand,
  CreateUserPoolCommand,
  DeleteUserPoolCommand,
  DescribeUserPoolCommand,
  GetUserPoolMfaConfigCommand,
  ListUserPoolsCommand,
  SetUserPoolMfaConfigCommand,
  UpdateUserPoolCommand,
  paginateListUserPools,
  type CognitoIdentityProviderClient,
  type CreateUserPoolRequest,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from './support/test-server.js';

async function sdkError(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

const SMS = { SnsCallerArn: 'arn:aws:iam::123456789012:role/sms', ExternalId: 'ext-1', SnsRegion: 'us-east-1' };

/** Every member of CreateUserPool set to a non-default value. */
const fullRequest: CreateUserPoolRequest = {
  PoolName: 'everything',
  Policies: {
    PasswordPolicy: {
      MinimumLength: 12,
      RequireUppercase: true,
      RequireLowercase: false,
      RequireNumbers: true,
      RequireSymbols: false,
      PasswordHistorySize: 5,
      TemporaryPasswordValidityDays: 3,
    },
    SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP'] },
  },
  DeletionProtection: 'ACTIVE',
  LambdaConfig: {
    PreSignUp: 'arn:aws:lambda:us-east-1:123456789012:function:pre-sign-up',
    PostConfirmation: 'arn:aws:lambda:us-east-1:123456789012:function:post-confirmation',
    PreTokenGenerationConfig: { LambdaVersion: 'V2_0', LambdaArn: 'arn:aws:lambda:us-east-1:123456789012:function:ptg' },
  },
  AutoVerifiedAttributes: ['email'],
  UsernameAttributes: ['email'],
  VerificationMessageTemplate: {
    DefaultEmailOption: 'CONFIRM_WITH_CODE',
    EmailMessage: 'Your code is {####}',
    EmailSubject: 'Welcome',
    SmsMessage: 'Code: {####}',
  },
  SmsAuthenticationMessage: 'Sign-in code {####}',
  UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
  MfaConfiguration: 'OPTIONAL',
  DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true },
  EmailConfiguration: {
    EmailSendingAccount: 'DEVELOPER',
    SourceArn: 'arn:aws:ses:us-east-1:123456789012:identity/example.com',
    From: 'Example <no-reply@example.com>',
    ReplyToEmailAddress: 'help@example.com',
  },
  SmsConfiguration: SMS,
  UserPoolTags: { team: 'identity', env: 'test' },
  AdminCreateUserConfig: {
    AllowAdminCreateUserOnly: true,
    UnusedAccountValidityDays: 7,
    InviteMessageTemplate: { EmailMessage: 'Hi {username}, use {####}', EmailSubject: 'Invite', SMSMessage: '{username} {####}' },
  },
  Schema: [
    { Name: 'email', AttributeDataType: 'String', Required: true, Mutable: true },
    { Name: 'tenant', AttributeDataType: 'String', Mutable: false, StringAttributeConstraints: { MinLength: '2', MaxLength: '40' } },
    { Name: 'level', AttributeDataType: 'Number', NumberAttributeConstraints: { MinValue: '1', MaxValue: '10' } },
    { Name: 'secret', AttributeDataType: 'String', DeveloperOnlyAttribute: true },
  ],
  UserPoolAddOns: { AdvancedSecurityMode: 'AUDIT' },
  UsernameConfiguration: { CaseSensitive: false },
  AccountRecoverySetting: {
    RecoveryMechanisms: [
      { Name: 'verified_phone_number', Priority: 2 },
      { Name: 'verified_email', Priority: 1 },
    ],
  },
  UserPoolTier: 'PLUS',
};

describe('user pools', () => {
  let server: TestServer;
  let client: CognitoIdentityProviderClient;
  beforeAll(async () => {
    server = await startTestServer();
    client = server.client();
  });
  afterAll(async () => {
    await server?.close();
  });

  it("creates a minimal pool with Cognito's defaults", async () => {
    const before = Date.now();
    const { UserPool: pool } = await client.send(new CreateUserPoolCommand({ PoolName: 'minimal' }));
    expect(pool!.Id).toMatch(/^us-east-1_[0-9A-Za-z]{9}$/);
    expect(pool!.Arn).toBe(`arn:aws:cognito-idp:us-east-1:000000000000:userpool/${pool!.Id}`);
    expect(pool!.Name).toBe('minimal');
    expect(pool!.CreationDate!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(pool!.LastModifiedDate).toEqual(pool!.CreationDate);
    expect(pool!.EstimatedNumberOfUsers).toBe(0);
    expect(pool!.Policies).toEqual({
      PasswordPolicy: {
        MinimumLength: 8,
        RequireUppercase: true,
        RequireLowercase: true,
        RequireNumbers: true,
        RequireSymbols: true,
        TemporaryPasswordValidityDays: 7,
      },
      SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD'] },
    });
    expect(pool!.MfaConfiguration).toBe('OFF');
    expect(pool!.DeletionProtection).toBe('INACTIVE');
    expect(pool!.UserPoolTier).toBe('ESSENTIALS');
    expect(pool!.EmailConfiguration).toEqual({ EmailSendingAccount: 'COGNITO_DEFAULT' });
    expect(pool!.AdminCreateUserConfig).toEqual({ AllowAdminCreateUserOnly: false, UnusedAccountValidityDays: 7 });
    expect(pool!.VerificationMessageTemplate).toEqual({ DefaultEmailOption: 'CONFIRM_WITH_CODE' });
    expect(pool!.UsernameAttributes).toBeUndefined();
    expect(pool!.AliasAttributes).toBeUndefined();
    const names = pool!.SchemaAttributes!.map((a) => a.Name);
    expect(names.slice(0, 3)).toEqual(['sub', 'name', 'given_name']);
    expect(names).toContain('email_verified');
    expect(names).toContain('updated_at');
    expect(pool!.SchemaAttributes!.find((a) => a.Name === 'sub')).toEqual({
      Name: 'sub',
      AttributeDataType: 'String',
      DeveloperOnlyAttribute: false,
      Mutable: false,
      Required: true,
      StringAttributeConstraints: { MinLength: '1', MaxLength: '2048' },
    });
  });

  it('round-trips every member of a fully specified pool', async () => {
    const { UserPool: created } = await client.send(new CreateUserPoolCommand(fullRequest));
    const { UserPool: pool } = await client.send(new DescribeUserPoolCommand({ UserPoolId: created!.Id }));
    expect(pool).toEqual(created);
    expect(pool!.Policies).toEqual(fullRequest.Policies);
    expect(pool!.DeletionProtection).toBe('ACTIVE');
    expect(pool!.LambdaConfig).toEqual({
      ...fullRequest.LambdaConfig,
      // Cognito mirrors the V2 trigger's ARN into the legacy member.
      PreTokenGeneration: 'arn:aws:lambda:us-east-1:123456789012:function:ptg',
    });
    expect(pool!.AutoVerifiedAttributes).toEqual(['email']);
    expect(pool!.UsernameAttributes).toEqual(['email']);
    expect(pool!.VerificationMessageTemplate).toEqual(fullRequest.VerificationMessageTemplate);
    expect(pool!.EmailVerificationMessage).toBe('Your code is {####}');
    expect(pool!.EmailVerificationSubject).toBe('Welcome');
    expect(pool!.SmsVerificationMessage).toBe('Code: {####}');
    expect(pool!.SmsAuthenticationMessage).toBe('Sign-in code {####}');
    expect(pool!.UserAttributeUpdateSettings).toEqual(fullRequest.UserAttributeUpdateSettings);
    expect(pool!.MfaConfiguration).toBe('OPTIONAL');
    expect(pool!.DeviceConfiguration).toEqual(fullRequest.DeviceConfiguration);
    expect(pool!.EmailConfiguration).toEqual(fullRequest.EmailConfiguration);
    expect(pool!.SmsConfiguration).toEqual(SMS);
    expect(pool!.UserPoolTags).toEqual({ team: 'identity', env: 'test' });
    expect(pool!.AdminCreateUserConfig).toEqual(fullRequest.AdminCreateUserConfig);
    expect(pool!.UserPoolAddOns).toEqual({ AdvancedSecurityMode: 'AUDIT' });
    expect(pool!.UsernameConfiguration).toEqual({ CaseSensitive: false });
    expect(pool!.AccountRecoverySetting!.RecoveryMechanisms).toEqual([
      { Name: 'verified_email', Priority: 1 },
      { Name: 'verified_phone_number', Priority: 2 },
    ]);
    expect(pool!.UserPoolTier).toBe('PLUS');
    const schema = Object.fromEntries(pool!.SchemaAttributes!.map((a) => [a.Name, a]));
    expect(schema.email!.Required).toBe(true);
    expect(schema['custom:tenant']).toEqual({
      Name: 'custom:tenant',
      AttributeDataType: 'String',
      DeveloperOnlyAttribute: false,
      Mutable: false,
      Required: false,
      StringAttributeConstraints: { MinLength: '2', MaxLength: '40' },
    });
    expect(schema['custom:level']!.NumberAttributeConstraints).toEqual({ MinValue: '1', MaxValue: '10' });
    expect(schema['dev:custom:secret']!.DeveloperOnlyAttribute).toBe(true);
    // SMS MFA is on because the pool turned MFA on with an SMS configuration.
    const mfa = await client.send(new GetUserPoolMfaConfigCommand({ UserPoolId: pool!.Id }));
    expect(mfa.MfaConfiguration).toBe('OPTIONAL');
    expect(mfa.SmsMfaConfiguration).toEqual({ SmsAuthenticationMessage: 'Sign-in code {####}', SmsConfiguration: SMS });
  });

  it('refuses settings that contradict each other, with InvalidParameterException', async () => {
    const cases: [Partial<CreateUserPoolRequest>, RegExp][] = [
      [{ UsernameAttributes: ['email'], AliasAttributes: ['preferred_username'] }, /Only one of the aliasAttributes or usernameAttributes/],
      [{ Schema: [{ Name: 'tier', AttributeDataType: 'String', Required: true }] }, /Required custom attributes are not supported/],
      [{ Schema: [{ Name: 'x', AttributeDataType: 'String' }, { Name: 'x', AttributeDataType: 'Number' }] }, /Duplicate attribute name/],
      [{ Schema: [{ Name: 'email', AttributeDataType: 'Number' }] }, /cannot be changed/],
      [{ Schema: [{ Name: 'n', AttributeDataType: 'String', StringAttributeConstraints: { MinLength: '9', MaxLength: '3' } }] }, /greater than its MaxLength/],
      [{ MfaConfiguration: 'ON' }, /SMS configuration and Auto verification for phone_number are required/],
      [{ UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['phone_number'] } }, /AutoVerifiedAttributes/],
      [{ AdminCreateUserConfig: { InviteMessageTemplate: { EmailMessage: 'code {####}' } } }, /\{username\} and \{####\}/],
      [{ AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'admin_only', Priority: 1 }, { Name: 'verified_email', Priority: 2 }] } }, /admin_only/],
      [{ LambdaConfig: { CustomEmailSender: { LambdaVersion: 'V1_0', LambdaArn: 'arn:aws:lambda:us-east-1:1:function:f' } } }, /KMSKeyID/],
      [{ EmailConfiguration: { EmailSendingAccount: 'DEVELOPER' } }, /SourceArn/],
    ];
    for (const [extra, message] of cases) {
      const error = await sdkError(client.send(new CreateUserPoolCommand({ PoolName: 'bad', ...extra })));
      expect(error.name, JSON.stringify(extra)).toBe('InvalidParameterException');
      expect(error.$metadata.httpStatusCode).toBe(400);
      expect(error.message).toMatch(message);
    }
  });

  it('answers ResourceNotFoundException for a pool that does not exist', async () => {
    for (const command of [
      new DescribeUserPoolCommand({ UserPoolId: 'us-east-1_doesnotex' }),
      new UpdateUserPoolCommand({ UserPoolId: 'us-east-1_doesnotex' }),
      new DeleteUserPoolCommand({ UserPoolId: 'us-east-1_doesnotex' }),
      new GetUserPoolMfaConfigCommand({ UserPoolId: 'us-east-1_doesnotex' }),
    ]) {
      const error = await sdkError(client.send(command as never));
      expect(error.name).toBe('ResourceNotFoundException');
      expect(error.message).toBe('User pool us-east-1_doesnotex does not exist.');
    }
  });

  it('updates like Cognito: omitted members return to defaults, create-only members stay', async () => {
    const { UserPool: created } = await client.send(
      new CreateUserPoolCommand({
        PoolName: 'to-update',
        UsernameAttributes: ['email'],
        AutoVerifiedAttributes: ['email'],
        Schema: [{ Name: 'plan', AttributeDataType: 'String' }],
        UserPoolTags: { a: '1' },
        Policies: { PasswordPolicy: { MinimumLength: 10 } },
      }),
    );
    await new Promise((r) => setTimeout(r, 20));
    await client.send(
      new UpdateUserPoolCommand({
        UserPoolId: created!.Id,
        PoolName: 'renamed',
        MfaConfiguration: 'OPTIONAL',
        SmsConfiguration: SMS,
        DeletionProtection: 'ACTIVE',
      }),
    );
    const { UserPool: pool } = await client.send(new DescribeUserPoolCommand({ UserPoolId: created!.Id }));
    expect(pool!.Name).toBe('renamed');
    expect(pool!.MfaConfiguration).toBe('OPTIONAL');
    expect(pool!.DeletionProtection).toBe('ACTIVE');
    expect(pool!.Policies!.PasswordPolicy!.MinimumLength).toBe(8);
    expect(pool!.AutoVerifiedAttributes).toEqual([]);
    expect(pool!.UserPoolTags).toBeUndefined();
    expect(pool!.UsernameAttributes).toEqual(['email']);
    expect(pool!.SchemaAttributes!.some((a) => a.Name === 'custom:plan')).toBe(true);
    expect(pool!.CreationDate).toEqual(created!.CreationDate);
    expect(pool!.LastModifiedDate!.getTime()).toBeGreaterThan(created!.LastModifiedDate!.getTime());

    const bad = await sdkError(client.send(new UpdateUserPoolCommand({ UserPoolId: created!.Id, MfaConfiguration: 'ON' })));
    expect(bad.name).toBe('InvalidParameterException');
    const unchanged = await client.send(new DescribeUserPoolCommand({ UserPoolId: created!.Id }));
    expect(unchanged.UserPool!.MfaConfiguration).toBe('OPTIONAL');
  });

  it('honours DeletionProtection and deletes otherwise', async () => {
    const { UserPool: pool } = await client.send(new CreateUserPoolCommand({ PoolName: 'guarded', DeletionProtection: 'ACTIVE' }));
    const refused = await sdkError(client.send(new DeleteUserPoolCommand({ UserPoolId: pool!.Id })));
    expect(refused.name).toBe('InvalidParameterException');
    expect(refused.message).toMatch(/deletion protection is activated/);
    await client.send(new UpdateUserPoolCommand({ UserPoolId: pool!.Id, DeletionProtection: 'INACTIVE' }));
    await client.send(new DeleteUserPoolCommand({ UserPoolId: pool!.Id }));
    const gone = await sdkError(client.send(new DescribeUserPoolCommand({ UserPoolId: pool!.Id })));
    expect(gone.name).toBe('ResourceNotFoundException');
    const again = await sdkError(client.send(new DeleteUserPoolCommand({ UserPoolId: pool!.Id })));
    expect(again.name).toBe('ResourceNotFoundException');
  });

  it('lists pools page by page with the SDK paginator', async () => {
    const other = await startTestServer();
    try {
      const c = other.client();
      const ids = new Set<string>();
      for (let i = 0; i < 7; i++) ids.add((await c.send(new CreateUserPoolCommand({ PoolName: `p${i}` }))).UserPool!.Id!);
      const first = await c.send(new ListUserPoolsCommand({ MaxResults: 3 }));
      expect(first.UserPools).toHaveLength(3);
      expect(first.NextToken).toBeTruthy();
      expect(first.UserPools![0]).toEqual({
        Id: expect.any(String),
        Name: expect.any(String),
        LambdaConfig: {},
        CreationDate: expect.any(Date),
        LastModifiedDate: expect.any(Date),
      });
      const seen: string[] = [];
      for await (const page of paginateListUserPools({ client: c, pageSize: 3 }, { MaxResults: 3 })) {
        seen.push(...page.UserPools!.map((p) => p.Id!));
      }
      expect(seen).toHaveLength(7);
      expect(new Set(seen)).toEqual(ids);
      const last = await c.send(new ListUserPoolsCommand({ MaxResults: 60 }));
      expect(last.NextToken).toBeUndefined();
      const badToken = await sdkError(c.send(new ListUserPoolsCommand({ MaxResults: 3, NextToken: 'garbage!' })));
      expect(badToken.name).toBe('InvalidParameterException');
    } finally {
      await other.close();
    }
  });

  it('adds custom attributes, refusing duplicates and more than 50', async () => {
    const { UserPool: pool } = await client.send(new CreateUserPoolCommand({ PoolName: 'custom' }));
    await client.send(
      new AddCustomAttributesCommand({
        UserPoolId: pool!.Id,
        CustomAttributes: [
          { Name: 'department', AttributeDataType: 'String' },
          { Name: 'joined', AttributeDataType: 'DateTime' },
          { Name: 'admin', AttributeDataType: 'Boolean' },
        ],
      }),
    );
    const { UserPool: after } = await client.send(new DescribeUserPoolCommand({ UserPoolId: pool!.Id }));
    const custom = after!.SchemaAttributes!.filter((a) => a.Name!.startsWith('custom:'));
    expect(custom.map((a) => [a.Name, a.AttributeDataType])).toEqual([
      ['custom:department', 'String'],
      ['custom:joined', 'DateTime'],
      ['custom:admin', 'Boolean'],
    ]);
    const duplicate = await sdkError(
      client.send(new AddCustomAttributesCommand({ UserPoolId: pool!.Id, CustomAttributes: [{ Name: 'department', AttributeDataType: 'String' }] })),
    );
    expect(duplicate.name).toBe('InvalidParameterException');
    expect(duplicate.message).toBe('Existing attribute already has name custom:department.');

    const batch = (from: number) =>
      Array.from({ length: 25 }, (_, i) => ({ Name: `a${from + i}`, AttributeDataType: 'String' as const }));
    await client.send(new AddCustomAttributesCommand({ UserPoolId: pool!.Id, CustomAttributes: batch(0) }));
    const tooMany = await sdkError(client.send(new AddCustomAttributesCommand({ UserPoolId: pool!.Id, CustomAttributes: batch(100) })));
    expect(tooMany.name).toBe('InvalidParameterException');
    expect(tooMany.message).toMatch(/at most 50 custom attributes/);
    const { UserPool: final } = await client.send(new DescribeUserPoolCommand({ UserPoolId: pool!.Id }));
    expect(final!.SchemaAttributes!.filter((a) => a.Name!.startsWith('custom:'))).toHaveLength(28);
  });

  it('loses no attribute when two AddCustomAttributes race', async () => {
    const { UserPool: pool } = await client.send(new CreateUserPoolCommand({ PoolName: 'race' }));
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        client.send(new AddCustomAttributesCommand({ UserPoolId: pool!.Id, CustomAttributes: [{ Name: `r${i}`, AttributeDataType: 'String' }] })),
      ),
    );
    const { UserPool: after } = await client.send(new DescribeUserPoolCommand({ UserPoolId: pool!.Id }));
    expect(after!.SchemaAttributes!.filter((a) => a.Name!.startsWith('custom:r'))).toHaveLength(6);
  });

  it('stores and returns the MFA configuration, consistent with UpdateUserPool', async () => {
    const { UserPool: pool } = await client.send(new CreateUserPoolCommand({ PoolName: 'mfa' }));
    const initial = await client.send(new GetUserPoolMfaConfigCommand({ UserPoolId: pool!.Id }));
    expect(initial.MfaConfiguration).toBe('OFF');
    expect(initial.SoftwareTokenMfaConfiguration).toEqual({ Enabled: false });
    expect(initial.SmsMfaConfiguration).toBeUndefined();

    const refused = await sdkError(client.send(new SetUserPoolMfaConfigCommand({ UserPoolId: pool!.Id, MfaConfiguration: 'ON' })));
    expect(refused.name).toBe('InvalidParameterException');

    const set = await client.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: pool!.Id,
        MfaConfiguration: 'ON',
        SoftwareTokenMfaConfiguration: { Enabled: true },
        SmsMfaConfiguration: { SmsAuthenticationMessage: 'Your code {####}', SmsConfiguration: SMS },
        EmailMfaConfiguration: { Message: 'Code {####}', Subject: 'Sign-in code' },
      }),
    );
    expect(set.MfaConfiguration).toBe('ON');
    expect(set.SoftwareTokenMfaConfiguration).toEqual({ Enabled: true });
    expect(set.SmsMfaConfiguration).toEqual({ SmsAuthenticationMessage: 'Your code {####}', SmsConfiguration: SMS });
    expect(set.EmailMfaConfiguration).toEqual({ Message: 'Code {####}', Subject: 'Sign-in code' });
    expect(await client.send(new GetUserPoolMfaConfigCommand({ UserPoolId: pool!.Id }))).toMatchObject({
      MfaConfiguration: 'ON',
      SoftwareTokenMfaConfiguration: { Enabled: true },
    });
    const described = await client.send(new DescribeUserPoolCommand({ UserPoolId: pool!.Id }));
    expect(described.UserPool!.MfaConfiguration).toBe('ON');
    expect(described.UserPool!.SmsConfiguration).toEqual(SMS);
    expect(described.UserPool!.SmsAuthenticationMessage).toBe('Your code {####}');

    // UpdateUserPool without MfaConfiguration turns MFA off (Cognito's reset-to-default), and
    // the MFA view follows.
    await client.send(new UpdateUserPoolCommand({ UserPoolId: pool!.Id }));
    const afterUpdate = await client.send(new GetUserPoolMfaConfigCommand({ UserPoolId: pool!.Id }));
    expect(afterUpdate.MfaConfiguration).toBe('OFF');
    // TOTP alone is enough to turn MFA back on through UpdateUserPool.
    await client.send(new UpdateUserPoolCommand({ UserPoolId: pool!.Id, MfaConfiguration: 'OPTIONAL' }));
    expect((await client.send(new GetUserPoolMfaConfigCommand({ UserPoolId: pool!.Id }))).MfaConfiguration).toBe('OPTIONAL');

    const lite = await client.send(new CreateUserPoolCommand({ PoolName: 'lite', UserPoolTier: 'LITE' }));
    const tier = await sdkError(
      client.send(new SetUserPoolMfaConfigCommand({ UserPoolId: lite.UserPool!.Id, EmailMfaConfiguration: { Subject: 'x' } })),
    );
    expect(tier.name).toBe('FeatureUnavailableInTierException');
  });

  it('keeps everything across a restart', async () => {
    const { UserPool: pool } = await client.send(new CreateUserPoolCommand(fullRequest));
    await server.restart();
    client = server.client();
    const { UserPool: after } = await client.send(new DescribeUserPoolCommand({ UserPoolId: pool!.Id }));
    expect(after).toEqual(pool);
  });
});
