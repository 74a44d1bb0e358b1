// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DeleteUserPool.html
// Implemented: refuses while DeletionProtection is ACTIVE; deletes the pool's clients with it.
import type { DeleteUserPoolRequest } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const deleteUserPool = defineOperation<DeleteUserPoolRequest, Record<string, never>>({
  name: 'DeleteUserPool',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    await services.userPools.delete(input.UserPoolId!);
    return {};
  },
});
