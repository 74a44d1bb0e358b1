// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserImportJob.html
// Implemented: a Created job whose PreSignedUrl (valid 15 minutes, as Cognito's) takes the CSV by
// PUT — see docs/user-import.md. JobId has Cognito's shape `import-<10 alphanumerics>`.
// DEVIATION: the PreSignedUrl points at Frontdesk (<publicUrl>/user-import/<pool>/<job>, signed
// with an HMAC under the master key), not at S3; CloudWatchLogsRoleArn is required and stored, but
// row results go to FrontdeskAdmin.ListUserImportJobErrors instead of CloudWatch Logs.
import type { CreateUserImportJobRequest, CreateUserImportJobResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const createUserImportJob = defineOperation<CreateUserImportJobRequest, CreateUserImportJobResponse>({
  name: 'CreateUserImportJob',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    return { UserImportJob: await services.userImports.create(input.UserPoolId!, input.JobName!, input.CloudWatchLogsRoleArn!) };
  },
});
