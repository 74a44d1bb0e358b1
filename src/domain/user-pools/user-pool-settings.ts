import type {
  CreateUserPoolRequest,
  UpdateUserPoolRequest,
  PasswordPolicyType,
  VerificationMessageTemplateType,
  LambdaConfigType,
} from '@aws-sdk/client-cognito-identity-provider';
import { InvalidParameterException } from '../../generated/exceptions.js';
import type { UserPoolSettings } from './user-pool.js';

/** The members UpdateUserPool may set; everything else about a pool is fixed at creation. */
export type MutableSettings = Omit<UpdateUserPoolRequest, 'UserPoolId' | 'PoolName'>;

/** Cognito's password policy when a request gives none. */
export const DEFAULT_PASSWORD_POLICY: Required<Omit<PasswordPolicyType, 'PasswordHistorySize'>> = {
  MinimumLength: 8,
  RequireUppercase: true,
  RequireLowercase: true,
  RequireNumbers: true,
  RequireSymbols: true,
  TemporaryPasswordValidityDays: 7,
};

/**
 * Fills Cognito's defaults into the updatable members and checks the rules that span members.
 * Used by CreateUserPool and by UpdateUserPool — which, as in Cognito, resets every member the
 * request leaves out to its default (a known Cognito behaviour that clients such as CDK and
 * Terraform are written against, so it is kept).
 */
export function normalizeMutableSettings(input: MutableSettings): MutableSettings {
  const out: MutableSettings = {};
  out.Policies = {
    PasswordPolicy: input.Policies?.PasswordPolicy
      ? {
          MinimumLength: input.Policies.PasswordPolicy.MinimumLength ?? DEFAULT_PASSWORD_POLICY.MinimumLength,
          RequireUppercase: input.Policies.PasswordPolicy.RequireUppercase ?? false,
          RequireLowercase: input.Policies.PasswordPolicy.RequireLowercase ?? false,
          RequireNumbers: input.Policies.PasswordPolicy.RequireNumbers ?? false,
          RequireSymbols: input.Policies.PasswordPolicy.RequireSymbols ?? false,
          ...(input.Policies.PasswordPolicy.PasswordHistorySize !== undefined
            ? { PasswordHistorySize: input.Policies.PasswordPolicy.PasswordHistorySize }
            : {}),
          TemporaryPasswordValidityDays:
            input.Policies.PasswordPolicy.TemporaryPasswordValidityDays ?? DEFAULT_PASSWORD_POLICY.TemporaryPasswordValidityDays,
        }
      : { ...DEFAULT_PASSWORD_POLICY },
    SignInPolicy: input.Policies?.SignInPolicy ?? { AllowedFirstAuthFactors: ['PASSWORD'] },
  };
  if (!out.Policies.SignInPolicy!.AllowedFirstAuthFactors?.includes('PASSWORD')) {
    throw new InvalidParameterException('AllowedFirstAuthFactors must include PASSWORD.');
  }

  out.DeletionProtection = input.DeletionProtection ?? 'INACTIVE';
  out.LambdaConfig = normalizeLambdaConfig(input.LambdaConfig ?? {});
  out.AutoVerifiedAttributes = dedupe(input.AutoVerifiedAttributes ?? []);
  out.VerificationMessageTemplate = mergeVerificationTemplate(input);
  if (out.VerificationMessageTemplate.EmailMessage !== undefined) out.EmailVerificationMessage = out.VerificationMessageTemplate.EmailMessage;
  if (out.VerificationMessageTemplate.EmailSubject !== undefined) out.EmailVerificationSubject = out.VerificationMessageTemplate.EmailSubject;
  if (out.VerificationMessageTemplate.SmsMessage !== undefined) out.SmsVerificationMessage = out.VerificationMessageTemplate.SmsMessage;
  if (input.SmsAuthenticationMessage !== undefined) out.SmsAuthenticationMessage = input.SmsAuthenticationMessage;

  out.MfaConfiguration = input.MfaConfiguration ?? 'OFF';
  if (input.DeviceConfiguration) out.DeviceConfiguration = { ...input.DeviceConfiguration };
  out.EmailConfiguration = input.EmailConfiguration
    ? { ...input.EmailConfiguration, EmailSendingAccount: input.EmailConfiguration.EmailSendingAccount ?? 'COGNITO_DEFAULT' }
    : { EmailSendingAccount: 'COGNITO_DEFAULT' };
  if (out.EmailConfiguration.EmailSendingAccount === 'DEVELOPER' && !out.EmailConfiguration.SourceArn) {
    throw new InvalidParameterException('SourceArn is required when EmailSendingAccount is DEVELOPER.');
  }
  if (input.SmsConfiguration) out.SmsConfiguration = { ...input.SmsConfiguration };
  if (input.UserPoolTags) out.UserPoolTags = { ...input.UserPoolTags };

  const adminCreate = input.AdminCreateUserConfig ?? {};
  out.AdminCreateUserConfig = {
    AllowAdminCreateUserOnly: adminCreate.AllowAdminCreateUserOnly ?? false,
    UnusedAccountValidityDays: adminCreate.UnusedAccountValidityDays ?? 7,
    ...(adminCreate.InviteMessageTemplate ? { InviteMessageTemplate: checkInviteTemplate(adminCreate.InviteMessageTemplate) } : {}),
  };
  if (input.UserPoolAddOns) out.UserPoolAddOns = { ...input.UserPoolAddOns };
  if (input.AccountRecoverySetting) out.AccountRecoverySetting = checkRecovery(input.AccountRecoverySetting);
  out.UserAttributeUpdateSettings = {
    AttributesRequireVerificationBeforeUpdate: dedupe(input.UserAttributeUpdateSettings?.AttributesRequireVerificationBeforeUpdate ?? []),
  };
  for (const attribute of out.UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate!) {
    if (!out.AutoVerifiedAttributes.includes(attribute)) {
      throw new InvalidParameterException(
        `${attribute} must be in AutoVerifiedAttributes to be in AttributesRequireVerificationBeforeUpdate.`,
      );
    }
  }
  out.UserPoolTier = input.UserPoolTier ?? 'ESSENTIALS';
  return out;
}

