import type { UserPoolService } from '../user-pools/user-pool-service.js';
import { customSenderKey, type SenderKeyDerivation } from './cognito/custom-sender.js';

/** FrontdeskAdmin.GetCustomSenderKey: the key a pool's custom sender functions decrypt codes with. */
export class CustomSenderKeys {
  constructor(private readonly deps: { userPools: UserPoolService; mac: SenderKeyDerivation }) {}

  async keyFor(userPoolId: string): Promise<{ kmsKeyId: string; key: Buffer }> {
    return customSenderKey(this.deps.mac, await this.deps.userPools.get(userPoolId));
  }
}
