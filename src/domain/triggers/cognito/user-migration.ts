import type { UserStatusType } from '@aws-sdk/client-cognito-identity-provider';
import type { UserPool } from '../../user-pools/user-pool.js';
import { isRecord, optionalMap, unrecognizable, type Triggers } from '../triggers.js';

// Migrate user: https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-migrate-user.html

export interface MigratedUser {
  attributes: Record<string, string>;
  finalUserStatus: Extract<UserStatusType, 'CONFIRMED' | 'RESET_REQUIRED'>;
  messageAction?: 'SUPPRESS' | 'RESEND';
  desiredDeliveryMediums?: ('EMAIL' | 'SMS')[];
  forceAliasCreation: boolean;
}

/**
 * Asks the function for a user the pool does not have. Answers undefined when it returns no
 * userAttributes (the user is unknown there too); a function that throws refuses the sign-in.
 */
export async function runUserMigration(
  triggers: Triggers,
  pool: UserPool,
  input: {
    triggerSource: 'UserMigration_Authentication' | 'UserMigration_ForgotPassword';
    userName: string;
    clientId: string;
    /** The password of the sign-in (Authentication only). */
    password?: string;
    clientMetadata: Record<string, string> | undefined;
  },
): Promise<MigratedUser | undefined> {
  const arn = triggers.arnOf(pool, 'UserMigration');
  if (!arn) return undefined;
  const authentication = input.triggerSource === 'UserMigration_Authentication';
  const response = await triggers.run(pool, 'UserMigration', arn, {
    userName: input.userName,
    clientId: input.clientId,
    triggerSource: input.triggerSource,
    request: {
      ...(authentication ? { password: input.password ?? '' } : {}),
      // Cognito passes a sign-in's ClientMetadata as validationData, a ForgotPassword's as clientMetadata.
      ...(authentication ? { validationData: input.clientMetadata ?? null } : optionalMap('clientMetadata', input.clientMetadata)),
    },
    response: {
      userAttributes: null,
      finalUserStatus: null,
      messageAction: null,
      desiredDeliveryMediums: null,
      forceAliasCreation: null,
      enableSMSMFA: null,
    },
  });
  const attributes = response.userAttributes;
  if (attributes === undefined || attributes === null) return undefined;
  if (!isRecord(attributes) || Object.values(attributes).some((v) => typeof v !== 'string')) throw unrecognizable();
  const status = response.finalUserStatus ?? 'CONFIRMED';
  if (status !== 'CONFIRMED' && status !== 'RESET_REQUIRED') throw unrecognizable();
  const action = response.messageAction ?? undefined;
  if (action !== undefined && action !== 'SUPPRESS' && action !== 'RESEND') throw unrecognizable();
  const mediums = response.desiredDeliveryMediums ?? undefined;
  if (mediums !== undefined && (!Array.isArray(mediums) || mediums.some((m) => m !== 'EMAIL' && m !== 'SMS'))) throw unrecognizable();
  const force = response.forceAliasCreation ?? false;
  if (typeof force !== 'boolean') throw unrecognizable();
  const enableSmsMfa = response.enableSMSMFA ?? false;
  if (typeof enableSmsMfa !== 'boolean') throw unrecognizable();
  // `username` and `sub` are Cognito's to set; the function's values for them are left out.
  const { username: _ignored, sub: _sub, ...rest } = attributes as Record<string, string>;
  return {
    attributes: rest,
    // Migrating on ForgotPassword always leaves the user to reset the password.
    finalUserStatus: authentication ? status : 'RESET_REQUIRED',
    ...(action ? { messageAction: action } : {}),
    ...(mediums ? { desiredDeliveryMediums: mediums as ('EMAIL' | 'SMS')[] } : {}),
    forceAliasCreation: force,
  };
}
