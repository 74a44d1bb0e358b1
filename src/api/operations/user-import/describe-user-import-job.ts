// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DescribeUserImportJob.html
// Implemented: status, dates, ImportedUsers / SkippedUsers / FailedUsers (updated batch by batch
// while the job runs), CompletionMessage. A Created job not started within 24 hours is Expired.
import type { DescribeUserImportJobRequest, DescribeUserImportJobResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const describeUserImportJob = defineOperation<DescribeUserImportJobRequest, DescribeUserImportJobResponse>({
  name: 'DescribeUserImportJob',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    return { UserImportJob: await services.userImports.describe(input.UserPoolId!, input.JobId!) };
  },
});
