// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AddCustomAttributes.html
// Implemented: `custom:` (and `dev:custom:`) attributes with type and constraints, up to 50 per pool.
import type { AddCustomAttributesRequest } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const addCustomAttributes = defineOperation<AddCustomAttributesRequest, Record<string, never>>({
  name: 'AddCustomAttributes',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    await services.userPools.addCustomAttributes(input.UserPoolId!, input.CustomAttributes!);
    return {};
  },
});
