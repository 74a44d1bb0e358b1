// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminForgetDevice.html
// Implemented: as ForgetDevice, for any user of the pool.
import type { AdminForgetDeviceRequest } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const adminForgetDevice = defineOperation<AdminForgetDeviceRequest, Record<string, never>>({
  name: 'AdminForgetDevice',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    await services.devices.adminForgetDevice(input.UserPoolId!, input.Username!, input.DeviceKey!);
    return {};
  },
});
