import { randomUUID } from 'node:crypto';
import type { SecretBox } from '../../../crypto/secret-box.js';
import type { TransferMfa } from './transfer-format.js';
import { ImportRecordError } from './import-record-error.js';
import { TOTP_SECRET_PURPOSE } from '../../mfa/software-tokens.js';
import type { MfaFactor, UserMfa } from '../../mfa/user-mfa.js';

// A user's MFA settings in and out of the transfer format. users.mfa is the MFA capability's JSON
// record (UserMfa in src/domain/mfa/user-mfa.ts: `enabled`, `preferred`, `legacySms`, `totp` with
// its TOTP secret sealed under the master key, `pendingTotp`). The export unseals the
// verified TOTP secret into SoftwareToken.Secret (base32), so the file works on a server with
// another master key; the import seals it again. A set-up that was never verified (`pendingTotp`)
// is not carried: the user starts it again. Members this module does not know travel in `State`.

const TOTP_PURPOSE = TOTP_SECRET_PURPOSE;
const FACTORS = new Set(['SMS_MFA', 'SOFTWARE_TOKEN_MFA', 'EMAIL_OTP']);
const BASE32 = /^[A-Z2-7]{16,128}$/;
const KNOWN = new Set(['enabled', 'preferred', 'legacySms', 'totp', 'pendingTotp']);
const MEMBERS = new Set(['State', 'Preferred', 'Enabled', 'LegacySms', 'SoftwareToken']);

/** users.mfa, with members this module does not know kept as they are. */
type StoredMfa = UserMfa & { [other: string]: unknown };

export function mfaToTransfer(mfa: unknown, secrets: SecretBox): TransferMfa | undefined {
  if (mfa === undefined || mfa === null || typeof mfa !== 'object') return undefined;
  const stored = mfa as StoredMfa;
  const state = Object.fromEntries(Object.entries(stored).filter(([key]) => !KNOWN.has(key)));
  const out: TransferMfa = {
    ...(stored.preferred ? { Preferred: stored.preferred } : {}),
    ...(stored.enabled?.length ? { Enabled: stored.enabled } : {}),
    ...(stored.legacySms ? { LegacySms: true } : {}),
    ...(stored.totp
      ? {
          SoftwareToken: {
            Secret: secrets.open(stored.totp.sealedSecret, TOTP_PURPOSE),
            ...(stored.totp.friendlyName ? { FriendlyName: stored.totp.friendlyName } : {}),
            CreationDate: new Date(stored.totp.createdAt).toISOString(),
          },
        }
      : {}),
    ...(Object.keys(state).length > 0 ? { State: state } : {}),
  };
  return Object.keys(out).length > 0 ? out : undefined;
}

const invalid = (message: string): never => {
  throw new ImportRecordError('InvalidParameterException', message);
};

export function mfaFromTransfer(value: unknown, secrets: SecretBox, now: Date): unknown {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) return invalid('Mfa must be an object.');
  const m = value as Record<string, unknown>;
  for (const member of Object.keys(m)) if (!MEMBERS.has(member)) invalid(`Unknown member Mfa.${member}.`);
  const state = m.State === undefined ? {} : m.State;
  if (typeof state !== 'object' || state === null || Array.isArray(state)) return invalid('Mfa.State must be an object.');
  const enabled = m.Enabled ?? [];
  if (!Array.isArray(enabled) || !enabled.every((f) => typeof f === 'string' && FACTORS.has(f))) {
    invalid('Mfa.Enabled must list SMS_MFA, SOFTWARE_TOKEN_MFA or EMAIL_OTP.');
  }
  if (m.Preferred !== undefined && (typeof m.Preferred !== 'string' || !FACTORS.has(m.Preferred))) {
    invalid('Mfa.Preferred must be SMS_MFA, SOFTWARE_TOKEN_MFA or EMAIL_OTP.');
  }
  if (m.LegacySms !== undefined && typeof m.LegacySms !== 'boolean') invalid('Mfa.LegacySms must be true or false.');
  let totp: StoredMfa['totp'];
  if (m.SoftwareToken !== undefined) {
    const token = m.SoftwareToken as Record<string, unknown> | null;
    const secret = typeof token?.Secret === 'string' ? token.Secret.replace(/=+$/, '').toUpperCase() : undefined;
    if (!secret || !BASE32.test(secret)) return invalid('Mfa.SoftwareToken.Secret must be a TOTP secret in base32 (16 to 128 characters).');
    const created = typeof token?.CreationDate === 'string' ? Date.parse(token.CreationDate) : now.getTime();
    if (Number.isNaN(created)) invalid('Mfa.SoftwareToken.CreationDate must be an ISO 8601 date.');
    if (token?.FriendlyName !== undefined && typeof token.FriendlyName !== 'string') invalid('Mfa.SoftwareToken.FriendlyName must be a string.');
    totp = {
      id: randomUUID(),
      sealedSecret: secrets.seal(secret, TOTP_PURPOSE),
      createdAt: created,
      ...(typeof token?.FriendlyName === 'string' ? { friendlyName: token.FriendlyName } : {}),
    };
  }
  const mfa: StoredMfa = {
    ...(state as Record<string, unknown>),
    ...((enabled as string[]).length > 0 ? { enabled: enabled as MfaFactor[] } : {}),
    ...(m.Preferred !== undefined ? { preferred: m.Preferred as MfaFactor } : {}),
    ...(m.LegacySms ? { legacySms: true } : {}),
    ...(totp ? { totp } : {}),
  };
  return Object.keys(mfa).length > 0 ? mfa : undefined;
}
