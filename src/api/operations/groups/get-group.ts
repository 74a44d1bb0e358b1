// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetGroup.html
// Implemented: the group, or ResourceNotFoundException "Group not found.".
import type { GetGroupRequest, GetGroupResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const getGroup = defineOperation<GetGroupRequest, GetGroupResponse>({
  name: 'GetGroup',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    return { Group: await services.groups.get(input.UserPoolId!, input.GroupName!) };
  },
});
