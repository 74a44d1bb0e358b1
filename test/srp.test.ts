import { getDiffieHellman, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  checkSrpTimestamp,
  createDecoyVerifier,
  createDeviceVerifier,
  createPasswordVerifier,
  formatSrpTimestamp,
  isAcceptableSrpA,
  isValidSrpTimestamp,
  newSecretBlock,
  parseDeviceSecretVerifierConfig,
  passwordMatchesVerifier,
  srpPoolName,
  startSrpChallenge,
  verifyDevicePasswordClaim,
  verifyPasswordClaim,
  type SrpChallenge,
} from '../src/crypto/srp/index.js';
import { N, N_BYTES, g, k, modPow, padBytes, padHex, parseHex, scramblingParameter } from '../src/crypto/srp/group.js';

// ---------------------------------------------------------------------------------------------
// The real client code: amazon-cognito-identity-js (CommonJS build) and Amplify v6's SRP helpers.
// ---------------------------------------------------------------------------------------------

interface JsbnBigInteger {
  toString(radix: number): string;
}
type NodeCallback<T> = (err: unknown, value: T) => void;
interface IdentityJsHelper {
  k: JsbnBigInteger;
  padHex(value: JsbnBigInteger): string;
  getLargeAValue(cb: NodeCallback<JsbnBigInteger>): void;
  getPasswordAuthenticationKey(
    username: string,
    password: string,
    B: JsbnBigInteger,
    salt: JsbnBigInteger,
    cb: NodeCallback<Uint8Array>,
  ): void;
  generateHashDevice(deviceGroupKey: string, deviceKey: string, cb: NodeCallback<null>): void;
  getSaltDevices(): string;
  getVerifierDevices(): string;
  getRandomPassword(): string;
}

const require = createRequire(import.meta.url);
const identityJsMain = require.resolve('amazon-cognito-identity-js');
const { AuthenticationHelper, DateHelper } = require('amazon-cognito-identity-js') as {
  AuthenticationHelper: new (poolName: string) => IdentityJsHelper;
  DateHelper: new () => { getNowString(): string };
};
const JsbnBigInteger = (require(join(dirname(identityJsMain), 'BigInteger.js')) as { default: new (s: string, radix: number) => JsbnBigInteger }).default;
// The HMAC that CognitoUser uses (`new Sha256(hkdf)`), from the client's own dependency.
const { Sha256 } = createRequire(identityJsMain)('@aws-crypto/sha256-js') as {
  Sha256: new (secret?: Uint8Array) => { update(data: Uint8Array): void; digestSync(): Uint8Array };
};

interface AmplifyHelper {
  A: JsbnBigInteger;
  getPasswordAuthenticationKey(args: { username: string; password: string; serverBValue: JsbnBigInteger; salt: JsbnBigInteger }): Promise<Uint8Array>;
  generateHashDevice(deviceGroupKey: string, deviceKey: string): Promise<void>;
  getSaltToHashDevices(): string;
  getVerifierDevices(): string;
  getRandomPassword(): string;
}
interface AmplifySrp {
  getAuthenticationHelper(poolName: string): Promise<AmplifyHelper>;
  getNowString(): string;
  getBytesFromHex(hex: string): Uint8Array;
  getSignatureString(args: {
    userPoolName: string;
    username: string;
    challengeParameters: Record<string, string>;
    dateNow: string;
    hkdf: Uint8Array;
  }): string;
}
let amplify: AmplifySrp;
let AmplifyBigInteger: new (s: string, radix: number) => JsbnBigInteger;

beforeAll(async () => {
  // Amplify's SRP helpers are internal (not in the package's exports map): import them by path.
  const srpDir = join(dirname(require.resolve('@aws-amplify/auth')), '../esm/providers/cognito/utils/srp');
  amplify = (await import(pathToFileURL(join(srpDir, 'index.mjs')).href)) as AmplifySrp;
  AmplifyBigInteger = ((await import(pathToFileURL(join(srpDir, 'BigInteger/index.mjs')).href)) as { BigInteger: typeof AmplifyBigInteger }).BigInteger;
});

afterEach(() => {
  vi.useRealTimers();
});

