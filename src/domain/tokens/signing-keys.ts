import { createPrivateKey, createPublicKey, generateKeyPair, randomBytes, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import type { Clock } from '../clock.js';
import type { PublicJwk, SigningKeyInfo, SigningKeyStore } from '../../store/signing-key-store.js';
import { headerSegment } from './jwt.js';

const generateRsa = promisify(generateKeyPair);

/** The longest an ID or access token can live (client settings cap both at 1 day). */
export const MAX_TOKEN_LIFETIME_MS = 24 * 60 * 60 * 1000;

/**
 * How long a node trusts its memory of which kid is current. Keys themselves never change, so
 * KeyObjects are cached for good; only the choice of current key can move (rotation on another
 * node). Consequence for a cluster: after `rotate` on one node, the others keep signing with the
 * previous key for up to this long. That is safe because a retired key stays published for
 * RETIRED_KEY_PUBLISHED_MS, which covers those tokens' whole lifetime.
 */
export const DEFAULT_CURRENT_KEY_TTL_MS = 30_000;

/**
 * A retired key stays in the JWKS until every token it can have signed has expired: the longest
 * token lifetime, plus the window in which other nodes may still sign with it, plus a margin for
 * clock skew between nodes. After that it is dropped (and deleted at the next rotation).
 */
export const RETIRED_KEY_PUBLISHED_MS = MAX_TOKEN_LIFETIME_MS + 2 * DEFAULT_CURRENT_KEY_TTL_MS + 5 * 60_000;

export interface SigningKey {
  kid: string;
  userPoolId: string;
  /** The encoded JWS header, computed once per key. */
  header: string;
  privateKey: KeyObject;
}

export interface VerificationKey {
  kid: string;
  userPoolId: string;
  publicKey: KeyObject;
}

/** A JWKS member, in the member order Cognito publishes. */
export interface Jwk {
  alg: 'RS256';
  e: string;
  kid: string;
  kty: 'RSA';
  n: string;
  use: 'sig';
}

export interface SigningKeysOptions {
  store: SigningKeyStore;
  clock: Clock;
  currentKeyTtlMs?: number;
}

/**
 * Per-pool RSA-2048 signing keys: created on first use, rotated on demand, cached in memory.
 *
 * Two nodes may create a pool's first key at the same moment. Each inserts its own key and then
 * reads back "the newest unretired key" (created_at, then kid, so every node picks the same one);
 * a node whose key lost retires it before ever signing with it. If a node read its own key before
 * the other's insert landed, both keys sign for a short while; both are unretired, so both are
 * published, and every node converges on the newest within one cache TTL.
 */
export class SigningKeys {
  private readonly store: SigningKeyStore;
  private readonly clock: Clock;
  private readonly ttlMs: number;
  /** kid → signing material; immutable, so never invalidated. */
  private readonly signing = new Map<string, SigningKey>();
  /** kid → public key; immutable. */
  private readonly verification = new Map<string, VerificationKey>();
  /** pool → its current kid, trusted until `until` (epoch ms). */
  private readonly current = new Map<string, { key: SigningKey; until: number }>();
  /** pool → an in-flight load, so concurrent first requests create one key, not one each. */
  private readonly loading = new Map<string, Promise<SigningKey>>();

  constructor(options: SigningKeysOptions) {
    this.store = options.store;
    this.clock = options.clock;
    this.ttlMs = options.currentKeyTtlMs ?? DEFAULT_CURRENT_KEY_TTL_MS;
  }

  /** The key to sign the pool's tokens with now; creates the pool's first key if it has none. */
  async currentKey(userPoolId: string): Promise<SigningKey> {
    const cached = this.current.get(userPoolId);
    if (cached && cached.until > this.clock.now().getTime()) return cached.key;
    let pending = this.loading.get(userPoolId);
    if (!pending) {
      pending = this.loadCurrent(userPoolId).finally(() => this.loading.delete(userPoolId));
      this.loading.set(userPoolId, pending);
    }
    return pending;
  }

  /** The public key for a kid, whichever pool it belongs to; undefined when unknown. */
  async verificationKey(kid: string): Promise<VerificationKey | undefined> {
    const cached = this.verification.get(kid);
    if (cached) return cached;
    const info = await this.store.findByKid(kid);
    if (!info) return undefined;
    return this.rememberPublic(info);
  }

  /**
   * Makes a new key the pool's current one and retires the others: they sign nothing more and stay
   * published until their last token has expired. Keys retired long enough ago are deleted.
   */
  async rotate(userPoolId: string): Promise<{ kid: string }> {
    const now = this.clock.now();
    const fresh = await newKey(userPoolId, now);
    await this.store.insertAndRetireOthers(fresh.row, now);
    await this.store.deleteRetiredBefore(userPoolId, new Date(now.getTime() - RETIRED_KEY_PUBLISHED_MS));
    this.signing.set(fresh.key.kid, fresh.key);
    this.current.set(userPoolId, { key: fresh.key, until: now.getTime() + this.ttlMs });
    return { kid: fresh.key.kid };
  }

  /** The pool's JWKS members: the current key and retired keys whose tokens may still be valid. */
  async published(userPoolId: string): Promise<Jwk[]> {
    const cutoff = new Date(this.clock.now().getTime() - RETIRED_KEY_PUBLISHED_MS);
    const keys = await this.store.listPublished(userPoolId, cutoff);
    return keys.map((key) => ({ alg: 'RS256', e: key.publicJwk.e, kid: key.kid, kty: 'RSA', n: key.publicJwk.n, use: 'sig' }));
  }

  /** Makes sure the pool has a current key (so a JWKS fetched before the first sign-in is not empty). */
  async ensureKey(userPoolId: string): Promise<void> {
    await this.currentKey(userPoolId);
  }

  private async loadCurrent(userPoolId: string): Promise<SigningKey> {
    const info = (await this.store.findCurrent(userPoolId)) ?? (await this.createFirst(userPoolId));
    const key = await this.signingKey(info);
    this.current.set(userPoolId, { key, until: this.clock.now().getTime() + this.ttlMs });
    return key;
  }

  private async createFirst(userPoolId: string): Promise<SigningKeyInfo> {
    const now = this.clock.now();
    const fresh = await newKey(userPoolId, now);
    await this.store.insert(fresh.row);
    this.signing.set(fresh.key.kid, fresh.key);
    const winner = await this.store.findCurrent(userPoolId);
    if (!winner) throw new Error(`signing key ${fresh.key.kid} vanished right after its insert`);
    // Another node's key is newer: ours has signed nothing, so retiring it costs nothing.
    if (winner.kid !== fresh.key.kid) await this.store.retire(fresh.key.kid, now);
    return winner;
  }

  private async signingKey(info: SigningKeyInfo): Promise<SigningKey> {
    const cached = this.signing.get(info.kid);
    if (cached) return cached;
    const pem = await this.store.privateKeyPem(info.kid);
    if (pem === undefined) throw new Error(`signing key ${info.kid} has no private key`);
    const key: SigningKey = { kid: info.kid, userPoolId: info.userPoolId, header: headerSegment(info.kid), privateKey: createPrivateKey(pem) };
    this.signing.set(info.kid, key);
    return key;
  }

  private rememberPublic(info: SigningKeyInfo): VerificationKey {
    const key: VerificationKey = {
      kid: info.kid,
      userPoolId: info.userPoolId,
      publicKey: createPublicKey({ key: { ...info.publicJwk }, format: 'jwk' }),
    };
    this.verification.set(info.kid, key);
    return key;
  }
}

async function newKey(userPoolId: string, createdAt: Date) {
  const { privateKey, publicKey } = await generateRsa('rsa', { modulusLength: 2048, publicExponent: 0x10001 });
  const kid = randomBytes(24).toString('base64url');
  const jwk = publicKey.export({ format: 'jwk' }) as { n: string; e: string };
  const publicJwk: PublicJwk = { kty: 'RSA', n: jwk.n, e: jwk.e };
  return {
    key: { kid, userPoolId, header: headerSegment(kid), privateKey } satisfies SigningKey,
    row: {
      kid,
      userPoolId,
      privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }) as string,
      publicJwk,
      createdAt,
    },
  };
}
