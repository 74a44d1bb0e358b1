// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_StartUserImportJob.html
// Implemented: Created → Pending, then one node of the cluster imports the CSV in the background
// (InProgress → Succeeded / Failed). PreconditionNotMetException when the job is not Created
// (started twice, stopped, expired), when no CSV was uploaded, or when the pool auto-verifies
// neither email nor phone_number (Cognito: "the import job will not start").
import type { StartUserImportJobRequest, StartUserImportJobResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const startUserImportJob = defineOperation<StartUserImportJobRequest, StartUserImportJobResponse>({
  name: 'StartUserImportJob',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    return { UserImportJob: await services.userImports.start(input.UserPoolId!, input.JobId!) };
  },
});
