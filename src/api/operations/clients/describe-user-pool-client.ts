// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DescribeUserPoolClient.html
// Implemented: the full UserPoolClientType, including ClientSecret when the client has one (as
// Cognito returns it).
import type { DescribeUserPoolClientRequest, DescribeUserPoolClientResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';
import { toUserPoolClientType } from '../../../domain/clients/user-pool-client-view.js';

export const describeUserPoolClient = defineOperation<DescribeUserPoolClientRequest, DescribeUserPoolClientResponse>({
  name: 'DescribeUserPoolClient',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    const client = await services.clients.get(input.UserPoolId!, input.ClientId!);
    return { UserPoolClient: toUserPoolClientType(client) };
  },
});
