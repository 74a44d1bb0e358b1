// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DescribeUserPoolDomain.html
// Implemented: DomainDescription of a prefix or custom domain; an empty one for an unknown domain,
// as Cognito answers.
import type { DescribeUserPoolDomainRequest, DescribeUserPoolDomainResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const describeUserPoolDomain = defineOperation<DescribeUserPoolDomainRequest, DescribeUserPoolDomainResponse>({
  name: 'DescribeUserPoolDomain',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    return { DomainDescription: await services.domains.describe(input.Domain!) };
  },
});
