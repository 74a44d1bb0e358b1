import { InvalidParameterException, NotAuthorizedException } from '../../generated/exceptions.js';
import { isAcceptableSrpA, newSecretBlock } from '../../crypto/srp/index.js';
import { startSrpChallengeAsync, verifyPasswordClaimAsync } from '../../crypto/srp/srp-pool.js';
import { checkSecretHash } from '../clients/secret-hash.js';
import type { Clock } from '../clock.js';
import type { UserDirectory } from '../users/user-directory.js';
import type { User } from '../users/user.js';
import type { AuthContext, AuthService, AuthStep, FirstFactorHook } from '../auth/auth-service.js';
import type { SessionState } from '../auth/auth-session.js';
import type { Lockout } from '../auth/lockout.js';
import type { DeviceService } from './device-service.js';

export interface DeviceChallengeDeps {
  devices: DeviceService;
  users: UserDirectory;
  lockout: Lockout;
  clock: Clock;
  /** What follows a proven device when the pool does not let remembered devices skip MFA. */
  afterDevice: FirstFactorHook;
}

/**
 * Remembered devices in sign-in. A client that presents the DEVICE_KEY of a confirmed,
 * remembered device proves the device's secret with Cognito's device SRP (DEVICE_SRP_AUTH →
 * DEVICE_PASSWORD_VERIFIER: the user SRP with DeviceGroupKey as the realm and DeviceKey as the
 * identity); with ChallengeRequiredOnNewDevice that replaces the MFA challenge. Tokens from a
 * known device are bound to it (refreshes must name it); a sign-in from an unknown device gets
 * NewDeviceMetadata for ConfirmDevice.
 */
export class DeviceChallenges {
  constructor(private readonly deps: DeviceChallengeDeps) {}

  /** Plugs into the state machine; register before MFA, so a remembered device is asked first. */
  register(auth: AuthService): void {
    auth.addFirstFactorHook((ctx, user) => this.afterFirstFactor(ctx, user));
    auth.registerChallenge('DEVICE_SRP_AUTH', (ctx, responses, state) => this.answerDeviceSrp(ctx, responses, state));
    auth.registerChallenge('DEVICE_PASSWORD_VERIFIER', (ctx, responses, state) => this.answerDeviceVerifier(ctx, responses, state));
    auth.addIssueHook((ctx, user) => this.onIssue(ctx, user));
  }

  private async afterFirstFactor(ctx: AuthContext, user: User): Promise<AuthStep | undefined> {
    if (!ctx.deviceKey || !this.deps.devices.tracks(ctx.pool)) return undefined;
    const device = await this.deps.devices.confirmedDevice(ctx.pool, user, ctx.deviceKey);
    // DEVIATION: an unknown DEVICE_KEY is treated as a new device (Cognito answers
    // ResourceNotFoundException, which the clients then retry without the key).
    if (device) ctx.knownDevice = true;
    if (!device || !device.remembered) return undefined;
    return {
      kind: 'challenge',
      name: 'DEVICE_SRP_AUTH',
      parameters: { USERNAME: user.username },
      state: { challenge: 'DEVICE_SRP_AUTH', userId: user.id, signInName: user.username, deviceKey: device.key },
    };
  }

  private async answerDeviceSrp(ctx: AuthContext, responses: Record<string, string>, state: SessionState): Promise<AuthStep> {
    const user = await this.userOf(ctx, responses, state);
    const srpA = responses.SRP_A;
    if (!srpA) throw new InvalidParameterException('Missing required parameter SRP_A');
    if (responses.DEVICE_KEY !== state.deviceKey) throw new NotAuthorizedException('Invalid device key given.');
    const device = await this.deps.devices.confirmedDevice(ctx.pool, user, state.deviceKey as string);
    if (!device) throw new NotAuthorizedException('Invalid device key given.');
    if (!isAcceptableSrpA(srpA)) throw new NotAuthorizedException('Incorrect username or password.');
    const { serverSecret, srpB } = await startSrpChallengeAsync(device.verifier!);
    const secretBlock = newSecretBlock();
    return {
      kind: 'challenge',
      name: 'DEVICE_PASSWORD_VERIFIER',
      parameters: { SRP_B: srpB, SALT: device.salt!, SECRET_BLOCK: secretBlock, USERNAME: user.username, DEVICE_KEY: device.key },
      state: {
        challenge: 'DEVICE_PASSWORD_VERIFIER',
        userId: user.id,
        signInName: state.signInName,
        deviceKey: device.key,
        srpA,
        serverSecret,
        srpB,
        secretBlock,
        verifier: device.verifier!,
      },
    };
  }

