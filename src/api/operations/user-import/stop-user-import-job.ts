// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_StopUserImportJob.html
// Implemented: a Pending job no node has taken yet is Stopped at once; an InProgress one becomes
// Stopping and is Stopped after the batch in progress (users already imported stay).
// PreconditionNotMetException for jobs that are not Pending or InProgress.
import type { StopUserImportJobRequest, StopUserImportJobResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const stopUserImportJob = defineOperation<StopUserImportJobRequest, StopUserImportJobResponse>({
  name: 'StopUserImportJob',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    return { UserImportJob: await services.userImports.stop(input.UserPoolId!, input.JobId!) };
  },
});
