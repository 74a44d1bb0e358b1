// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetDevice.html
// Implemented: one confirmed device of the user.
import type { GetDeviceRequest, GetDeviceResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const getDevice = defineOperation<GetDeviceRequest, GetDeviceResponse>({
  name: 'GetDevice',
  service: 'idp',
  auth: 'accessToken',
  async handler(input, { services }) {
    return { Device: await services.devices.getDevice(input.AccessToken!, input.DeviceKey!) };
  },
});
