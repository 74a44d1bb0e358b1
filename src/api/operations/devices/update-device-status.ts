// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UpdateDeviceStatus.html
// Implemented: remembered / not_remembered; only a remembered device skips MFA.
import type { UpdateDeviceStatusRequest, UpdateDeviceStatusResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const updateDeviceStatus = defineOperation<UpdateDeviceStatusRequest, UpdateDeviceStatusResponse>({
  name: 'UpdateDeviceStatus',
  service: 'idp',
  auth: 'accessToken',
  async handler(input, { services }) {
    await services.devices.updateDeviceStatus(input.AccessToken!, input.DeviceKey!, input.DeviceRememberedStatus);
    return {};
  },
});
