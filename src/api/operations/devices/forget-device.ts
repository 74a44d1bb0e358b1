// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ForgetDevice.html
// Implemented: deletes the device; the next sign-in from it is a new device (MFA again).
import type { ForgetDeviceRequest } from '@aws-sdk/client-cognito-identity-provider';
import { NotAuthorizedException } from '../../../generated/exceptions.js';
import { defineOperation } from '../../operation.js';

export const forgetDevice = defineOperation<ForgetDeviceRequest, Record<string, never>>({
  name: 'ForgetDevice',
  service: 'idp',
  auth: 'accessToken',
  async handler(input, { services }) {
    if (!input.AccessToken) throw new NotAuthorizedException('Missing access token.');
    await services.devices.forgetDevice(input.AccessToken, input.DeviceKey!);
    return {};
  },
});