/** The challenge parameters a server sends with PASSWORD_VERIFIER / DEVICE_PASSWORD_VERIFIER. */
interface ChallengeParameters {
  SRP_B: string;
  SALT: string;
  SECRET_BLOCK: string;
  USER_ID_FOR_SRP: string;
}
interface ClientAnswer {
  TIMESTAMP: string;
  PASSWORD_CLAIM_SIGNATURE: string;
}
interface SrpClient {
  srpA: string;
  answer(params: ChallengeParameters): Promise<ClientAnswer>;
}

const promisify = <T>(run: (cb: NodeCallback<T>) => void) =>
  new Promise<T>((resolve, reject) => run((err, value) => (err ? reject(err) : resolve(value))));

/**
 * amazon-cognito-identity-js, as CognitoUser.authenticateUserDefaultAuth (realm = pool name,
 * identity = USER_ID_FOR_SRP) or getDeviceResponse (realm = DeviceGroupKey, identity = DeviceKey).
 */
async function identityJsClient(realm: string, identity: string, secret: string): Promise<SrpClient> {
  const helper = new AuthenticationHelper(realm);
  const A = await promisify<JsbnBigInteger>((cb) => helper.getLargeAValue(cb));
  return {
    srpA: A.toString(16),
    async answer(params) {
      const hkdf = await promisify<Uint8Array>((cb) =>
        helper.getPasswordAuthenticationKey(identity, secret, new JsbnBigInteger(params.SRP_B, 16), new JsbnBigInteger(params.SALT, 16), cb),
      );
      const dateNow = new DateHelper().getNowString();
      const hmac = new Sha256(hkdf);
      hmac.update(
        Buffer.concat([
          Buffer.from(realm, 'utf8'),
          Buffer.from(identity, 'utf8'),
          Buffer.from(params.SECRET_BLOCK, 'base64'),
          Buffer.from(dateNow, 'utf8'),
        ]),
      );
      return { TIMESTAMP: dateNow, PASSWORD_CLAIM_SIGNATURE: Buffer.from(hmac.digestSync()).toString('base64') };
    },
  };
}

/** Amplify v6, as handlePasswordVerifierChallenge / handleDevicePasswordVerifier. */
async function amplifyClient(realm: string, identity: string, secret: string): Promise<SrpClient> {
  const helper = await amplify.getAuthenticationHelper(realm);
  return {
    srpA: helper.A.toString(16),
    async answer(params) {
      const hkdf = await helper.getPasswordAuthenticationKey({
        username: identity,
        password: secret,
        serverBValue: new AmplifyBigInteger(params.SRP_B, 16),
        salt: new AmplifyBigInteger(params.SALT, 16),
      });
      const dateNow = amplify.getNowString();
      const signature = amplify.getSignatureString({
        userPoolName: realm,
        username: identity,
        challengeParameters: { ...params },
        dateNow,
        hkdf,
      });
      return { TIMESTAMP: dateNow, PASSWORD_CLAIM_SIGNATURE: signature };
    },
  };
}

const clients = [
  ['amazon-cognito-identity-js', identityJsClient],
  ['Amplify v6', amplifyClient],
] as const;

const POOL_ID = 'eu-west-1_Fr0ntDe5k';
const POOL = srpPoolName(POOL_ID);

/** One PASSWORD_VERIFIER round as the auth-flow service would run it. */
async function passwordRound(
  makeClient: typeof identityJsClient,
  opts: { user: string; password: string; clientPassword?: string; challenge?: SrpChallenge },
) {
  const stored = createPasswordVerifier(POOL, opts.user, opts.password);
  const client = await makeClient(POOL, opts.user, opts.clientPassword ?? opts.password);
  const challenge = opts.challenge ?? startSrpChallenge(stored.verifier);
  const secretBlock = newSecretBlock();
  const answer = await client.answer({ SRP_B: challenge.srpB, SALT: stored.salt, SECRET_BLOCK: secretBlock, USER_ID_FOR_SRP: opts.user });
  const claim = {
    poolShortName: POOL,
    userIdForSrp: opts.user,
    srpA: client.srpA,
    serverSecret: challenge.serverSecret,
    srpB: challenge.srpB,
    verifier: stored.verifier,
    secretBlock,
    timestamp: answer.TIMESTAMP,
    signature: answer.PASSWORD_CLAIM_SIGNATURE,
    now: new Date(),
  };
  return { stored, client, challenge, secretBlock, answer, claim };
}

