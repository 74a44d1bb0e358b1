import { randomUUID } from 'node:crypto';
import type {
  ConfirmDeviceRequest,
  ConfirmDeviceResponse,
  DeviceRememberedStatusType,
  DeviceType,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  DeviceKeyExistsException,
  InvalidParameterException,
  InvalidUserPoolConfigurationException,
  ResourceNotFoundException,
  UserNotFoundException,
} from '../../generated/exceptions.js';
import { parseDeviceSecretVerifierConfig } from '../../crypto/srp/index.js';
import { randomString } from '../../crypto/random.js';
import type { Device } from '../../store/device-store.js';
import type { Store } from '../../store/store.js';
import { decodePageToken, encodePageToken } from '../../store/page-token.js';
import type { Clock } from '../clock.js';
import type { AccessTokenGuard } from '../users/access-token-guard.js';
import type { UserDirectory } from '../users/user-directory.js';
import type { User } from '../users/user.js';
import type { UserPool } from '../user-pools/user-pool.js';
import type { UserPoolService } from '../user-pools/user-pool-service.js';
import { toDeviceType } from './device-views.js';

const MIXED_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const DEFAULT_LIST_LIMIT = 10;
/** Clients confirm a new device right after sign-in; records never confirmed go after a day. */
const UNCONFIRMED_LIFETIME_MS = 24 * 60 * 60 * 1000;

export interface DeviceServiceDeps {
  store: Store;
  clock: Clock;
  guard: AccessTokenGuard;
  userPools: UserPoolService;
  users: UserDirectory;
  /** The region, for Cognito-shaped device keys (`<region>_<uuid>`). */
  region: string;
}

/** A user's devices, as the user (AccessToken) or an administrator sees them. */
interface Owner {
  pool: UserPool;
  user: User;
}

/**
 * Device tracking: the device record a sign-in creates (NewDeviceMetadata), ConfirmDevice's SRP
 * verifier, remembering and forgetting, and the list/get operations with their Admin twins.
 */
export class DeviceService {
  constructor(private readonly deps: DeviceServiceDeps) {}

  /** Whether the pool tracks devices at all (it has a DeviceConfiguration). */
  tracks(pool: UserPool): boolean {
    return pool.settings.DeviceConfiguration !== undefined;
  }

  /** A new device for a sign-in from an unknown device: its key and group key go out as NewDeviceMetadata. */
  async create(pool: UserPool, user: User, ip?: string): Promise<Device> {
    const now = this.deps.clock.now();
    const device: Device = {
      key: `${this.deps.region}_${randomUUID()}`,
      userPoolId: pool.id,
      userId: user.id,
      groupKey: `-${randomString(9, MIXED_ALNUM)}`,
      remembered: false,
      attributes: ip ? { last_ip_used: ip } : {},
      createdAt: now,
      lastModifiedAt: now,
      lastAuthenticatedAt: now,
    };
    await this.deps.store.devices.insert(device);
    // Sign-ins by clients that never confirm devices would otherwise pile up records.
    await this.deps.store.devices.deleteUnconfirmed(pool.id, user.id, new Date(now.getTime() - UNCONFIRMED_LIFETIME_MS));
    return device;
  }

  /** The user's confirmed device with this key, or undefined. */
  async confirmedDevice(pool: UserPool, user: User, key: string): Promise<Device | undefined> {
    const device = await this.deps.store.devices.get(pool.id, key);
    return device && device.userId === user.id && device.verifier ? device : undefined;
  }

  /** Records a sign-in from a device (and the address it came from). */
  async touch(device: Device, ip?: string): Promise<void> {
    const attributes = ip ? { ...device.attributes, last_ip_used: ip } : device.attributes;
    await this.deps.store.devices.update({ ...device, attributes, lastAuthenticatedAt: this.deps.clock.now() });
  }

