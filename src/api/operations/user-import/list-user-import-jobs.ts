// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListUserImportJobs.html
// Implemented: MaxResults (1-60, required) and opaque PaginationToken pagination.
// DEVIATION: jobs come newest first (Cognito documents no order).
import type { ListUserImportJobsRequest, ListUserImportJobsResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const listUserImportJobs = defineOperation<ListUserImportJobsRequest, ListUserImportJobsResponse>({
  name: 'ListUserImportJobs',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    const { jobs, next } = await services.userImports.list(input.UserPoolId!, input.MaxResults!, input.PaginationToken);
    return { UserImportJobs: jobs, ...(next ? { PaginationToken: next } : {}) };
  },
});
