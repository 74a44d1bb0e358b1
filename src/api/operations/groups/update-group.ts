// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UpdateGroup.html
// Implemented: Description, RoleArn and Precedence; members the request leaves out keep their
// values (unlike UpdateUserPool, UpdateGroup does not reset them). LastModifiedDate moves.
// DEVIATION: a member cannot be cleared (Cognito offers no way either: there is no null on the wire).
import type { UpdateGroupRequest, UpdateGroupResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const updateGroup = defineOperation<UpdateGroupRequest, UpdateGroupResponse>({
  name: 'UpdateGroup',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    return { Group: await services.groups.update(input) };
  },
});
