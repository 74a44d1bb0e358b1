import type { LambdaConfigType } from '@aws-sdk/client-cognito-identity-provider';
import { InvalidLambdaResponseException } from '../../generated/exceptions.js';
import type { UserPool } from '../user-pools/user-pool.js';
import type { TriggerInvoker } from './trigger-invoker.js';

/** The LambdaConfig members that name one function each. */
export type TriggerName = Exclude<keyof LambdaConfigType, 'PreTokenGenerationConfig' | 'KMSKeyID'>;

/**
 * `callerContext.clientId` where no app client is involved (AdminCreateUser), as Cognito sends it.
 */
export const CLIENT_ID_NOT_APPLICABLE = 'CLIENT_ID_NOT_APPLICABLE';

/**
 * DEVIATION: Cognito reports the calling SDK's version (`aws-sdk-js-3.x`, …) in
 * callerContext.awsSdkVersion; Frontdesk does not track it and sends Cognito's value for an
 * unknown caller.
 */
export const AWS_SDK_VERSION_UNKNOWN = 'aws-sdk-unknown-unknown';

export interface TriggerCall {
  /** The event's version: "1" except for PreTokenGeneration V2_0 ("2") and V3_0 ("3"). */
  version?: string;
  /** The user's name; null where no user is involved (client-credentials tokens). */
  userName: string | null;
  /** The app client of the request; CLIENT_ID_NOT_APPLICABLE for admin operations without one. */
  clientId: string | undefined;
  triggerSource: string;
  request: Record<string, unknown>;
  response: Record<string, unknown>;
}

/**
 * Builds Cognito's trigger events (the fields every trigger shares: version, region, userPoolId,
 * userName, callerContext, triggerSource, request, response) and runs the pool's function for a
 * trigger. The per-trigger modules in ./cognito shape the request and read the response.
 */
export class Triggers {
  constructor(private readonly deps: { invoker: TriggerInvoker; region: string }) {}

  /** The function ARN the pool configures for the trigger, if any. */
  arnOf(pool: UserPool, trigger: Exclude<TriggerName, 'CustomSMSSender' | 'CustomEmailSender'>): string | undefined {
    const arn = pool.settings.LambdaConfig?.[trigger];
    return typeof arn === 'string' && arn !== '' ? arn : undefined;
  }

  /**
   * Runs the function and answers with the `response` of the event it returned. The answer must
   * be the event (an object); a missing or null `response` reads as an empty one.
   */
  async run(pool: UserPool, trigger: TriggerName, arn: string, call: TriggerCall): Promise<Record<string, unknown>> {
    const event = {
      version: call.version ?? '1',
      triggerSource: call.triggerSource,
      region: this.deps.region,
      userPoolId: pool.id,
      userName: call.userName,
      callerContext: { awsSdkVersion: AWS_SDK_VERSION_UNKNOWN, clientId: call.clientId ?? CLIENT_ID_NOT_APPLICABLE },
      request: call.request,
      response: call.response,
    };
    const returned = await this.deps.invoker.invoke(trigger, arn, event);
    if (!isRecord(returned)) throw unrecognizable();
    const response = returned.response;
    if (response === undefined || response === null) return {};
    if (!isRecord(response)) throw unrecognizable();
    return response;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function unrecognizable(): InvalidLambdaResponseException {
  return new InvalidLambdaResponseException('Unrecognizable lambda output');
}

/** A boolean member of a response: absent or null is `false`; anything else but a boolean is invalid. */
export function booleanMember(response: Record<string, unknown>, name: string): boolean {
  const value = response[name];
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') throw unrecognizable();
  return value;
}

/** An optional string map member (claims, challenge parameters): values must be strings. */
export function stringMapMember(response: Record<string, unknown>, name: string): Record<string, string> | undefined {
  const value = response[name];
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value) || Object.values(value).some((v) => typeof v !== 'string')) throw unrecognizable();
  return value as Record<string, string>;
}

/** ClientMetadata / ValidationData as the event carries them: left out when the call had none. */
export function optionalMap(name: string, map: Record<string, string> | undefined): Record<string, Record<string, string>> {
  return map !== undefined ? { [name]: map } : {};
}
