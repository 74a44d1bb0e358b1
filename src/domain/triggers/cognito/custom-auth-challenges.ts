import type { UserPool } from '../../user-pools/user-pool.js';
import type { User } from '../../users/user.js';
import { booleanMember, isRecord, optionalMap, stringMapMember, unrecognizable, type Triggers } from '../triggers.js';
import { eventAttributes } from './user-attributes.js';

// Custom authentication challenges:
//   https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-define-auth-challenge.html
//   https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-create-auth-challenge.html
//   https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-verify-auth-challenge-response.html

/** One entry of `request.session`: a challenge already answered in this sign-in. */
export interface ChallengeResult {
  challengeName: string;
  challengeResult: boolean;
  challengeMetadata?: string;
}

export interface ChallengeCaller {
  pool: UserPool;
  clientId: string;
  /** The user; undefined for an unknown name under PreventUserExistenceErrors (userNotFound). */
  user: User | undefined;
  userName: string;
  clientMetadata: Record<string, string> | undefined;
}

function common(caller: ChallengeCaller) {
  return {
    userAttributes: caller.user ? eventAttributes(caller.user) : {},
    ...(caller.user ? {} : { userNotFound: true }),
  };
}

export interface DefineDecision {
  challengeName?: string;
  issueTokens: boolean;
  failAuthentication: boolean;
}

export async function runDefineAuthChallenge(triggers: Triggers, caller: ChallengeCaller, session: ChallengeResult[]): Promise<DefineDecision> {
  const arn = triggers.arnOf(caller.pool, 'DefineAuthChallenge')!;
  const response = await triggers.run(caller.pool, 'DefineAuthChallenge', arn, {
    userName: caller.user?.username ?? caller.userName,
    clientId: caller.clientId,
    triggerSource: 'DefineAuthChallenge_Authentication',
    request: { ...common(caller), session, ...optionalMap('clientMetadata', caller.clientMetadata) },
    response: { challengeName: null, issueTokens: null, failAuthentication: null },
  });
  const challengeName = response.challengeName;
  if (challengeName !== undefined && challengeName !== null && typeof challengeName !== 'string') throw unrecognizable();
  return {
    ...(typeof challengeName === 'string' && challengeName !== '' ? { challengeName } : {}),
    issueTokens: booleanMember(response, 'issueTokens'),
    failAuthentication: booleanMember(response, 'failAuthentication'),
  };
}

export interface CreatedChallenge {
  publicChallengeParameters: Record<string, string>;
  privateChallengeParameters: Record<string, string>;
  challengeMetadata?: string;
}

export async function runCreateAuthChallenge(
  triggers: Triggers,
  caller: ChallengeCaller,
  challengeName: string,
  session: ChallengeResult[],
): Promise<CreatedChallenge> {
  const arn = triggers.arnOf(caller.pool, 'CreateAuthChallenge');
  if (!arn) throw unrecognizable();
  const response = await triggers.run(caller.pool, 'CreateAuthChallenge', arn, {
    userName: caller.user?.username ?? caller.userName,
    clientId: caller.clientId,
    triggerSource: 'CreateAuthChallenge_Authentication',
    request: { ...common(caller), challengeName, session, ...optionalMap('clientMetadata', caller.clientMetadata) },
    response: { publicChallengeParameters: null, privateChallengeParameters: null, challengeMetadata: null },
  });
  const metadata = response.challengeMetadata;
  if (metadata !== undefined && metadata !== null && typeof metadata !== 'string') throw unrecognizable();
  return {
    publicChallengeParameters: stringMapMember(response, 'publicChallengeParameters') ?? {},
    privateChallengeParameters: stringMapMember(response, 'privateChallengeParameters') ?? {},
    ...(typeof metadata === 'string' ? { challengeMetadata: metadata } : {}),
  };
}

export async function runVerifyAuthChallengeResponse(
  triggers: Triggers,
  caller: ChallengeCaller,
  privateChallengeParameters: Record<string, string>,
  challengeAnswer: string,
): Promise<boolean> {
  const arn = triggers.arnOf(caller.pool, 'VerifyAuthChallengeResponse');
  if (!arn) throw unrecognizable();
  const response = await triggers.run(caller.pool, 'VerifyAuthChallengeResponse', arn, {
    userName: caller.user?.username ?? caller.userName,
    clientId: caller.clientId,
    triggerSource: 'VerifyAuthChallengeResponse_Authentication',
    request: { ...common(caller), privateChallengeParameters, challengeAnswer, ...optionalMap('clientMetadata', caller.clientMetadata) },
    response: { answerCorrect: null },
  });
  return booleanMember(response, 'answerCorrect');
}

/** A stored session history, read back from sealed session state. */
export function sessionHistory(value: unknown): ChallengeResult[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord) as unknown as ChallengeResult[];
}
