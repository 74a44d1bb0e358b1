// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DescribeUserPool.html
// Implemented: the full UserPoolType, with Domain and CustomDomain when the pool has them.
import type { DescribeUserPoolRequest, DescribeUserPoolResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';
import { toUserPoolType } from '../../../domain/user-pools/user-pool-view.js';

export const describeUserPool = defineOperation<DescribeUserPoolRequest, DescribeUserPoolResponse>({
  name: 'DescribeUserPool',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    const pool = await services.userPools.get(input.UserPoolId!);
    const users = await services.userPools.estimatedNumberOfUsers(pool.id);
    const domains = await services.domains.ofPool(pool.id);
    const prefix = domains.find((d) => d.kind === 'prefix')?.domain;
    const custom = domains.find((d) => d.kind === 'custom')?.domain;
    return {
      UserPool: {
        ...toUserPoolType(pool, services.userPools.arnOf(pool.id), users),
        ...(prefix !== undefined ? { Domain: prefix } : {}),
        ...(custom !== undefined ? { CustomDomain: custom } : {}),
      },
    };
  },
});
