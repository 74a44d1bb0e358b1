import type { DomainDeps } from '../services.js';
import type { UserPoolService } from '../user-pools/user-pool-service.js';

/** App clients of a pool: creation with defaults and validation, updates, secrets. */
export class UserPoolClientService {
  constructor(
    private readonly deps: DomainDeps,
    private readonly userPools: UserPoolService,
  ) {}
}
