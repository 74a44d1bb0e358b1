import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { SecretBox } from '../crypto/secret-box.js';
import type { LambdaCredentials, TriggerFunction, TriggerFunctionDefinition } from '../domain/triggers/trigger-function.js';

/** What is sealed in secret_ciphertext: the webhook secret and/or the Lambda access key. */
interface SealedSecrets {
  secret?: string;
  credentials?: LambdaCredentials;
}

/** The trigger function registry's API-managed part (config-file functions are not stored). */
export interface TriggerFunctionStore {
  get(arn: string): Promise<TriggerFunction | undefined>;
  list(): Promise<TriggerFunction[]>;
  /** Inserts or replaces; the creation date of an existing row is kept. */
  put(fn: TriggerFunction): Promise<void>;
  delete(arn: string): Promise<boolean>;
}

const PURPOSE = 'trigger-function-secret';

type Row = Database['trigger_functions'];

export class KyselyTriggerFunctionStore implements TriggerFunctionStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly secrets: SecretBox,
  ) {}

  async get(arn: string): Promise<TriggerFunction | undefined> {
    const row = await this.db.selectFrom('trigger_functions').selectAll().where('arn', '=', arn).executeTakeFirst();
    return row ? this.fromRow(row) : undefined;
  }

  async list(): Promise<TriggerFunction[]> {
    const rows = await this.db.selectFrom('trigger_functions').selectAll().orderBy('arn').execute();
    return rows.map((row) => this.fromRow(row));
  }

  async put(fn: TriggerFunction): Promise<void> {
    const definition = JSON.stringify({ ...fn.definition, ...(fn.timeoutMs !== undefined ? { timeoutMs: fn.timeoutMs } : {}) });
    const sealed: SealedSecrets = {
      ...(fn.secret !== undefined ? { secret: fn.secret } : {}),
      ...(fn.credentials !== undefined ? { credentials: fn.credentials } : {}),
    };
    const secret = Object.keys(sealed).length > 0 ? this.secrets.seal(JSON.stringify(sealed), PURPOSE) : null;
    // ON CONFLICT … DO UPDATE is spelled the same on SQLite and PostgreSQL.
    await this.db
      .insertInto('trigger_functions')
      .values({ arn: fn.arn, definition, secret_ciphertext: secret, created_at: fn.createdAt.getTime(), updated_at: fn.updatedAt.getTime() })
      .onConflict((oc) =>
        oc.column('arn').doUpdateSet({ definition, secret_ciphertext: secret, updated_at: fn.updatedAt.getTime() }),
      )
      .execute();
  }

  async delete(arn: string): Promise<boolean> {
    const result = await this.db.deleteFrom('trigger_functions').where('arn', '=', arn).executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }

  private fromRow(row: Row): TriggerFunction {
    const { timeoutMs, ...definition } = JSON.parse(row.definition) as TriggerFunctionDefinition & { timeoutMs?: number };
    const sealed: SealedSecrets = row.secret_ciphertext !== null ? (JSON.parse(this.secrets.open(row.secret_ciphertext, PURPOSE)) as SealedSecrets) : {};
    return {
      arn: row.arn,
      definition,
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      ...(sealed.secret !== undefined ? { secret: sealed.secret } : {}),
      ...(sealed.credentials !== undefined ? { credentials: sealed.credentials } : {}),
      source: 'api',
      createdAt: new Date(Number(row.created_at)),
      updatedAt: new Date(Number(row.updated_at)),
    };
  }
}
