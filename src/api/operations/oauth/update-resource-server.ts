// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UpdateResourceServer.html
// Implemented: Name and Scopes are replaced as a whole (omitted Scopes leave none), as in Cognito.
// Scopes removed here stop being granted at once: tokens carry only scopes that still exist.
import type { UpdateResourceServerRequest, UpdateResourceServerResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const updateResourceServer = defineOperation<UpdateResourceServerRequest, UpdateResourceServerResponse>({
  name: 'UpdateResourceServer',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    return { ResourceServer: await services.resourceServers.update(input) };
  },
});
