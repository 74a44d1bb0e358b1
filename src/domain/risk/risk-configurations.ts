import type {
  RiskConfigurationType,
  SetRiskConfigurationRequest,
} from '@aws-sdk/client-cognito-identity-provider';
import { InvalidParameterException, ResourceNotFoundException, UserPoolAddOnNotEnabledException } from '../../generated/exceptions.js';
import type { Store } from '../../store/store.js';
import type { Clock } from '../clock.js';
import type { UserPool } from '../user-pools/user-pool.js';
import type { UserPoolService } from '../user-pools/user-pool-service.js';
import type { UserPoolClientService } from '../clients/user-pool-client-service.js';
import { parseRanges } from './ip-ranges.js';

/** The members of a stored risk configuration (Cognito's RiskConfigurationType without ids and date). */
export type RiskSettings = Pick<
  RiskConfigurationType,
  'AccountTakeoverRiskConfiguration' | 'CompromisedCredentialsRiskConfiguration' | 'RiskExceptionConfiguration'
>;

/** Threat protection is on in AUDIT (decide and log) or ENFORCED (decide, log and act) mode. */
export function protectionMode(pool: UserPool): 'OFF' | 'AUDIT' | 'ENFORCED' {
  const mode = pool.settings.UserPoolAddOns?.AdvancedSecurityMode;
  return mode === 'AUDIT' || mode === 'ENFORCED' ? mode : 'OFF';
}

export function requireProtection(pool: UserPool): void {
  if (protectionMode(pool) === 'OFF') {
    throw new UserPoolAddOnNotEnabledException('Threat protection (UserPoolAddOns.AdvancedSecurityMode) is not enabled for this user pool.');
  }
}

/**
 * SetRiskConfiguration / DescribeRiskConfiguration: one configuration for the pool (shown with
 * ClientId "ALL") and optionally one per app client, which then replaces the pool's for that client.
 */
export class RiskConfigurations {
  constructor(private readonly deps: { store: Store; clock: Clock; userPools: UserPoolService; clients: UserPoolClientService }) {}

  async set(input: SetRiskConfigurationRequest): Promise<RiskConfigurationType> {
    const pool = await this.deps.userPools.get(input.UserPoolId!);
    requireProtection(pool);
    if (input.ClientId) await this.requireClient(pool, input.ClientId);
    const exceptions = input.RiskExceptionConfiguration;
    for (const ranges of [exceptions?.BlockedIPRangeList, exceptions?.SkippedIPRangeList]) {
      const parsed = parseRanges(ranges ?? []);
      if ('invalid' in parsed) throw new InvalidParameterException(`Invalid IP range: ${parsed.invalid}`);
    }
    const settings: RiskSettings = {
      ...(input.AccountTakeoverRiskConfiguration ? { AccountTakeoverRiskConfiguration: input.AccountTakeoverRiskConfiguration } : {}),
      ...(input.CompromisedCredentialsRiskConfiguration
        ? { CompromisedCredentialsRiskConfiguration: input.CompromisedCredentialsRiskConfiguration }
        : {}),
      ...(exceptions ? { RiskExceptionConfiguration: exceptions } : {}),
    };
    const updatedAt = this.deps.clock.now();
    await this.deps.store.risk.putConfiguration(pool.id, { clientId: input.ClientId ?? '', configuration: settings, updatedAt });
    return view(pool.id, input.ClientId, settings, updatedAt);
  }

  async describe(poolId: string, clientId: string | undefined): Promise<RiskConfigurationType> {
    const pool = await this.deps.userPools.get(poolId);
    requireProtection(pool);
    if (clientId) await this.requireClient(pool, clientId);
    const stored = await this.deps.store.risk.getConfiguration(pool.id, clientId ?? '');
    if (!stored) return { UserPoolId: pool.id, ...(clientId ? { ClientId: clientId } : {}) };
    return view(pool.id, clientId, stored.configuration as RiskSettings, stored.updatedAt);
  }

  /** What applies to a sign-in through this client: its own configuration, else the pool's. */
  async effective(pool: UserPool, clientId: string): Promise<RiskSettings> {
    const own = await this.deps.store.risk.getConfiguration(pool.id, clientId);
    const stored = own ?? (await this.deps.store.risk.getConfiguration(pool.id, ''));
    return (stored?.configuration ?? {}) as RiskSettings;
  }

  private async requireClient(pool: UserPool, clientId: string): Promise<void> {
    if (!(await this.deps.clients.find(pool.id, clientId))) throw new ResourceNotFoundException(`User pool client ${clientId} does not exist.`);
  }
}

function view(poolId: string, clientId: string | undefined, settings: RiskSettings, updatedAt: Date): RiskConfigurationType {
  return { UserPoolId: poolId, ClientId: clientId ?? 'ALL', ...settings, LastModifiedDate: updatedAt };
}
