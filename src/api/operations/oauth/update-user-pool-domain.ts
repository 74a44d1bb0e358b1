// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UpdateUserPoolDomain.html
// Implemented: a custom domain's certificate (CustomDomainConfig) and ManagedLoginVersion.
import type { UpdateUserPoolDomainRequest, UpdateUserPoolDomainResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const updateUserPoolDomain = defineOperation<UpdateUserPoolDomainRequest, UpdateUserPoolDomainResponse>({
  name: 'UpdateUserPoolDomain',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    return services.domains.update(input);
  },
});
