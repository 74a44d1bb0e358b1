import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

export type DeliveryMedium = 'EMAIL' | 'SMS';

/**
 * OUTBOX_ONLY: no transport is configured for the medium, the outbox is the delivery (development).
 * SENT: the SMTP relay or SMS webhook accepted the message. FAILED: it did not; see deliveryError.
 */
export type DeliveryStatus = 'OUTBOX_ONLY' | 'SENT' | 'FAILED';

/** One message Frontdesk sent or tried to send: the outbox entry and the delivery log in one. */
export interface OutboxMessage {
  id: string;
  userPoolId?: string;
  destination: string;
  deliveryMedium: DeliveryMedium;
  subject?: string;
  /** The text body, or REDACTED_BODY when the outbox is off. */
  body: string;
  deliveryStatus: DeliveryStatus;
  /** A short, secret-free reason when deliveryStatus is FAILED. */
  deliveryError?: string;
  createdAt: Date;
}

export interface MessageQuery {
  /** Exact match; case-insensitive when the destination is an email address. */
  destination?: string;
  userPoolId?: string;
  limit: number;
}

export interface MessageStore {
  insert(message: OutboxMessage): Promise<void>;
  /** Newest first. */
  list(query: MessageQuery): Promise<OutboxMessage[]>;
  /** Deletes messages created before the cutoff (retention); returns how many. */
  deleteCreatedBefore(cutoff: Date): Promise<number>;
}

type Row = Database['messages'];

const toMessage = (row: Row): OutboxMessage => ({
  id: row.id,
  ...(row.user_pool_id !== null ? { userPoolId: row.user_pool_id } : {}),
  destination: row.destination,
  deliveryMedium: row.delivery_medium as DeliveryMedium,
  ...(row.subject !== null ? { subject: row.subject } : {}),
  body: row.body,
  deliveryStatus: row.delivery_status as DeliveryStatus,
  ...(row.delivery_error !== null ? { deliveryError: row.delivery_error } : {}),
  createdAt: new Date(Number(row.created_at)),
});

export class KyselyMessageStore implements MessageStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(message: OutboxMessage): Promise<void> {
    await this.db
      .insertInto('messages')
      .values({
        id: message.id,
        user_pool_id: message.userPoolId ?? null,
        destination: message.destination,
        delivery_medium: message.deliveryMedium,
        subject: message.subject ?? null,
        body: message.body,
        delivery_status: message.deliveryStatus,
        delivery_error: message.deliveryError ?? null,
        created_at: message.createdAt.getTime(),
      })
      .execute();
  }

  async list(query: MessageQuery): Promise<OutboxMessage[]> {
    let select = this.db
      .selectFrom('messages')
      .selectAll()
      // Ids are time-ordered, so they break ties between messages of the same millisecond.
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(query.limit);
    if (query.destination !== undefined) {
      const destination = query.destination;
      // Email addresses match whatever their case; both sides go through the engine's lower(), so
      // SQLite (ASCII-only lower) and PostgreSQL each agree with themselves.
      select = destination.includes('@')
        ? select.where(sql<string>`lower(destination)`, '=', sql<string>`lower(${destination})`)
        : select.where('destination', '=', destination);
    }
    if (query.userPoolId !== undefined) select = select.where('user_pool_id', '=', query.userPoolId);
    return (await select.execute()).map(toMessage);
  }

  async deleteCreatedBefore(cutoff: Date): Promise<number> {
    const result = await this.db.deleteFrom('messages').where('created_at', '<', cutoff.getTime()).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