  private async answerDeviceVerifier(ctx: AuthContext, responses: Record<string, string>, state: SessionState): Promise<AuthStep> {
    const user = await this.userOf(ctx, responses, state);
    if (responses.DEVICE_KEY !== undefined && responses.DEVICE_KEY !== state.deviceKey) throw new NotAuthorizedException('Invalid device key given.');
    if (responses.PASSWORD_CLAIM_SECRET_BLOCK !== state.secretBlock) throw new NotAuthorizedException('Incorrect username or password.');
    await this.deps.lockout.check(ctx.pool.id, user.id);
    const device = await this.deps.devices.confirmedDevice(ctx.pool, user, state.deviceKey as string);
    const proven =
      device !== undefined &&
      device.verifier === state.verifier &&
      (await verifyPasswordClaimAsync({
        poolShortName: device.groupKey,
        userIdForSrp: device.key,
        srpA: state.srpA as string,
        serverSecret: state.serverSecret as string,
        srpB: state.srpB as string,
        verifier: state.verifier as string,
        secretBlock: state.secretBlock as string,
        timestamp: responses.TIMESTAMP ?? '',
        signature: responses.PASSWORD_CLAIM_SIGNATURE ?? '',
        now: this.deps.clock.now(),
      }));
    if (!proven) {
      await this.deps.lockout.recordFailure(ctx.pool.id, user.id);
      throw new NotAuthorizedException('Incorrect username or password.');
    }
    ctx.knownDevice = true;
    // A remembered device stands in for the second factor only where the pool says so.
    if (!ctx.pool.settings.DeviceConfiguration?.ChallengeRequiredOnNewDevice) {
      const next = await this.deps.afterDevice(ctx, user);
      if (next) return next;
    }
    return { kind: 'authenticated', user, authTime: this.deps.clock.now() };
  }

  /** Tokens from a confirmed device are bound to it; an unknown device gets NewDeviceMetadata. */
  private async onIssue(ctx: AuthContext, user: User) {
    if (!this.deps.devices.tracks(ctx.pool)) return undefined;
    if (ctx.deviceKey) {
      const known = await this.deps.devices.confirmedDevice(ctx.pool, user, ctx.deviceKey);
      if (known) {
        await this.deps.devices.touch(known, ctx.sourceIp);
        return { deviceKey: known.key };
      }
    }
    const created = await this.deps.devices.create(ctx.pool, user, ctx.sourceIp);
    return { result: { NewDeviceMetadata: { DeviceKey: created.key, DeviceGroupKey: created.groupKey } } };
  }

  private async userOf(ctx: AuthContext, responses: Record<string, string>, state: SessionState): Promise<User> {
    const user = state.userId ? await this.deps.users.byId(ctx.pool, state.userId) : undefined;
    if (!user) throw new NotAuthorizedException('Invalid session for the user.');
    if (!user.enabled) throw new NotAuthorizedException('User is disabled.');
    const named = responses.USERNAME;
    if (!named) throw new InvalidParameterException('Missing required parameter USERNAME');
    if (named !== user.username && named !== state.signInName) {
      const byName = await this.deps.users.find(ctx.pool, named);
      if (byName?.id !== user.id) throw new NotAuthorizedException('Invalid session for the user.');
    }
    checkSecretHash(ctx.client, responses.SECRET_HASH, [named, user.username, state.signInName]);
    return user;
  }
}
