import type { Store } from '../store/store.js';
import type { Clock } from './clock.js';
import type { Config } from '../config/config.js';
import { UserPoolService } from './user-pools/user-pool-service.js';
import { UserPoolClientService } from './clients/user-pool-client-service.js';

/** The domain services the adapters call. Built once per app from explicit dependencies. */
export interface Services {
  userPools: UserPoolService;
  clients: UserPoolClientService;
}

export interface DomainDeps {
  store: Store;
  clock: Clock;
  config: Pick<Config, 'region' | 'accountId'>;
}

export function createServices(deps: DomainDeps): Services {
  const userPools = new UserPoolService(deps);
  return {
    userPools,
    clients: new UserPoolClientService(deps, userPools),
  };
}