/** Create-time members on top of the mutable ones. */
export function checkCreateOnlySettings(input: CreateUserPoolRequest): void {
  if (input.UsernameAttributes?.length && input.AliasAttributes?.length) {
    throw new InvalidParameterException('Only one of the aliasAttributes or usernameAttributes can be set in a User Pool.');
  }
}

/** Rules that need the whole pool, e.g. MFA needs a way to deliver a factor. */
export function checkPoolConsistency(settings: UserPoolSettings): void {
  const mfa = settings.MfaSettings;
  if (settings.MfaConfiguration !== 'OFF') {
    const hasFactor = settings.SmsConfiguration !== undefined || mfa?.SoftwareTokenMfaEnabled || mfa?.EmailMfaEnabled;
    if (!hasFactor) {
      throw new InvalidParameterException(
        'SMS configuration and Auto verification for phone_number are required when MFA is required/optional',
      );
    }
  }
  for (const attribute of settings.AutoVerifiedAttributes ?? []) {
    if (!settings.SchemaAttributes.some((a) => a.Name === attribute)) {
      throw new InvalidParameterException(`${attribute} is not an attribute of this user pool.`);
    }
  }
}

function dedupe<T>(values: T[]): T[] {
  return [...new Set(values)];
}

function mergeVerificationTemplate(input: MutableSettings): VerificationMessageTemplateType {
  const template = input.VerificationMessageTemplate ?? {};
  const merged: VerificationMessageTemplateType = {
    ...template,
    DefaultEmailOption: template.DefaultEmailOption ?? 'CONFIRM_WITH_CODE',
  };
  // The legacy top-level members and the template describe the same messages; the template wins.
  if (merged.EmailMessage === undefined && input.EmailVerificationMessage !== undefined) merged.EmailMessage = input.EmailVerificationMessage;
  if (merged.EmailSubject === undefined && input.EmailVerificationSubject !== undefined) merged.EmailSubject = input.EmailVerificationSubject;
  if (merged.SmsMessage === undefined && input.SmsVerificationMessage !== undefined) merged.SmsMessage = input.SmsVerificationMessage;
  if (merged.EmailMessageByLink !== undefined && !merged.EmailMessageByLink.includes('{##') ) {
    throw new InvalidParameterException('EmailMessageByLink must contain a {##link text##} placeholder.');
  }
  return merged;
}

function normalizeLambdaConfig(config: LambdaConfigType): LambdaConfigType {
  const out: LambdaConfigType = { ...config };
  // PreTokenGeneration (V1 only) and PreTokenGenerationConfig describe one trigger; keep them in step.
  if (out.PreTokenGenerationConfig) {
    if (out.PreTokenGeneration && out.PreTokenGeneration !== out.PreTokenGenerationConfig.LambdaArn) {
      throw new InvalidParameterException('PreTokenGeneration and PreTokenGenerationConfig.LambdaArn must match.');
    }
    out.PreTokenGeneration = out.PreTokenGenerationConfig.LambdaArn;
  } else if (out.PreTokenGeneration) {
    out.PreTokenGenerationConfig = { LambdaArn: out.PreTokenGeneration, LambdaVersion: 'V1_0' };
  }
  // DEVIATION: Frontdesk does not call KMS; the key ARN is required (as in Cognito) and stored, and
  // custom sender triggers receive codes as Frontdesk's trigger transport defines.
  if ((out.CustomEmailSender || out.CustomSMSSender) && !out.KMSKeyID) {
    throw new InvalidParameterException('A KMSKeyID is required when CustomEmailSender or CustomSMSSender is configured.');
  }
  return out;
}

function checkInviteTemplate<T extends { EmailMessage?: string; SMSMessage?: string }>(template: T): T {
  for (const [member, message] of [['EmailMessage', template.EmailMessage], ['SMSMessage', template.SMSMessage]] as const) {
    if (message !== undefined && !(message.includes('{username}') && message.includes('{####}'))) {
      throw new InvalidParameterException(`InviteMessageTemplate.${member} must contain both {username} and {####}.`);
    }
  }
  return { ...template };
}

function checkRecovery<T extends { RecoveryMechanisms?: { Name?: string; Priority?: number }[] }>(setting: T): T {
  const mechanisms = setting.RecoveryMechanisms ?? [];
  const names = new Set(mechanisms.map((m) => m.Name));
  const priorities = new Set(mechanisms.map((m) => m.Priority));
  if (names.size !== mechanisms.length || priorities.size !== mechanisms.length) {
    throw new InvalidParameterException('Recovery mechanisms must have unique names and priorities.');
  }
  if (names.has('admin_only') && mechanisms.length > 1) {
    throw new InvalidParameterException('admin_only cannot be combined with other recovery mechanisms.');
  }
  return { ...setting, RecoveryMechanisms: [...mechanisms].sort((a, b) => (a.Priority ?? 0) - (b.Priority ?? 0)) };
}
