import { createHmac } from 'node:crypto';

// An RFC 6238 generator of the tests' own, independent of src/crypto/totp.ts, as an authenticator
// app would compute codes from the SecretCode AssociateSoftwareToken returned.

function base32ToBytes(secret: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of secret.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(char).toString(2).padStart(5, '0');
  const bytes: number[] = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** The 6-digit code of a base32 secret at a time (SHA-1, 30-second steps). */
export function authenticatorCode(secret: string, at: Date, stepOffset = 0): string {
  const counter = Math.floor(at.getTime() / 30_000) + stepOffset;
  const message = Buffer.alloc(8);
  message.writeUInt32BE(Math.floor(counter / 2 ** 32), 0);
  message.writeUInt32BE(counter >>> 0, 4);
  const mac = createHmac('sha1', base32ToBytes(secret)).update(message).digest();
  const offset = mac[19]! & 0xf;
  const value = ((mac[offset]! & 0x7f) << 24) | (mac[offset + 1]! << 16) | (mac[offset + 2]! << 8) | mac[offset + 3]!;
  return String(value % 1_000_000).padStart(6, '0');
}

/** A six-digit code that is not `code` (a wrong answer). */
export const otherCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');
