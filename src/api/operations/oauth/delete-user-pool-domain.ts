// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DeleteUserPoolDomain.html
// Implemented: deletion of the pool's prefix or custom domain; the hosted UI stops answering on it
// at once (it stays reachable under the issuer path).
import type { DeleteUserPoolDomainRequest, DeleteUserPoolDomainResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const deleteUserPoolDomain = defineOperation<DeleteUserPoolDomainRequest, DeleteUserPoolDomainResponse>({
  name: 'DeleteUserPoolDomain',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    await services.domains.delete(input.UserPoolId!, input.Domain!);
    return {};
  },
});