// ---------------------------------------------------------------------------------------------

describe('SRP group arithmetic', () => {
  it('N is RFC 3526 modp15 and k matches the client', () => {
    expect(Buffer.from(N.toString(16), 'hex').equals(getDiffieHellman('modp15').getPrime())).toBe(true);
    expect(N_BYTES).toBe(384);
    expect(k.toString(16)).toBe(new AuthenticationHelper(POOL).k.toString(16));
  });

  it('padHex matches the client encoding, including MSB and odd-length cases', () => {
    const helper = new AuthenticationHelper(POOL);
    for (const hex of ['0', '1', 'f', '7f', '80', 'ff', '100', '8000', '0abc', 'deadbeef', N.toString(16), (N - 1n).toString(16)]) {
      expect(padHex(BigInt(`0x${hex}`))).toBe(helper.padHex(new JsbnBigInteger(hex, 16)).toLowerCase());
    }
    expect(padHex(0x80n)).toBe('0080');
    expect(padHex(0x7fn)).toBe('7f');
    expect(padBytes(N).length).toBe(385);
  });

  it('modPow in OpenSSL agrees with plain BigInt arithmetic', () => {
    const reference = (base: bigint, exp: bigint) => {
      let result = 1n;
      let b = base % N;
      for (let e = exp; e > 0n; e >>= 1n) {
        if (e & 1n) result = (result * b) % N;
        b = (b * b) % N;
      }
      return result;
    };
    for (let i = 0; i < 4; i++) {
      const exp = BigInt(`0x${randomBytes(32).toString('hex')}`);
      const base = BigInt(`0x${randomBytes(N_BYTES).toString('hex')}`) % N;
      expect(modPow(g, exp)).toBe(reference(g, exp));
      expect(modPow(base, exp)).toBe(reference(base, exp));
    }
    expect(modPow(3n, 1n)).toBe(3n);
    expect(() => modPow(1n, 5n)).toThrow(RangeError);
    expect(() => modPow(N - 1n, 5n)).toThrow(RangeError);
  });

  it('srpPoolName is the part of the pool id after the underscore', () => {
    expect(srpPoolName('us-east-1_AbC123xyz')).toBe('AbC123xyz');
    expect(() => srpPoolName('nounderscore')).toThrow();
  });
});

describe('password verifiers', () => {
  it('stores a 128-bit salt and a verifier in padHex form', () => {
    const { salt, verifier } = createPasswordVerifier(POOL, 'alice', 'Correct-Horse-1');
    expect(salt).toMatch(/^[0-9a-f]+$/);
    expect(salt.length).toBeLessThanOrEqual(34);
    expect(padHex(BigInt(`0x${salt}`))).toBe(salt);
    expect(padHex(BigInt(`0x${verifier}`))).toBe(verifier);
    expect(createPasswordVerifier(POOL, 'alice', 'Correct-Horse-1').salt).not.toBe(salt);
  });

  it('passwordMatchesVerifier accepts the password and nothing else', () => {
    const password = 'pässwörd ✓ 🔑';
    const { salt, verifier } = createPasswordVerifier(POOL, 'bob', password);
    expect(passwordMatchesVerifier(POOL, 'bob', password, salt, verifier)).toBe(true);
    expect(passwordMatchesVerifier(POOL, 'bob', 'pässwörd ✓ 🔐', salt, verifier)).toBe(false);
    expect(passwordMatchesVerifier(POOL, 'bob2', password, salt, verifier)).toBe(false);
    expect(passwordMatchesVerifier('OtherPool', 'bob', password, salt, verifier)).toBe(false);
    expect(passwordMatchesVerifier(POOL, 'bob', password, `${salt}00`, verifier)).toBe(false);
    expect(passwordMatchesVerifier(POOL, 'bob', password, salt, 'not hex')).toBe(false);
  });

  it('hashes padHex(salt), so a stored salt with leading zeros means the same salt', () => {
    const { salt, verifier } = createPasswordVerifier(POOL, 'carol', 'pw');
    expect(passwordMatchesVerifier(POOL, 'carol', 'pw', `0000${salt}`, verifier)).toBe(true);
  });

  it('decoy verifiers are stable per name, differ between names and keys, and start challenges', () => {
    const key = randomBytes(32);
    const a = createDecoyVerifier(key, POOL, 'ghost');
    expect(createDecoyVerifier(key, POOL, 'ghost')).toEqual(a);
    expect(createDecoyVerifier(key, POOL, 'ghost2').salt).not.toBe(a.salt);
    expect(createDecoyVerifier(randomBytes(32), POOL, 'ghost').verifier).not.toBe(a.verifier);
    expect(startSrpChallenge(a.verifier).srpB).toMatch(/^[0-9a-f]+$/);
  });
});

