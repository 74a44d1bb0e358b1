// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateGroup.html
// Implemented: Description, RoleArn, Precedence (0 to 2^31-1), GroupExistsException, and the quota
// of 10,000 groups per pool (LimitExceededException).
// DEVIATION: the quota check and the insert are not one transaction, so concurrent creations can
//   overshoot it slightly.
import type { CreateGroupRequest, CreateGroupResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const createGroup = defineOperation<CreateGroupRequest, CreateGroupResponse>({
  name: 'CreateGroup',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    return { Group: await services.groups.create(input) };
  },
});
