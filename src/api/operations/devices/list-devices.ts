// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListDevices.html
// Implemented: the user's confirmed devices, Limit (default 10) and PaginationToken.
import type { ListDevicesRequest, ListDevicesResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const listDevices = defineOperation<ListDevicesRequest, ListDevicesResponse>({
  name: 'ListDevices',
  service: 'idp',
  auth: 'accessToken',
  async handler(input, { services }) {
    return services.devices.listDevices(input.AccessToken!, input.Limit, input.PaginationToken);
  },
});