describe('SRP challenge', () => {
  it('B is k·v + g^b mod N with a 256-bit b', () => {
    const { verifier } = createPasswordVerifier(POOL, 'dave', 'pw');
    const { serverSecret, srpB } = startSrpChallenge(verifier);
    const b = BigInt(`0x${serverSecret}`);
    expect(b > 0n && b < 1n << 256n).toBe(true);
    expect(BigInt(`0x${srpB}`)).toBe((k * BigInt(`0x${verifier}`) + modPow(g, b)) % N);
    expect(startSrpChallenge(verifier).serverSecret).not.toBe(serverSecret);
  });

  it('refuses a malformed stored verifier loudly', () => {
    expect(() => startSrpChallenge('zz')).toThrow(TypeError);
    expect(() => startSrpChallenge('1')).toThrow(TypeError);
    expect(() => startSrpChallenge(N.toString(16))).toThrow(TypeError);
  });

  it('SECRET_BLOCK is 256 random bits in base64', () => {
    const block = newSecretBlock();
    expect(Buffer.from(block, 'base64')).toHaveLength(32);
    expect(newSecretBlock()).not.toBe(block);
  });

  it('refuses degenerate SRP_A values', () => {
    for (const A of [0n, 1n, N - 1n, N, N + 1n, 2n * N]) expect(isAcceptableSrpA(A.toString(16))).toBe(false);
    for (const bad of ['', 'xyz', '-5', ' 12', '1'.repeat(771)]) expect(isAcceptableSrpA(bad)).toBe(false);
    expect(isAcceptableSrpA('2')).toBe(true);
    expect(isAcceptableSrpA(`00${(N - 2n).toString(16)}`)).toBe(true);
  });
});

