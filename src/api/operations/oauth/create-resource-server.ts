// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateResourceServer.html
// Implemented: Identifier, Name, Scopes (unique names), the quota of 25 resource servers per pool
// (LimitExceededException), and InvalidParameterException for an identifier the pool already has.
import type { CreateResourceServerRequest, CreateResourceServerResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const createResourceServer = defineOperation<CreateResourceServerRequest, CreateResourceServerResponse>({
  name: 'CreateResourceServer',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    return { ResourceServer: await services.resourceServers.create(input) };
  },
});
