import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import { isForeignKeyViolation } from './dialect.js';

/** The client key of a pool's default customization (Cognito's ClientId "ALL"). */
export const ALL_CLIENTS = 'ALL';

export interface UiCustomization {
  userPoolId: string;
  /** A client id, or ALL_CLIENTS. */
  clientKey: string;
  css?: string;
  image?: { data: Buffer; contentType: string };
  cssVersion: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface UiCustomizationStore {
  /** Inserts or replaces; false when the pool is gone. */
  put(customization: UiCustomization): Promise<boolean>;
  get(userPoolId: string, clientKey: string): Promise<UiCustomization | undefined>;
  delete(userPoolId: string, clientKey: string): Promise<void>;
}

export class KyselyUiCustomizationStore implements UiCustomizationStore {
  constructor(private readonly db: Kysely<Database>) {}

  async put(c: UiCustomization): Promise<boolean> {
    const values = {
      user_pool_id: c.userPoolId,
      client_key: c.clientKey,
      css: c.css ?? null,
      image: c.image ? c.image.data.toString('base64') : null,
      image_type: c.image?.contentType ?? null,
      css_version: c.cssVersion,
      created_at: c.createdAt.getTime(),
      updated_at: c.updatedAt.getTime(),
    };
    try {
      await this.db
        .insertInto('ui_customizations')
        .values(values)
        .onConflict((oc) =>
          oc.columns(['user_pool_id', 'client_key']).doUpdateSet({
            css: values.css,
            image: values.image,
            image_type: values.image_type,
            css_version: values.css_version,
            updated_at: values.updated_at,
          }),
        )
        .execute();
      return true;
    } catch (error) {
      if (isForeignKeyViolation(error)) return false;
      throw error;
    }
  }

  async get(userPoolId: string, clientKey: string): Promise<UiCustomization | undefined> {
    const row = await this.db
      .selectFrom('ui_customizations')
      .selectAll()
      .where('user_pool_id', '=', userPoolId)
      .where('client_key', '=', clientKey)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      userPoolId: row.user_pool_id,
      clientKey: row.client_key,
      ...(row.css !== null ? { css: row.css } : {}),
      ...(row.image !== null && row.image_type !== null ? { image: { data: Buffer.from(row.image, 'base64'), contentType: row.image_type } } : {}),
      cssVersion: row.css_version,
      createdAt: new Date(Number(row.created_at)),
      updatedAt: new Date(Number(row.updated_at)),
    };
  }

  async delete(userPoolId: string, clientKey: string): Promise<void> {
    await this.db.deleteFrom('ui_customizations').where('user_pool_id', '=', userPoolId).where('client_key', '=', clientKey).execute();
  }
}