  async confirmDevice(input: ConfirmDeviceRequest): Promise<ConfirmDeviceResponse> {
    const { pool, user } = await this.deps.guard.authenticate(input.AccessToken!);
    if (!this.tracks(pool)) throw new InvalidUserPoolConfigurationException('Device tracking is not enabled for this user pool.');
    const device = await this.deps.store.devices.get(pool.id, input.DeviceKey!);
    if (!device || device.userId !== user.id) throw new ResourceNotFoundException('Device does not exist.');
    if (device.verifier) throw new DeviceKeyExistsException('Device already exists.');
    const secret = parseDeviceSecretVerifierConfig(input.DeviceSecretVerifierConfig ?? {});
    if (!secret) throw new InvalidParameterException('Invalid DeviceSecretVerifierConfig: Salt and PasswordVerifier must be base64 SRP values.');
    const promptFirst = pool.settings.DeviceConfiguration?.DeviceOnlyRememberedOnUserPrompt === true;
    const confirmed: Device = {
      ...device,
      salt: secret.salt,
      verifier: secret.verifier,
      // DeviceOnlyRememberedOnUserPrompt: the app asks the user, then calls UpdateDeviceStatus.
      remembered: !promptFirst,
      attributes: { ...device.attributes, ...(input.DeviceName ? { device_name: input.DeviceName } : {}) },
      lastModifiedAt: this.deps.clock.now(),
    };
    if (!(await this.deps.store.devices.update(confirmed))) throw new ResourceNotFoundException('Device does not exist.');
    return { UserConfirmationNecessary: promptFirst };
  }

  async listDevices(accessToken: string, limit?: number, paginationToken?: string) {
    return this.list(await this.deps.guard.authenticate(accessToken), limit, paginationToken);
  }

  async adminListDevices(poolId: string, username: string, limit?: number, paginationToken?: string) {
    return this.list(await this.adminOwner(poolId, username), limit, paginationToken);
  }

  async getDevice(accessToken: string, key: string): Promise<DeviceType> {
    return toDeviceType(await this.deviceOf(await this.deps.guard.authenticate(accessToken), key));
  }

  async adminGetDevice(poolId: string, username: string, key: string): Promise<DeviceType> {
    return toDeviceType(await this.deviceOf(await this.adminOwner(poolId, username), key));
  }

  async updateDeviceStatus(accessToken: string, key: string, status: DeviceRememberedStatusType | undefined): Promise<void> {
    await this.setStatus(await this.deps.guard.authenticate(accessToken), key, status);
  }

  async adminUpdateDeviceStatus(poolId: string, username: string, key: string, status: DeviceRememberedStatusType | undefined) {
    await this.setStatus(await this.adminOwner(poolId, username), key, status);
  }

  async forgetDevice(accessToken: string, key: string): Promise<void> {
    await this.forget(await this.deps.guard.authenticate(accessToken), key);
  }

  async adminForgetDevice(poolId: string, username: string, key: string): Promise<void> {
    await this.forget(await this.adminOwner(poolId, username), key);
  }

  private async list(owner: Owner, limit = DEFAULT_LIST_LIMIT, paginationToken?: string) {
    const after = paginationToken === undefined ? undefined : decodePageToken(paginationToken);
    if (paginationToken !== undefined && typeof after !== 'string') throw new InvalidParameterException('Invalid pagination token.');
    // Only confirmed devices are tracked ones; a sign-in's unconfirmed device record is not listed.
    const page = await this.deps.store.devices.list(owner.pool.id, owner.user.id, limit + 1, after);
    const shown = page.slice(0, limit);
    const more = page.length > limit;
    return {
      Devices: shown.map(toDeviceType),
      ...(more ? { PaginationToken: encodePageToken(shown[shown.length - 1]!.key) } : {}),
    };
  }

  private async deviceOf(owner: Owner, key: string): Promise<Device> {
    const device = await this.deps.store.devices.get(owner.pool.id, key);
    if (!device || device.userId !== owner.user.id || !device.verifier) throw new ResourceNotFoundException('Device does not exist.');
    return device;
  }

  private async setStatus(owner: Owner, key: string, status: DeviceRememberedStatusType | undefined): Promise<void> {
    const device = await this.deviceOf(owner, key);
    if (status !== undefined && status !== 'remembered' && status !== 'not_remembered') {
      throw new InvalidParameterException('DeviceRememberedStatus must be remembered or not_remembered.');
    }
    await this.deps.store.devices.update({ ...device, remembered: status === 'remembered', lastModifiedAt: this.deps.clock.now() });
  }

  private async forget(owner: Owner, key: string): Promise<void> {
    await this.deviceOf(owner, key);
    if (!(await this.deps.store.devices.delete(owner.pool.id, key))) throw new ResourceNotFoundException('Device does not exist.');
  }

  private async adminOwner(poolId: string, username: string): Promise<Owner> {
    const pool = await this.deps.userPools.get(poolId);
    const user = await this.deps.users.find(pool, username);
    if (!user) throw new UserNotFoundException('User does not exist.');
    return { pool, user };
  }
}