describe.each(clients)('interop with %s: USER_SRP_AUTH → PASSWORD_VERIFIER', (_name, makeClient) => {
  it('accepts the real client proof for the right password', async () => {
    for (const [user, password] of [
      ['alice', 'Correct-Horse-Battery-1'],
      ['0b4f3c2e-8d1a-4f6b-9c7e-123456789abc', 'pässwörd ✓ 🔑'],
      ['x', ''],
    ] as const) {
      const { claim } = await passwordRound(makeClient, { user, password });
      expect(verifyPasswordClaim(claim)).toBe(true);
    }
  });

  it('refuses the proof made with a wrong password', async () => {
    const { claim } = await passwordRound(makeClient, { user: 'alice', password: 'right-1', clientPassword: 'wrong-1' });
    expect(verifyPasswordClaim(claim)).toBe(false);
  });

  it('refuses any tampered value', async () => {
    const { claim, stored } = await passwordRound(makeClient, { user: 'alice', password: 'right-1' });
    expect(verifyPasswordClaim(claim)).toBe(true);

    const otherA = (await makeClient(POOL, 'alice', 'right-1')).srpA;
    const otherChallenge = startSrpChallenge(stored.verifier);
    const flipped = Buffer.from(claim.signature, 'base64');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    const sent = checkSrpTimestamp(claim.timestamp, claim.now);
    if (!sent.ok) throw new Error('the client sent an invalid TIMESTAMP');
    const later = formatSrpTimestamp(new Date(sent.date.getTime() + 1000));

    expect(verifyPasswordClaim({ ...claim, srpA: otherA })).toBe(false);
    expect(verifyPasswordClaim({ ...claim, srpA: (BigInt(`0x${claim.srpA}`) + 1n).toString(16) })).toBe(false);
    expect(verifyPasswordClaim({ ...claim, srpB: otherChallenge.srpB })).toBe(false);
    expect(verifyPasswordClaim({ ...claim, ...otherChallenge })).toBe(false);
    expect(verifyPasswordClaim({ ...claim, signature: flipped.toString('base64') })).toBe(false);
    expect(verifyPasswordClaim({ ...claim, signature: claim.signature.slice(0, -2) })).toBe(false);
    expect(verifyPasswordClaim({ ...claim, signature: 'not base64 at all!' })).toBe(false);
    expect(verifyPasswordClaim({ ...claim, timestamp: later })).toBe(false);
    expect(verifyPasswordClaim({ ...claim, secretBlock: newSecretBlock() })).toBe(false);
    expect(verifyPasswordClaim({ ...claim, userIdForSrp: 'alicf' })).toBe(false);
    expect(verifyPasswordClaim({ ...claim, poolShortName: 'Fr0ntDe5K' })).toBe(false);
    expect(verifyPasswordClaim({ ...claim, verifier: createPasswordVerifier(POOL, 'alice', 'right-1').verifier })).toBe(false);
  });

  it('refuses A = 0, A = N and other degenerate A without throwing', async () => {
    const { claim } = await passwordRound(makeClient, { user: 'alice', password: 'right-1' });
    for (const A of [0n, N, 2n * N, 1n, N - 1n]) {
      expect(verifyPasswordClaim({ ...claim, srpA: A.toString(16) })).toBe(false);
    }
    expect(verifyPasswordClaim({ ...claim, srpA: 'not hex' })).toBe(false);
  });

  it('refuses a TIMESTAMP outside the window or not in canonical form', async () => {
    const { claim } = await passwordRound(makeClient, { user: 'alice', password: 'right-1' });
    expect(verifyPasswordClaim({ ...claim, now: new Date(Date.now() + 2 * 24 * 3600_000) })).toBe(false);
    expect(verifyPasswordClaim({ ...claim, now: new Date(Date.now() + 60_000), maxTimestampSkewMs: 5 * 60_000 })).toBe(true);
  });

  it('agrees at the encoding edges: salt, B, u and S with a leading zero byte', async () => {
    // Each edge occurs once in ~256 sign-ins; search for it on the server side, then let the
    // real client run against it. padHex drops leading zero bytes, fixed-width encodings do not.
    const user = 'edge-user';
    const password = 'edge-password';
    let stored = createPasswordVerifier(POOL, user, password);
    while (stored.salt.length >= 32) stored = createPasswordVerifier(POOL, user, password);
    const client = await makeClient(POOL, user, password);
    const A = BigInt(`0x${client.srpA}`);
    const v = BigInt(`0x${stored.verifier}`);

    const findChallenge = (edge: (c: SrpChallenge) => boolean) => {
      for (;;) {
        const c = startSrpChallenge(stored.verifier);
        if (edge(c)) return c;
      }
    };
    const shortB = findChallenge((c) => c.srpB.length <= 2 * N_BYTES - 2);
    const shortU = findChallenge((c) => padHex(scramblingParameter(A, BigInt(`0x${c.srpB}`))).length <= 62);
    const shortS = findChallenge((c) => {
      const B = BigInt(`0x${c.srpB}`);
      const S = modPow((A * modPow(v, scramblingParameter(A, B))) % N, BigInt(`0x${c.serverSecret}`));
      return padHex(S).length <= 2 * N_BYTES - 2;
    });

    for (const challenge of [shortB, shortU, shortS]) {
      const secretBlock = newSecretBlock();
      const answer = await client.answer({ SRP_B: challenge.srpB, SALT: stored.salt, SECRET_BLOCK: secretBlock, USER_ID_FOR_SRP: user });
      const claim = {
        poolShortName: POOL,
        userIdForSrp: user,
        srpA: client.srpA,
        ...challenge,
        verifier: stored.verifier,
        secretBlock,
        timestamp: answer.TIMESTAMP,
        signature: answer.PASSWORD_CLAIM_SIGNATURE,
        now: new Date(),
      };
      expect(verifyPasswordClaim(claim)).toBe(true);
    }
  }, 180_000); // a search over hundreds of modular exponentiations: slow when the machine is shared
});

