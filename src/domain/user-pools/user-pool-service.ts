import type {
  CreateUserPoolRequest,
  GetUserPoolMfaConfigResponse,
  SetUserPoolMfaConfigRequest,
  SetUserPoolMfaConfigResponse,
  UpdateUserPoolRequest,
  SchemaAttributeType,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  ConcurrentModificationException,
  FeatureUnavailableInTierException,
  InvalidParameterException,
  ResourceNotFoundException,
} from '../../generated/exceptions.js';
import { newUserPoolId } from '../../crypto/random.js';
import { SettingsCache } from '../settings-cache.js';
import { decodePageToken, encodePageToken } from '../../store/page-token.js';
import type { DomainDeps } from '../services.js';
import type { MfaSettings, UserPool, UserPoolSettings } from './user-pool.js';
import { addCustomAttributes, buildSchema } from './schema-attributes.js';
import { checkCreateOnlySettings, checkPoolConsistency, normalizeMutableSettings } from './user-pool-settings.js';

/** Each attempt lets at least one concurrent writer through, so this covers ten at once. */
const MAX_WRITE_ATTEMPTS = 10;

/** User pools: creation with Cognito's defaults, reads, updates, deletion. */
export class UserPoolService {
  private readonly cache: SettingsCache<UserPool>;

  constructor(private readonly deps: DomainDeps) {
    this.cache = new SettingsCache();
  }

  arnOf(poolId: string): string {
    return `arn:aws:cognito-idp:${this.deps.config.region}:${this.deps.config.accountId}:userpool/${poolId}`;
  }

  async create(input: CreateUserPoolRequest): Promise<UserPool> {
    checkCreateOnlySettings(input);
    const { PoolName, Schema, UsernameAttributes, AliasAttributes, UsernameConfiguration, ...mutable } = input;
    const settings: UserPoolSettings = {
      ...normalizeMutableSettings(mutable),
      SchemaAttributes: buildSchema(Schema),
      ...(UsernameAttributes?.length ? { UsernameAttributes: [...new Set(UsernameAttributes)] } : {}),
      ...(AliasAttributes?.length ? { AliasAttributes: [...new Set(AliasAttributes)] } : {}),
      ...(UsernameConfiguration ? { UsernameConfiguration } : {}),
    };
    settings.MfaSettings = mfaSettingsAfterUpdate(settings, undefined);
    checkPoolConsistency(settings);
    const now = this.deps.clock.now();
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      const pool: UserPool = {
        id: newUserPoolId(this.deps.config.region),
        name: PoolName!,
        settings,
        version: 1,
        createdAt: now,
        updatedAt: now,
      };
      // A 9-character id collides about never; on a collision, draw again.
      if (await this.deps.store.userPools.insert(pool)) return pool;
    }
    throw new ConcurrentModificationException('Could not allocate a user pool id; try again.');
  }

  async get(poolId: string): Promise<UserPool> {
    const pool = await this.cache.get(poolId, () => this.deps.store.userPools.get(poolId));
    if (!pool) throw new ResourceNotFoundException(`User pool ${poolId} does not exist.`);
    return pool;
  }

  async update(input: UpdateUserPoolRequest): Promise<UserPool> {
    const { UserPoolId, PoolName, ...mutable } = input;
    return this.mutate(UserPoolId!, (pool) => {
      const next: UserPoolSettings = {
        ...normalizeMutableSettings(mutable),
        SchemaAttributes: pool.settings.SchemaAttributes,
        ...pick(pool.settings, ['UsernameAttributes', 'AliasAttributes', 'UsernameConfiguration', 'FrontdeskOptions']),
      };
      next.MfaSettings = mfaSettingsAfterUpdate(next, pool.settings.MfaSettings);
      checkPoolConsistency(next);
      return { name: PoolName ?? pool.name, settings: next };
    });
  }

  async delete(poolId: string): Promise<void> {
    const pool = await this.get(poolId);
    if (pool.settings.DeletionProtection === 'ACTIVE') {
      throw new InvalidParameterException(
        'The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.',
      );
    }
    const deleted = await this.deps.store.userPools.delete(poolId);
    this.cache.forget(poolId);
    if (!deleted) {
      throw new ResourceNotFoundException(`User pool ${poolId} does not exist.`);
    }
  }

  async list(maxResults: number, nextToken?: string): Promise<{ pools: UserPool[]; nextToken?: string }> {
    const after = nextToken === undefined ? undefined : decodePageToken(nextToken);
    if (nextToken !== undefined && after === undefined) throw new InvalidParameterException('Invalid pagination token.');
    const page = await this.deps.store.userPools.list({ limit: maxResults, after });
    return { pools: page.items, nextToken: page.lastKey === undefined ? undefined : encodePageToken(page.lastKey) };
  }

  async addCustomAttributes(poolId: string, attributes: SchemaAttributeType[]): Promise<void> {
    await this.mutate(poolId, (pool) => ({
      name: pool.name,
      settings: { ...pool.settings, SchemaAttributes: addCustomAttributes(pool.settings.SchemaAttributes, attributes) },
    }));
  }

  /** Users in the pool (an exact count; Cognito's is an estimate). */
  async estimatedNumberOfUsers(poolId: string): Promise<number> {
    return this.deps.store.users.count(poolId);
  }

  async getMfaConfig(poolId: string): Promise<GetUserPoolMfaConfigResponse> {
    return toMfaConfig(await this.get(poolId));
  }

  async setMfaConfig(input: SetUserPoolMfaConfigRequest): Promise<SetUserPoolMfaConfigResponse> {
    const pool = await this.mutate(input.UserPoolId!, (current) => {
      if (input.EmailMfaConfiguration && current.settings.UserPoolTier === 'LITE') {
        throw new FeatureUnavailableInTierException('Email MFA is not available in the LITE tier.');
      }
      const previous = current.settings.MfaSettings ?? {};
      // Factors the request leaves out are turned off, as in Cognito; WebAuthn settings persist.
      const mfa: MfaSettings = {
        SmsMfaEnabled: input.SmsMfaConfiguration !== undefined,
        SoftwareTokenMfaEnabled: input.SoftwareTokenMfaConfiguration?.Enabled ?? false,
        EmailMfaEnabled: input.EmailMfaConfiguration !== undefined,
        ...(input.EmailMfaConfiguration ? { EmailMfaConfiguration: input.EmailMfaConfiguration } : {}),
        ...(input.WebAuthnConfiguration ?? previous.WebAuthnConfiguration
          ? { WebAuthnConfiguration: input.WebAuthnConfiguration ?? previous.WebAuthnConfiguration }
          : {}),
      };
      const settings: UserPoolSettings = { ...current.settings, MfaSettings: mfa };
      if (input.MfaConfiguration !== undefined) settings.MfaConfiguration = input.MfaConfiguration;
      if (input.SmsMfaConfiguration?.SmsConfiguration) settings.SmsConfiguration = input.SmsMfaConfiguration.SmsConfiguration;
      if (input.SmsMfaConfiguration?.SmsAuthenticationMessage !== undefined) {
        settings.SmsAuthenticationMessage = input.SmsMfaConfiguration.SmsAuthenticationMessage;
      }
      if (mfa.SmsMfaEnabled && !settings.SmsConfiguration) {
        throw new InvalidParameterException('SMS MFA needs an SmsConfiguration, in SmsMfaConfiguration or on the pool.');
      }
      if (settings.MfaConfiguration !== 'OFF' && !mfa.SmsMfaEnabled && !mfa.SoftwareTokenMfaEnabled && !mfa.EmailMfaEnabled) {
        throw new InvalidParameterException('At least one MFA factor must be enabled when MfaConfiguration is ON or OPTIONAL.');
      }
      checkPoolConsistency(settings);
      return { name: current.name, settings };
    });
    return toMfaConfig(pool);
  }

  /**
   * Read-modify-write under optimistic concurrency: the write only lands if nobody else wrote the
   * pool since it was read; otherwise the change is recomputed from the fresh pool.
   */
  async mutate(poolId: string, change: (pool: UserPool) => { name: string; settings: UserPoolSettings }): Promise<UserPool> {
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      // Always from the database, never the settings cache: a cached copy read just before another
      // writer's update would fail every attempt until it expired.
      const pool = await this.deps.store.userPools.get(poolId);
      if (!pool) throw new ResourceNotFoundException(`User pool ${poolId} does not exist.`);
      const { name, settings } = change(pool);
      const next: UserPool = { ...pool, name, settings, version: pool.version + 1, updatedAt: this.deps.clock.now() };
      const written = await this.deps.store.userPools.update(next);
      this.cache.forget(poolId);
      if (written) return next;
      // A few milliseconds apart, the writers that lost do not collide again in lockstep.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
    }
    throw new ConcurrentModificationException(`User pool ${poolId} is being modified concurrently; try again.`);
  }
}

