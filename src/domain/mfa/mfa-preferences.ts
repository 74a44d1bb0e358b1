import type {
  EmailMfaSettingsType,
  MFAOptionType,
  SMSMfaSettingsType,
  SoftwareTokenMfaSettingsType,
} from '@aws-sdk/client-cognito-identity-provider';
import { InvalidParameterException } from '../../generated/exceptions.js';
import type { User } from '../users/user.js';
import { mfaOf, type MfaFactor, type UserMfa } from './user-mfa.js';

export interface MfaPreferenceInput {
  SMSMfaSettings?: SMSMfaSettingsType;
  SoftwareTokenMfaSettings?: SoftwareTokenMfaSettingsType;
  EmailMfaSettings?: EmailMfaSettingsType;
}

/**
 * SetUserMFAPreference / AdminSetUserMFAPreference: each factor named is turned on or off and
 * perhaps made preferred; factors not named keep their settings. A factor can only be turned on
 * once the user can receive it: a verified authenticator, a phone number, an email address.
 */
export function applyMfaPreference(user: User, input: MfaPreferenceInput): UserMfa {
  const mfa = mfaOf(user);
  const enabled = new Set<MfaFactor>(mfa.enabled ?? []);
  if (mfa.legacySms) enabled.add('SMS_MFA');
  let preferred = mfa.preferred;
  let legacySms = mfa.legacySms;
  const settings: [MfaFactor, { Enabled?: boolean; PreferredMfa?: boolean } | undefined][] = [
    ['SMS_MFA', input.SMSMfaSettings],
    ['SOFTWARE_TOKEN_MFA', input.SoftwareTokenMfaSettings],
    ['EMAIL_OTP', input.EmailMfaSettings],
  ];
  for (const [factor, setting] of settings) {
    if (!setting) continue;
    if (setting.PreferredMfa && setting.Enabled === false) {
      throw new InvalidParameterException(`${factor} cannot be the preferred MFA method while it is disabled.`);
    }
    if (setting.Enabled || setting.PreferredMfa) {
      checkCanReceive(user, mfa, factor);
      enabled.add(factor);
    } else if (setting.Enabled === false) {
      enabled.delete(factor);
      if (factor === 'SMS_MFA') legacySms = undefined;
      if (preferred === factor) preferred = undefined;
    }
    if (setting.PreferredMfa) preferred = factor;
    else if (setting.PreferredMfa === false && preferred === factor) preferred = undefined;
  }
  const next: UserMfa = { ...mfa, enabled: [...enabled] };
  if (preferred) next.preferred = preferred;
  else delete next.preferred;
  if (legacySms) next.legacySms = true;
  else delete next.legacySms;
  return next;
}

/** SetUserSettings / AdminSetUserSettings: the legacy way to turn SMS MFA on (one SMS option) or off (none). */
export function applyLegacyMfaOptions(user: User, options: MFAOptionType[]): UserMfa {
  const mfa = mfaOf(user);
  for (const option of options) {
    if (option.DeliveryMedium !== 'SMS' || (option.AttributeName !== undefined && option.AttributeName !== 'phone_number')) {
      throw new InvalidParameterException('Only SMS delivery to phone_number can be set as an MFA option.');
    }
  }
  const enabled = new Set<MfaFactor>(mfa.enabled ?? []);
  if (options.length > 0) {
    checkCanReceive(user, mfa, 'SMS_MFA');
    return { ...mfa, legacySms: true };
  }
  enabled.delete('SMS_MFA');
  const { legacySms: _off, ...rest } = mfa;
  return { ...rest, enabled: [...enabled], ...(mfa.preferred && mfa.preferred !== 'SMS_MFA' ? { preferred: mfa.preferred } : {}) };
}

function checkCanReceive(user: User, mfa: UserMfa, factor: MfaFactor): void {
  if (factor === 'SOFTWARE_TOKEN_MFA' && !mfa.totp) throw new InvalidParameterException('User has not set up software token mfa');
  if (factor === 'SMS_MFA' && !user.attributes.phone_number) {
    throw new InvalidParameterException('User does not have delivery config set to turn on SMS_MFA');
  }
  if (factor === 'EMAIL_OTP' && !user.attributes.email) {
    throw new InvalidParameterException('User does not have delivery config set to turn on EMAIL_OTP');
  }
}
