// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminUpdateDeviceStatus.html
// Implemented: as UpdateDeviceStatus, for any user of the pool.
import type { AdminUpdateDeviceStatusRequest, AdminUpdateDeviceStatusResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const adminUpdateDeviceStatus = defineOperation<AdminUpdateDeviceStatusRequest, AdminUpdateDeviceStatusResponse>({
  name: 'AdminUpdateDeviceStatus',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    await services.devices.adminUpdateDeviceStatus(input.UserPoolId!, input.Username!, input.DeviceKey!, input.DeviceRememberedStatus);
    return {};
  },
});
