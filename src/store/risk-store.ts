import type { Kysely } from 'kysely';
import type { AuthEventsTable, Database } from './schema.js';

export interface StoredRiskConfiguration {
  /** '' for the pool-wide configuration. */
  clientId: string;
  configuration: Record<string, unknown>;
  updatedAt: Date;
}

export interface AuthEvent {
  id: string;
  userPoolId: string;
  userId: string;
  eventType: 'SignIn' | 'SignUp' | 'ForgotPassword' | 'PasswordChange' | 'ResendCode';
  eventResponse: 'Pass' | 'Fail' | 'InProgress';
  riskDecision: 'NoRisk' | 'AccountTakeover' | 'Block';
  riskLevel?: 'Low' | 'Medium' | 'High';
  compromised: boolean;
  challenges: { ChallengeName: 'Password' | 'Mfa'; ChallengeResponse: 'Success' | 'Failure' }[];
  ipAddress?: string;
  deviceKey?: string;
  context: Record<string, string>;
  /** Which signals fired, and why (Frontdesk's explanation of the decision). */
  signals: string[];
  feedback?: { value: 'Valid' | 'Invalid'; provider: string; at: Date };
  createdAt: Date;
}

/** Threat protection's data: risk configurations and the per-user auth event log. */
export interface RiskStore {
  getConfiguration(userPoolId: string, clientId: string): Promise<StoredRiskConfiguration | undefined>;
  putConfiguration(userPoolId: string, config: StoredRiskConfiguration): Promise<void>;
  insertEvent(event: AuthEvent): Promise<void>;
  getEvent(userPoolId: string, userId: string, id: string): Promise<AuthEvent | undefined>;
  /** A user's events, newest first; `before` pages by [created_at, id]. */
  listEvents(userPoolId: string, userId: string, limit: number, before?: { createdAt: number; id: string }): Promise<AuthEvent[]>;
  /** A user's events since a moment, newest first (for the risk signals). */
  eventsSince(userPoolId: string, userId: string, since: Date, limit: number): Promise<AuthEvent[]>;
  updateEvent(event: AuthEvent): Promise<void>;
}

export class KyselyRiskStore implements RiskStore {
  constructor(private readonly db: Kysely<Database>) {}

  async getConfiguration(userPoolId: string, clientId: string): Promise<StoredRiskConfiguration | undefined> {
    const row = await this.db
      .selectFrom('risk_configurations')
      .selectAll()
      .where('user_pool_id', '=', userPoolId)
      .where('client_id', '=', clientId)
      .executeTakeFirst();
    return row ? { clientId: row.client_id, configuration: JSON.parse(row.configuration), updatedAt: new Date(Number(row.updated_at)) } : undefined;
  }

  async putConfiguration(userPoolId: string, config: StoredRiskConfiguration): Promise<void> {
    const values = {
      user_pool_id: userPoolId,
      client_id: config.clientId,
      configuration: JSON.stringify(config.configuration),
      updated_at: config.updatedAt.getTime(),
    };
    await this.db
      .insertInto('risk_configurations')
      .values(values)
      .onConflict((oc) => oc.columns(['user_pool_id', 'client_id']).doUpdateSet({ configuration: values.configuration, updated_at: values.updated_at }))
      .execute();
  }

  async insertEvent(event: AuthEvent): Promise<void> {
    await this.db.insertInto('auth_events').values(toRow(event)).execute();
  }

  async getEvent(userPoolId: string, userId: string, id: string): Promise<AuthEvent | undefined> {
    const row = await this.db
      .selectFrom('auth_events')
      .selectAll()
      .where('user_pool_id', '=', userPoolId)
      .where('user_id', '=', userId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? fromRow(row) : undefined;
  }

  async listEvents(userPoolId: string, userId: string, limit: number, before?: { createdAt: number; id: string }): Promise<AuthEvent[]> {
    let query = this.db.selectFrom('auth_events').selectAll().where('user_id', '=', userId).where('user_pool_id', '=', userPoolId);
    if (before) {
      query = query.where((eb) =>
        eb.or([eb('created_at', '<', before.createdAt), eb.and([eb('created_at', '=', before.createdAt), eb('id', '<', before.id)])]),
      );
    }
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
    return rows.map(fromRow);
  }

  async eventsSince(userPoolId: string, userId: string, since: Date, limit: number): Promise<AuthEvent[]> {
    const rows = await this.db
      .selectFrom('auth_events')
      .selectAll()
      .where('user_id', '=', userId)
      .where('user_pool_id', '=', userPoolId)
      .where('created_at', '>=', since.getTime())
      .orderBy('created_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map(fromRow);
  }

  async updateEvent(event: AuthEvent): Promise<void> {
    const { id: _id, user_pool_id: _pool, user_id: _user, created_at: _created, ...values } = toRow(event);
    await this.db.updateTable('auth_events').set(values).where('id', '=', event.id).execute();
  }
}

function toRow(event: AuthEvent): AuthEventsTable {
  return {
    id: event.id,
    user_pool_id: event.userPoolId,
    user_id: event.userId,
    event_type: event.eventType,
    event_response: event.eventResponse,
    risk_decision: event.riskDecision,
    risk_level: event.riskLevel ?? null,
    compromised: event.compromised ? 1 : 0,
    challenges: JSON.stringify(event.challenges),
    ip_address: event.ipAddress ?? null,
    device_key: event.deviceKey ?? null,
    context: JSON.stringify(event.context),
    signals: JSON.stringify(event.signals),
    feedback_value: event.feedback?.value ?? null,
    feedback_provider: event.feedback?.provider ?? null,
    feedback_at: event.feedback?.at.getTime() ?? null,
    created_at: event.createdAt.getTime(),
  };
}

function fromRow(row: AuthEventsTable): AuthEvent {
  return {
    id: row.id,
    userPoolId: row.user_pool_id,
    userId: row.user_id,
    eventType: row.event_type as AuthEvent['eventType'],
    eventResponse: row.event_response as AuthEvent['eventResponse'],
    riskDecision: row.risk_decision as AuthEvent['riskDecision'],
    ...(row.risk_level ? { riskLevel: row.risk_level as AuthEvent['riskLevel'] } : {}),
    compromised: Number(row.compromised) === 1,
    challenges: JSON.parse(row.challenges),
    ...(row.ip_address ? { ipAddress: row.ip_address } : {}),
    ...(row.device_key ? { deviceKey: row.device_key } : {}),
    context: JSON.parse(row.context),
    signals: JSON.parse(row.signals),
    ...(row.feedback_value
      ? { feedback: { value: row.feedback_value as 'Valid' | 'Invalid', provider: row.feedback_provider ?? '', at: new Date(Number(row.feedback_at)) } }
      : {}),
    createdAt: new Date(Number(row.created_at)),
  };
}
