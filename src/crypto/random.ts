import { randomInt } from 'node:crypto';

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const MIXED_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A uniformly random string from a CSPRNG (rejection sampling via randomInt, so no modulo bias). */
export function randomString(length: number, alphabet: string): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/** `<region>_<9 alphanumerics>`, the shape Amplify insists on. */
export const newUserPoolId = (region: string) => `${region}_${randomString(9, MIXED_ALNUM)}`;

/** Cognito's client ids are 26 lowercase alphanumerics. */
export const newClientId = () => randomString(26, LOWER_ALNUM);

/** 51 lowercase alphanumerics ≈ 263 bits, the length of Cognito's client secrets. */
export const newClientSecret = () => randomString(51, LOWER_ALNUM);

/** Admin access key ids look like AWS's (20 upper-case characters) with a recognisable prefix. */
export const newAccessKeyId = () => `FDAK${randomString(16, UPPER_BASE32)}`;

/** 40 characters ≈ 238 bits, the length of AWS secret access keys. */
export const newSecretAccessKey = () => randomString(40, MIXED_ALNUM);
