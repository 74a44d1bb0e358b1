// Frontdesk's own API (X-Amz-Target `FrontdeskAdmin.ImportUsers`, SigV4 with the admin
// credentials); beyond Cognito's CSV import jobs, which cannot carry passwords. Writes up to 1000
// transfer-format user records (docs/user-transfer.md) into a pool, keeping their subs, groups,
// attributes and password credentials (Frontdesk's own, or bcrypt / scrypt / Argon2id / PBKDF2
// hashes from other systems, upgraded at the next password sign-in).
// Input: { UserPoolId, Users: [record…], Groups?: [{GroupName, Description?, Precedence?, RoleArn?}],
//          OnConflict?: FAIL (default) | SKIP | OVERWRITE }.
// Output: { Results: [{Index, Username?, Sub?, Status: IMPORTED|OVERWRITTEN|SKIPPED|FAILED, ErrorCode?, Message?}],
//           Imported, Overwritten, Skipped, Failed }. A bad record fails alone, never half-written.
import { defineOperation } from '../../operation.js';
import type { ImportUsersInput, ImportUsersOutput } from '../../../domain/users/transfer/user-import.js';

export const importUsers = defineOperation<ImportUsersInput, ImportUsersOutput>({
  name: 'ImportUsers',
  service: 'admin',
  auth: 'sigv4',
  handler: (input, { services }) => services.userImport.importUsers(input),
});