describe.each(clients)('interop with %s: DEVICE_SRP_AUTH → DEVICE_PASSWORD_VERIFIER', (name, makeClient) => {
  const deviceGroupKey = '-ABCdef12';
  const deviceKey = 'eu-west-1_0f6c1d2e-3a4b-4c5d-8e9f-0123456789ab';

  /** ConfirmDevice's DeviceSecretVerifierConfig and the device password, made by the client. */
  async function confirmDevice() {
    if (name === 'Amplify v6') {
      const helper = await amplify.getAuthenticationHelper(POOL);
      await helper.generateHashDevice(deviceGroupKey, deviceKey);
      const b64 = (hex: string) => Buffer.from(amplify.getBytesFromHex(hex)).toString('base64');
      return {
        config: { Salt: b64(helper.getSaltToHashDevices()), PasswordVerifier: b64(helper.getVerifierDevices()) },
        devicePassword: helper.getRandomPassword(),
      };
    }
    const helper = new AuthenticationHelper(POOL);
    await promisify<null>((cb) => helper.generateHashDevice(deviceGroupKey, deviceKey, cb));
    return {
      config: {
        Salt: Buffer.from(helper.getSaltDevices(), 'hex').toString('base64'),
        PasswordVerifier: Buffer.from(helper.getVerifierDevices(), 'hex').toString('base64'),
      },
      devicePassword: helper.getRandomPassword(),
    };
  }

  async function deviceRound(devicePasswordOverride?: string) {
    const { config, devicePassword } = await confirmDevice();
    const stored = parseDeviceSecretVerifierConfig(config);
    expect(stored).toBeDefined();
    const client = await makeClient(deviceGroupKey, deviceKey, devicePasswordOverride ?? devicePassword);
    const challenge = startSrpChallenge(stored!.verifier);
    const secretBlock = newSecretBlock();
    const answer = await client.answer({ SRP_B: challenge.srpB, SALT: stored!.salt, SECRET_BLOCK: secretBlock, USER_ID_FOR_SRP: 'alice' });
    return {
      deviceGroupKey,
      deviceKey,
      srpA: client.srpA,
      ...challenge,
      verifier: stored!.verifier,
      secretBlock,
      timestamp: answer.TIMESTAMP,
      signature: answer.PASSWORD_CLAIM_SIGNATURE,
      now: new Date(),
    };
  }

  it('accepts the device proof made with the device password', async () => {
    expect(verifyDevicePasswordClaim(await deviceRound())).toBe(true);
  });

  it('refuses a wrong device password, another device or the user realm', async () => {
    expect(verifyDevicePasswordClaim(await deviceRound('not-the-device-password'))).toBe(false);
    const claim = await deviceRound();
    expect(verifyDevicePasswordClaim({ ...claim, deviceKey: `${deviceKey}x` })).toBe(false);
    expect(verifyDevicePasswordClaim({ ...claim, deviceGroupKey: 'other-group' })).toBe(false);
    expect(verifyPasswordClaim({ ...claim, poolShortName: POOL, userIdForSrp: deviceKey })).toBe(false);
  });

  it('createDeviceVerifier computes what the client computes', async () => {
    const made = createDeviceVerifier(deviceGroupKey, deviceKey, 'device-secret');
    const client = await makeClient(deviceGroupKey, deviceKey, 'device-secret');
    const challenge = startSrpChallenge(made.verifier);
    const secretBlock = newSecretBlock();
    const answer = await client.answer({ SRP_B: challenge.srpB, SALT: made.salt, SECRET_BLOCK: secretBlock, USER_ID_FOR_SRP: 'alice' });
    expect(
      verifyDevicePasswordClaim({
        deviceGroupKey,
        deviceKey,
        srpA: client.srpA,
        ...challenge,
        verifier: made.verifier,
        secretBlock,
        timestamp: answer.TIMESTAMP,
        signature: answer.PASSWORD_CLAIM_SIGNATURE,
        now: new Date(),
      }),
    ).toBe(true);
  });
});

describe('parseDeviceSecretVerifierConfig', () => {
  it('refuses what cannot be a verifier', () => {
    const good = { Salt: Buffer.from('0123456789abcdef', 'hex').toString('base64'), PasswordVerifier: Buffer.from('05', 'hex').toString('base64') };
    expect(parseDeviceSecretVerifierConfig(good)).toEqual({ salt: '0123456789abcdef', verifier: '05' });
    expect(parseDeviceSecretVerifierConfig({})).toBeUndefined();
    expect(parseDeviceSecretVerifierConfig({ ...good, Salt: '' })).toBeUndefined();
    expect(parseDeviceSecretVerifierConfig({ ...good, Salt: 'AAAA' })).toBeUndefined();
    expect(parseDeviceSecretVerifierConfig({ ...good, Salt: '!!!!' })).toBeUndefined();
    expect(parseDeviceSecretVerifierConfig({ ...good, Salt: randomBytes(65).toString('base64') })).toBeUndefined();
    expect(parseDeviceSecretVerifierConfig({ ...good, PasswordVerifier: Buffer.from([1]).toString('base64') })).toBeUndefined();
    expect(parseDeviceSecretVerifierConfig({ ...good, PasswordVerifier: padBytes(N).toString('base64') })).toBeUndefined();
    expect(parseDeviceSecretVerifierConfig({ ...good, PasswordVerifier: randomBytes(400).toString('base64') })).toBeUndefined();
  });
});

