// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetCSVHeader.html
// Implemented: the pool's attribute columns in schema order (standard, then custom attributes;
// `sub` and `identities` are never imported), then cognito:mfa_enabled and cognito:username.
import type { GetCSVHeaderRequest, GetCSVHeaderResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const getCsvHeader = defineOperation<GetCSVHeaderRequest, GetCSVHeaderResponse>({
  name: 'GetCSVHeader',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    return { UserPoolId: input.UserPoolId!, CSVHeader: await services.userImports.csvHeader(input.UserPoolId!) };
  },
});