/** SMS MFA counts as enabled once the pool has MFA on with an SMS configuration, as in Cognito. */
function mfaSettingsAfterUpdate(settings: UserPoolSettings, previous: UserPoolSettings['MfaSettings']) {
  const mfa = { ...previous };
  if (settings.MfaConfiguration !== 'OFF' && settings.SmsConfiguration && !mfa.SoftwareTokenMfaEnabled && !mfa.EmailMfaEnabled) {
    mfa.SmsMfaEnabled = true;
  }
  return mfa;
}

function toMfaConfig(pool: UserPool): GetUserPoolMfaConfigResponse {
  const { settings } = pool;
  const mfa = settings.MfaSettings ?? {};
  return {
    ...(mfa.SmsMfaEnabled
      ? {
          SmsMfaConfiguration: {
            ...(settings.SmsAuthenticationMessage !== undefined ? { SmsAuthenticationMessage: settings.SmsAuthenticationMessage } : {}),
            ...(settings.SmsConfiguration ? { SmsConfiguration: settings.SmsConfiguration } : {}),
          },
        }
      : {}),
    SoftwareTokenMfaConfiguration: { Enabled: mfa.SoftwareTokenMfaEnabled ?? false },
    ...(mfa.EmailMfaEnabled ? { EmailMfaConfiguration: mfa.EmailMfaConfiguration ?? {} } : {}),
    MfaConfiguration: settings.MfaConfiguration ?? 'OFF',
    WebAuthnConfiguration: mfa.WebAuthnConfiguration ?? { UserVerification: 'preferred' },
  };
}

function pick<T extends object, K extends keyof T>(source: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}
