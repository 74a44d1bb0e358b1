import type { Kysely } from 'kysely';
import type { Database, DevicesTable } from './schema.js';
import type { SecretBox } from '../crypto/secret-box.js';

export interface Device {
  key: string;
  userPoolId: string;
  userId: string;
  groupKey: string;
  /** Device SRP salt and verifier (hex), set by ConfirmDevice; the verifier is sealed at rest. */
  salt?: string;
  verifier?: string;
  remembered: boolean;
  /** Cognito's device attributes: device_name, last_ip_used, device_status… */
  attributes: Record<string, string>;
  createdAt: Date;
  lastModifiedAt: Date;
  lastAuthenticatedAt: Date;
}

/** Devices a user's clients track (one row per DEVICE_KEY), for every node through the database. */
export interface DeviceStore {
  insert(device: Device): Promise<void>;
  get(userPoolId: string, key: string): Promise<Device | undefined>;
  /** A user's confirmed devices (those with a verifier) in key order, `limit` after `afterKey`. */
  list(userPoolId: string, userId: string, limit: number, afterKey?: string): Promise<Device[]>;
  /** Writes everything but the key, owner and creation date. */
  update(device: Device): Promise<boolean>;
  delete(userPoolId: string, key: string): Promise<boolean>;
  /** Deletes a user's devices never confirmed and created before `before`. */
  deleteUnconfirmed(userPoolId: string, userId: string, before: Date): Promise<number>;
}

const VERIFIER_PURPOSE = 'device-srp-verifier';

export class KyselyDeviceStore implements DeviceStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly secrets: SecretBox,
  ) {}

  private toDevice(row: DevicesTable): Device {
    return {
      key: row.device_key,
      userPoolId: row.user_pool_id,
      userId: row.user_id,
      groupKey: row.device_group_key,
      ...(row.salt ? { salt: row.salt } : {}),
      ...(row.verifier ? { verifier: this.secrets.open(row.verifier, VERIFIER_PURPOSE) } : {}),
      remembered: Number(row.remembered) === 1,
      attributes: JSON.parse(row.attributes),
      createdAt: new Date(Number(row.created_at)),
      lastModifiedAt: new Date(Number(row.last_modified_at)),
      lastAuthenticatedAt: new Date(Number(row.last_authenticated_at)),
    };
  }

  private toRow(device: Device): DevicesTable {
    return {
      device_key: device.key,
      user_pool_id: device.userPoolId,
      user_id: device.userId,
      device_group_key: device.groupKey,
      salt: device.salt ?? null,
      verifier: device.verifier ? this.secrets.seal(device.verifier, VERIFIER_PURPOSE) : null,
      remembered: device.remembered ? 1 : 0,
      attributes: JSON.stringify(device.attributes),
      created_at: device.createdAt.getTime(),
      last_modified_at: device.lastModifiedAt.getTime(),
      last_authenticated_at: device.lastAuthenticatedAt.getTime(),
    };
  }

  async insert(device: Device): Promise<void> {
    await this.db.insertInto('devices').values(this.toRow(device)).execute();
  }

  async get(userPoolId: string, key: string): Promise<Device | undefined> {
    const row = await this.db
      .selectFrom('devices')
      .selectAll()
      .where('user_pool_id', '=', userPoolId)
      .where('device_key', '=', key)
      .executeTakeFirst();
    return row ? this.toDevice(row) : undefined;
  }

  async list(userPoolId: string, userId: string, limit: number, afterKey?: string): Promise<Device[]> {
    let query = this.db
      .selectFrom('devices')
      .selectAll()
      .where('user_pool_id', '=', userPoolId)
      .where('user_id', '=', userId)
      .where('verifier', 'is not', null);
    if (afterKey !== undefined) query = query.where('device_key', '>', afterKey);
    const rows = await query.orderBy('device_key').limit(limit).execute();
    return rows.map((row) => this.toDevice(row));
  }

  async update(device: Device): Promise<boolean> {
    const { device_key: _key, user_pool_id: _pool, user_id: _user, created_at: _created, ...values } = this.toRow(device);
    const result = await this.db
      .updateTable('devices')
      .set(values)
      .where('user_pool_id', '=', device.userPoolId)
      .where('device_key', '=', device.key)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async delete(userPoolId: string, key: string): Promise<boolean> {
    const result = await this.db.deleteFrom('devices').where('user_pool_id', '=', userPoolId).where('device_key', '=', key).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async deleteUnconfirmed(userPoolId: string, userId: string, before: Date): Promise<number> {
    const result = await this.db
      .deleteFrom('devices')
      .where('user_pool_id', '=', userPoolId)
      .where('user_id', '=', userId)
      .where('verifier', 'is', null)
      .where('created_at', '<', before.getTime())
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
