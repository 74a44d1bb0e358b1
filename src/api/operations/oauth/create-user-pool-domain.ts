// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolDomain.html
// Implemented: prefix domains (served at <prefix>.<hostedUiBaseDomain>) and custom domains (with
// CustomDomainConfig; served for requests whose Host is the domain), ManagedLoginVersion, one domain
// of each kind per pool, domains unique across pools, Cognito's reserved words.
// DEVIATION: see src/domain/oauth/user-pool-domain-service.ts (ACTIVE at once, no CloudFront).
import type { CreateUserPoolDomainRequest, CreateUserPoolDomainResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const createUserPoolDomain = defineOperation<CreateUserPoolDomainRequest, CreateUserPoolDomainResponse>({
  name: 'CreateUserPoolDomain',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    return services.domains.create(input);
  },
});
