import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import { isForeignKeyViolation, isUniqueViolation } from './dialect.js';

export type DomainKind = 'prefix' | 'custom';

export interface UserPoolDomain {
  /** The prefix (`myapp`) or the custom domain's host name (`auth.example.com`). */
  domain: string;
  userPoolId: string;
  kind: DomainKind;
  certificateArn?: string;
  managedLoginVersion: number;
  /** Cognito's DomainDescription.Version: changes with every update. */
  version: string;
  createdAt: Date;
  updatedAt: Date;
}

/** User pool domains: unique across pools; a pool has at most one of each kind. */
export interface UserPoolDomainStore {
  /** 'taken' when the domain or the pool's domain of that kind exists; 'missing' when the pool is gone. */
  insert(domain: UserPoolDomain): Promise<'ok' | 'taken' | 'missing'>;
  get(domain: string): Promise<UserPoolDomain | undefined>;
  ofPool(userPoolId: string): Promise<UserPoolDomain[]>;
  update(domain: UserPoolDomain): Promise<boolean>;
  delete(userPoolId: string, domain: string): Promise<boolean>;
}

type Row = Database['user_pool_domains'];

const toDomain = (row: Row): UserPoolDomain => ({
  domain: row.domain,
  userPoolId: row.user_pool_id,
  kind: row.kind as DomainKind,
  ...(row.certificate_arn !== null ? { certificateArn: row.certificate_arn } : {}),
  managedLoginVersion: Number(row.managed_login_version),
  version: row.version,
  createdAt: new Date(Number(row.created_at)),
  updatedAt: new Date(Number(row.updated_at)),
});

export class KyselyUserPoolDomainStore implements UserPoolDomainStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(domain: UserPoolDomain): Promise<'ok' | 'taken' | 'missing'> {
    try {
      await this.db
        .insertInto('user_pool_domains')
        .values({
          domain: domain.domain,
          user_pool_id: domain.userPoolId,
          kind: domain.kind,
          certificate_arn: domain.certificateArn ?? null,
          managed_login_version: domain.managedLoginVersion,
          version: domain.version,
          created_at: domain.createdAt.getTime(),
          updated_at: domain.updatedAt.getTime(),
        })
        .execute();
      return 'ok';
    } catch (error) {
      if (isUniqueViolation(error)) return 'taken';
      if (isForeignKeyViolation(error)) return 'missing';
      throw error;
    }
  }

  async get(domain: string): Promise<UserPoolDomain | undefined> {
    const row = await this.db.selectFrom('user_pool_domains').selectAll().where('domain', '=', domain).executeTakeFirst();
    return row ? toDomain(row) : undefined;
  }

  async ofPool(userPoolId: string): Promise<UserPoolDomain[]> {
    const rows = await this.db.selectFrom('user_pool_domains').selectAll().where('user_pool_id', '=', userPoolId).orderBy('kind').execute();
    return rows.map(toDomain);
  }

  async update(domain: UserPoolDomain): Promise<boolean> {
    const result = await this.db
      .updateTable('user_pool_domains')
      .set({
        certificate_arn: domain.certificateArn ?? null,
        managed_login_version: domain.managedLoginVersion,
        version: domain.version,
        updated_at: domain.updatedAt.getTime(),
      })
      .where('domain', '=', domain.domain)
      .where('user_pool_id', '=', domain.userPoolId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async delete(userPoolId: string, domain: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('user_pool_domains')
      .where('domain', '=', domain)
      .where('user_pool_id', '=', userPoolId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }
}
