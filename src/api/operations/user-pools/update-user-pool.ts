// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UpdateUserPool.html
// Implemented: as in Cognito, members left out of the request return to their defaults; Schema,
// UsernameAttributes, AliasAttributes and UsernameConfiguration cannot change after creation.
import type { UpdateUserPoolRequest, UpdateUserPoolResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const updateUserPool = defineOperation<UpdateUserPoolRequest, UpdateUserPoolResponse>({
  name: 'UpdateUserPool',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    await services.userPools.update(input);
    return {};
  },
});
