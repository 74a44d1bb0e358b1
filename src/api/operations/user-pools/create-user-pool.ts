// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPool.html
// Implemented: every member, with Cognito's defaults (password policy, schema, templates, tier).
// DEVIATION: KMS/SNS/SES ARNs are validated and stored but not called; delivery is Frontdesk's.
import type { CreateUserPoolRequest, CreateUserPoolResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';
import { toUserPoolType } from '../../../domain/user-pools/user-pool-view.js';

export const createUserPool = defineOperation<CreateUserPoolRequest, CreateUserPoolResponse>({
  name: 'CreateUserPool',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    const pool = await services.userPools.create(input);
    return { UserPool: toUserPoolType(pool, services.userPools.arnOf(pool.id), 0) };
  },
});