describe('TIMESTAMP', () => {
  it('formats like the clients: day not zero-padded, time zero-padded', () => {
    expect(formatSrpTimestamp(new Date(Date.UTC(2023, 8, 5, 10, 0, 0)))).toBe('Tue Sep 5 10:00:00 UTC 2023');
    expect(formatSrpTimestamp(new Date(Date.UTC(2024, 1, 29, 3, 4, 5)))).toBe('Thu Feb 29 03:04:05 UTC 2024');
    vi.useFakeTimers({ toFake: ['Date'] });
    for (const at of [Date.UTC(2023, 8, 5, 0, 0, 0), Date.UTC(2031, 11, 31, 23, 59, 59), Date.UTC(2024, 0, 1, 9, 9, 9)]) {
      vi.setSystemTime(at);
      expect(formatSrpTimestamp(new Date())).toBe(new DateHelper().getNowString());
      expect(formatSrpTimestamp(new Date())).toBe(amplify.getNowString());
    }
  });

  it('classifies like Cognito: unparseable → malformed, zero-padded or wrong weekday → noncanonical', () => {
    const now = new Date(Date.UTC(2023, 8, 5, 10, 0, 0));
    expect(checkSrpTimestamp('Tue Sep 5 10:00:00 UTC 2023', now)).toEqual({ ok: true, date: now });
    expect(checkSrpTimestamp('Tue Sep 05 10:00:00 UTC 2023', now)).toEqual({ ok: false, reason: 'noncanonical' });
    expect(checkSrpTimestamp('Wed Sep 5 10:00:00 UTC 2023', now)).toEqual({ ok: false, reason: 'noncanonical' });
    expect(checkSrpTimestamp('tue Sep 5 10:00:00 UTC 2023', now)).toEqual({ ok: false, reason: 'noncanonical' });
    expect(checkSrpTimestamp('Tue Sep 5 10:0:00 UTC 2023', now)).toEqual({ ok: false, reason: 'noncanonical' });
    expect(checkSrpTimestamp('Fri Feb 30 10:00:00 UTC 2024', now)).toEqual({ ok: false, reason: 'noncanonical' });
    expect(checkSrpTimestamp('Tue Sep 5 10:00:00 GMT 2023', now)).toEqual({ ok: false, reason: 'noncanonical' });
    for (const bad of ['', '2023-09-05T10:00:00Z', 'Tue Sep 5 10:00:00 PST 2023', 'Xyz Sep 5 10:00:00 UTC 2023', 'Tue Foo 5 10:00:00 UTC 2023', 'Tue Sep 5 10:00:00 UTC 2023 ']) {
      expect(checkSrpTimestamp(bad, now)).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  it('accepts ±24 h by default and a tighter window on request', () => {
    const at = new Date(Date.UTC(2023, 8, 5, 10, 0, 0));
    const ts = formatSrpTimestamp(at);
    expect(isValidSrpTimestamp(ts, new Date(at.getTime() + 23 * 3600_000))).toBe(true);
    expect(isValidSrpTimestamp(ts, new Date(at.getTime() - 23 * 3600_000))).toBe(true);
    expect(checkSrpTimestamp(ts, new Date(at.getTime() + 25 * 3600_000))).toEqual({ ok: false, reason: 'skewed' });
    expect(isValidSrpTimestamp(ts, new Date(at.getTime() + 6 * 60_000), 5 * 60_000)).toBe(false);
  });
});

it('parseHex refuses what is not hex', () => {
  expect(parseHex('0aF')).toBe(0xafn);
  expect(parseHex('')).toBeUndefined();
  expect(parseHex('0x12')).toBeUndefined();
});
