import type { ChallengeNameType, MFAOptionType } from '@aws-sdk/client-cognito-identity-provider';
import type { User } from '../users/user.js';
import type { UserPool } from '../user-pools/user-pool.js';

/** The second factors Cognito knows by challenge name. */
export type MfaFactor = 'SMS_MFA' | 'SOFTWARE_TOKEN_MFA' | 'EMAIL_OTP';
export const MFA_FACTORS: readonly MfaFactor[] = ['SMS_MFA', 'SOFTWARE_TOKEN_MFA', 'EMAIL_OTP'];

/** A TOTP secret: sealed under the master key; `id` tells secrets apart for the used-step record. */
export interface StoredTotpSecret {
  id: string;
  sealedSecret: string;
  createdAt: number;
}

/**
 * What users.mfa holds for a user (JSON). Preferences are what SetUserMFAPreference and the
 * legacy SetUserSettings wrote; `totp` is the verified authenticator, `pendingTotp` one that
 * AssociateSoftwareToken issued and VerifySoftwareToken has not confirmed yet.
 */
export interface UserMfa {
  enabled?: MfaFactor[];
  preferred?: MfaFactor;
  /** SMS MFA turned on through SetUserSettings' MFAOptions (shown back as MFAOptions). */
  legacySms?: boolean;
  totp?: StoredTotpSecret & { friendlyName?: string };
  pendingTotp?: StoredTotpSecret;
}

export function mfaOf(user: Pick<User, 'mfa'>): UserMfa {
  return (user.mfa && typeof user.mfa === 'object' ? user.mfa : {}) as UserMfa;
}

/** The factors the user turned on, in Cognito's order. */
export function enabledFactors(user: Pick<User, 'mfa'>): MfaFactor[] {
  const mfa = mfaOf(user);
  const enabled = new Set(mfa.enabled ?? []);
  if (mfa.legacySms) enabled.add('SMS_MFA');
  return MFA_FACTORS.filter((factor) => enabled.has(factor));
}

/** Whether the pool has a factor turned on (SetUserPoolMfaConfig / UpdateUserPool). */
export function poolAllows(pool: UserPool, factor: MfaFactor): boolean {
  const mfa = pool.settings.MfaSettings ?? {};
  if (factor === 'SMS_MFA') return mfa.SmsMfaEnabled === true;
  if (factor === 'SOFTWARE_TOKEN_MFA') return mfa.SoftwareTokenMfaEnabled === true;
  return mfa.EmailMfaEnabled === true;
}

/** The MFA members of GetUser / AdminGetUser: UserMFASettingList, PreferredMfaSetting and legacy MFAOptions. */
export function mfaView(user: Pick<User, 'mfa'>): { UserMFASettingList?: string[]; PreferredMfaSetting?: string; MFAOptions?: MFAOptionType[] } {
  const mfa = mfaOf(user);
  const enabled = enabledFactors(user);
  return {
    ...(mfa.legacySms ? { MFAOptions: [{ DeliveryMedium: 'SMS', AttributeName: 'phone_number' }] } : {}),
    ...(mfa.preferred && enabled.includes(mfa.preferred) ? { PreferredMfaSetting: mfa.preferred } : {}),
    ...(enabled.length > 0 ? { UserMFASettingList: enabled } : {}),
  };
}

export const isMfaFactor = (value: string): value is MfaFactor & ChallengeNameType => (MFA_FACTORS as readonly string[]).includes(value);
