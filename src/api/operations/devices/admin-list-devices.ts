// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminListDevices.html
// Implemented: as ListDevices, for any user of the pool.
import type { AdminListDevicesRequest, AdminListDevicesResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const adminListDevices = defineOperation<AdminListDevicesRequest, AdminListDevicesResponse>({
  name: 'AdminListDevices',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    return services.devices.adminListDevices(input.UserPoolId!, input.Username!, input.Limit, input.PaginationToken);
  },
});
