// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DeleteGroup.html
// Implemented: deletes the group and every membership in it (the users stay); members' next tokens
// no longer carry it.
import type { DeleteGroupRequest } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const deleteGroup = defineOperation<DeleteGroupRequest, Record<string, never>>({
  name: 'DeleteGroup',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    await services.groups.delete(input.UserPoolId!, input.GroupName!);
    return {};
  },
});
