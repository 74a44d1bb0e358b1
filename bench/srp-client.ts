// The client half of Cognito's SRP for load generation, on the project's OpenSSL-backed group
// arithmetic (the real client libraries do it in pure JS, far too slowly to load a server).
import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { N, bytesToBigInt, g, k, modPow, padBytes, padHex, privateKeyX, scramblingParameter } from '../src/crypto/srp/group.js';
import { formatSrpTimestamp } from '../src/crypto/srp/timestamp.js';

export interface ClientKey {
  a: bigint;
  A: bigint;
  srpA: string;
}

export function newClientKey(): ClientKey {
  const a = bytesToBigInt(randomBytes(32));
  const A = modPow(g, a);
  return { a, A, srpA: A.toString(16) };
}

/** g^x per user: the same for every sign-in of that user, so computed once. */
const verifierCache = new Map<string, bigint>();

/** PASSWORD_CLAIM_SIGNATURE for a PASSWORD_VERIFIER challenge. */
export function passwordClaim(args: {
  key: ClientKey;
  poolShortName: string;
  userIdForSrp: string;
  password: string;
  salt: string;
  srpB: string;
  secretBlock: string;
}): { signature: string; timestamp: string } {
  const B = BigInt(`0x${args.srpB}`);
  const u = scramblingParameter(args.key.A, B);
  const x = privateKeyX(BigInt(`0x${args.salt}`), args.poolShortName, args.userIdForSrp, args.password);
  const cacheKey = `${args.salt}:${args.userIdForSrp}`;
  let gx = verifierCache.get(cacheKey);
  if (gx === undefined) verifierCache.set(cacheKey, (gx = modPow(g, x)));
  const base = (((B - ((k * gx) % N)) % N) + N) % N;
  const S = modPow(base, args.key.a + u * x);
  const key = Buffer.from(hkdfSync('sha256', padBytes(S), padBytes(u), 'Caldera Derived Key', 16));
  const timestamp = formatSrpTimestamp(new Date());
  const signature = createHmac('sha256', key)
    .update(Buffer.from(args.poolShortName, 'utf8'))
    .update(Buffer.from(args.userIdForSrp, 'utf8'))
    .update(Buffer.from(args.secretBlock, 'base64'))
    .update(Buffer.from(timestamp, 'utf8'))
    .digest('base64');
  return { signature, timestamp };
}

export { padHex };
