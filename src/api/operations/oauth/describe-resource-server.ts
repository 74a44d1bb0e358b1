// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DescribeResourceServer.html
// Implemented: the whole ResourceServerType; ResourceNotFoundException for an unknown identifier.
import type { DescribeResourceServerRequest, DescribeResourceServerResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const describeResourceServer = defineOperation<DescribeResourceServerRequest, DescribeResourceServerResponse>({
  name: 'DescribeResourceServer',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    return { ResourceServer: await services.resourceServers.describe(input.UserPoolId!, input.Identifier!) };
  },
});
