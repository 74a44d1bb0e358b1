// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ConfirmDevice.html
// Implemented: stores the device SRP verifier and DeviceName for a device from NewDeviceMetadata;
// remembered at once unless DeviceOnlyRememberedOnUserPrompt (then UserConfirmationNecessary: true).
import type { ConfirmDeviceRequest, ConfirmDeviceResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const confirmDevice = defineOperation<ConfirmDeviceRequest, ConfirmDeviceResponse>({
  name: 'ConfirmDevice',
  service: 'idp',
  auth: 'none',
  async handler(input, { services }) {
    return services.devices.confirmDevice(input);
  },
});
