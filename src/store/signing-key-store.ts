import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { SecretBox } from '../crypto/secret-box.js';

/** An RSA public key as a JWK (the members node:crypto exports: kty, n, e). */
export interface PublicJwk {
  kty: 'RSA';
  n: string;
  e: string;
}

/** What anyone may know about a signing key. */
export interface SigningKeyInfo {
  kid: string;
  userPoolId: string;
  publicJwk: PublicJwk;
  createdAt: Date;
  /** Set once the key stopped signing; it stays published until its last token has expired. */
  retiredAt?: Date;
}

export interface NewSigningKey {
  kid: string;
  userPoolId: string;
  /** PKCS#8 PEM; sealed under the master key before it reaches the database. */
  privateKeyPem: string;
  publicJwk: PublicJwk;
  createdAt: Date;
}

export interface SigningKeyStore {
  insert(key: NewSigningKey): Promise<void>;
  /** Inserts `key` and retires every other unretired key of its pool, in one transaction. */
  insertAndRetireOthers(key: NewSigningKey, retiredAt: Date): Promise<void>;
  /** The pool's signing key: the newest unretired one (ties broken by kid, so every node agrees). */
  findCurrent(userPoolId: string): Promise<SigningKeyInfo | undefined>;
  findByKid(kid: string): Promise<SigningKeyInfo | undefined>;
  /** The opened private key (PKCS#8 PEM) of a key; undefined when the kid is unknown. */
  privateKeyPem(kid: string): Promise<string | undefined>;
  /** Keys to publish: unretired ones and those retired after `retiredAfter`, oldest first. */
  listPublished(userPoolId: string, retiredAfter: Date): Promise<SigningKeyInfo[]>;
  /** Retires one key if it is not retired yet. */
  retire(kid: string, at: Date): Promise<boolean>;
  /** Deletes the pool's keys retired before `before` (no unexpired token can name them). */
  deleteRetiredBefore(userPoolId: string, before: Date): Promise<number>;
}

type Row = Database['signing_keys'];
type PublicRow = Omit<Row, 'private_key'>;

/** The sealed private key is bound to its kid, so one key's ciphertext cannot stand in for another's. */
const purposeOf = (kid: string) => `signing-key:${kid}`;

const PUBLIC_COLUMNS = ['kid', 'user_pool_id', 'public_jwk', 'created_at', 'retired_at'] as const;

const toInfo = (row: PublicRow): SigningKeyInfo => ({
  kid: row.kid,
  userPoolId: row.user_pool_id,
  publicJwk: JSON.parse(row.public_jwk) as PublicJwk,
  createdAt: new Date(Number(row.created_at)),
  ...(row.retired_at === null ? {} : { retiredAt: new Date(Number(row.retired_at)) }),
});

export class KyselySigningKeyStore implements SigningKeyStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly secrets: SecretBox,
  ) {}

  private row(key: NewSigningKey): Row {
    return {
      kid: key.kid,
      user_pool_id: key.userPoolId,
      private_key: this.secrets.seal(key.privateKeyPem, purposeOf(key.kid)),
      public_jwk: JSON.stringify({ kty: key.publicJwk.kty, n: key.publicJwk.n, e: key.publicJwk.e }),
      created_at: key.createdAt.getTime(),
      retired_at: null,
    };
  }

  async insert(key: NewSigningKey): Promise<void> {
    await this.db.insertInto('signing_keys').values(this.row(key)).execute();
  }

  async insertAndRetireOthers(key: NewSigningKey, retiredAt: Date): Promise<void> {
    const row = this.row(key);
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('signing_keys').values(row).execute();
      await trx
        .updateTable('signing_keys')
        .set({ retired_at: retiredAt.getTime() })
        .where('user_pool_id', '=', key.userPoolId)
        .where('kid', '!=', key.kid)
        .where('retired_at', 'is', null)
        .execute();
    });
  }

  async findCurrent(userPoolId: string): Promise<SigningKeyInfo | undefined> {
    const row = await this.db
      .selectFrom('signing_keys')
      .select(PUBLIC_COLUMNS)
      .where('user_pool_id', '=', userPoolId)
      .where('retired_at', 'is', null)
      .orderBy('created_at', 'desc')
      .orderBy('kid', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? toInfo(row) : undefined;
  }

  async findByKid(kid: string): Promise<SigningKeyInfo | undefined> {
    const row = await this.db.selectFrom('signing_keys').select(PUBLIC_COLUMNS).where('kid', '=', kid).executeTakeFirst();
    return row ? toInfo(row) : undefined;
  }

  async privateKeyPem(kid: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('signing_keys').select('private_key').where('kid', '=', kid).executeTakeFirst();
    return row ? this.secrets.open(row.private_key, purposeOf(kid)) : undefined;
  }

  async listPublished(userPoolId: string, retiredAfter: Date): Promise<SigningKeyInfo[]> {
    const rows = await this.db
      .selectFrom('signing_keys')
      .select(PUBLIC_COLUMNS)
      .where('user_pool_id', '=', userPoolId)
      .where((eb) => eb.or([eb('retired_at', 'is', null), eb('retired_at', '>', retiredAfter.getTime())]))
      .orderBy('created_at', 'asc')
      .orderBy('kid', 'asc')
      .execute();
    return rows.map(toInfo);
  }

  async retire(kid: string, at: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('signing_keys')
      .set({ retired_at: at.getTime() })
      .where('kid', '=', kid)
      .where('retired_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async deleteRetiredBefore(userPoolId: string, before: Date): Promise<number> {
    const result = await this.db
      .deleteFrom('signing_keys')
      .where('user_pool_id', '=', userPoolId)
      .where('retired_at', 'is not', null)
      .where('retired_at', '<', before.getTime())
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
