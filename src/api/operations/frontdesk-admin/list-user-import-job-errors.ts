// Frontdesk's own API (X-Amz-Target `FrontdeskAdmin.ListUserImportJobErrors`, SigV4): the lines of
// an import job that were not imported, with their line numbers (1 is the header), result and
// reason — what Cognito writes to the job's CloudWatch Logs stream.
// DEVIATION: only lines that failed or were skipped are kept, and only a job's first 1,000.
// Input: { UserPoolId, JobId, MaxResults? (1-1000, default 100), NextToken? }.
// Output: { Errors: [{ LineNumber, Result: 'FAILED' | 'SKIPPED', Message }], NextToken? }.
import { defineOperation } from '../../operation.js';

interface Input {
  UserPoolId: string;
  JobId: string;
  MaxResults?: number;
  NextToken?: string;
}

export const listUserImportJobErrors = defineOperation<Input, unknown>({
  name: 'ListUserImportJobErrors',
  service: 'admin',
  auth: 'sigv4',
  async handler(input, { services }) {
    return services.userImports.errors(input.UserPoolId, input.JobId, input.MaxResults, input.NextToken);
  },
});
