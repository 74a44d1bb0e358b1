// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminGetDevice.html
// Implemented: as GetDevice, for any user of the pool.
import type { AdminGetDeviceRequest, AdminGetDeviceResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const adminGetDevice = defineOperation<AdminGetDeviceRequest, AdminGetDeviceResponse>({
  name: 'AdminGetDevice',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    return { Device: await services.devices.adminGetDevice(input.UserPoolId!, input.Username!, input.DeviceKey!) };
  },
});
