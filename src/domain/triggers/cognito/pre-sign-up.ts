import type { UserPool } from '../../user-pools/user-pool.js';
import { booleanMember, optionalMap, type Triggers } from '../triggers.js';

// Pre sign-up: https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-sign-up.html
// Runs before the user exists, so a refusal leaves nothing behind.

export interface PreSignUpDecision {
  autoConfirmUser: boolean;
  autoVerifyEmail: boolean;
  autoVerifyPhone: boolean;
}

export async function runPreSignUp(
  triggers: Triggers,
  pool: UserPool,
  input: {
    triggerSource: 'PreSignUp_SignUp' | 'PreSignUp_AdminCreateUser' | 'PreSignUp_ExternalProvider';
    userName: string;
    clientId: string | undefined;
    userAttributes: Record<string, string>;
    validationData: Record<string, string> | undefined;
    clientMetadata: Record<string, string> | undefined;
  },
): Promise<PreSignUpDecision | undefined> {
  const arn = triggers.arnOf(pool, 'PreSignUp');
  if (!arn) return undefined;
  const response = await triggers.run(pool, 'PreSignUp', arn, {
    userName: input.userName,
    clientId: input.clientId,
    triggerSource: input.triggerSource,
    request: {
      userAttributes: input.userAttributes,
      // Cognito sends null when the call had no ValidationData.
      validationData: input.validationData ?? null,
      ...optionalMap('clientMetadata', input.clientMetadata),
    },
    response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
  });
  return {
    autoConfirmUser: booleanMember(response, 'autoConfirmUser'),
    autoVerifyEmail: booleanMember(response, 'autoVerifyEmail'),
    autoVerifyPhone: booleanMember(response, 'autoVerifyPhone'),
  };
}

/** ValidationData / UserAttributes lists of the API as the string maps events carry. */
export function attributeMap(list: readonly { Name?: string; Value?: string }[] | undefined): Record<string, string> | undefined {
  if (list === undefined) return undefined;
  const map: Record<string, string> = {};
  for (const { Name, Value } of list) if (Name !== undefined) map[Name] = Value ?? '';
  return map;
}
