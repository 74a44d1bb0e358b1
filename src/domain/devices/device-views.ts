import type { DeviceType } from '@aws-sdk/client-cognito-identity-provider';
import type { Device } from '../../store/device-store.js';

/** Cognito's DeviceType: key, dates and the device attributes (status, name, remembered status, last IP). */
export function toDeviceType(device: Device): DeviceType {
  const attributes = [
    { Name: 'device_status', Value: 'valid' },
    ...(device.attributes.device_name ? [{ Name: 'device_name', Value: device.attributes.device_name }] : []),
    { Name: 'device_remembered_status', Value: device.remembered ? 'remembered' : 'not_remembered' },
    ...(device.attributes.last_ip_used ? [{ Name: 'last_ip_used', Value: device.attributes.last_ip_used }] : []),
  ];
  return {
    DeviceKey: device.key,
    DeviceAttributes: attributes,
    DeviceCreateDate: device.createdAt,
    DeviceLastModifiedDate: device.lastModifiedAt,
    DeviceLastAuthenticatedDate: device.lastAuthenticatedAt,
  };
}
