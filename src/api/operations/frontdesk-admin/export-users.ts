// Frontdesk's own API (X-Amz-Target `FrontdeskAdmin.ExportUsers`, SigV4 with the admin
// credentials); Cognito has no equivalent (it cannot export password hashes at all). One page of a
// pool's users in the transfer format (docs/user-transfer.md), in username order.
// Input: { UserPoolId, PaginationToken?, MaxResults? (1-1000, default 500) }.
// Output: { Header? (first page only: format, version, pool id, groups), Users: [...], PaginationToken? }.
// The output holds password verifiers and hashes unsealed: treat it as a secret.
import { defineOperation } from '../../operation.js';
import type { ExportUsersInput, ExportUsersOutput } from '../../../domain/users/transfer/user-export.js';

export const exportUsers = defineOperation<ExportUsersInput, ExportUsersOutput>({
  name: 'ExportUsers',
  service: 'admin',
  auth: 'sigv4',
  handler: (input, { services }) => services.userExport.exportUsers(input),
});
