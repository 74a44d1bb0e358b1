import {
  InvalidParameterException,
  NotAuthorizedException,
  UserNotFoundException,
} from '../../../generated/exceptions.js';
import { checkSecretHash } from '../../clients/secret-hash.js';
import type { UserDirectory } from '../../users/user-directory.js';
import type { User } from '../../users/user.js';
import type { Triggers } from '../../triggers/triggers.js';
import {
  runCreateAuthChallenge,
  runDefineAuthChallenge,
  runVerifyAuthChallengeResponse,
  sessionHistory,
  type ChallengeCaller,
  type ChallengeResult,
} from '../../triggers/cognito/custom-auth-challenges.js';
import type { AuthContext, AuthStep, ChallengeHandler } from '../auth-service.js';
import type { SessionState } from '../auth-session.js';
import type { SrpSignIn } from './srp-sign-in.js';

/** Custom-auth rounds one sign-in may take before Cognito-style failure (a runaway Define). */
export const MAX_CUSTOM_ROUNDS = 16;

/** What a custom-auth session carries between steps (sealed with the rest of the session state). */
interface CustomAuthState {
  history: ChallengeResult[];
  privateChallengeParameters?: Record<string, string>;
  challengeMetadata?: string;
}

const failed = () => new NotAuthorizedException('Incorrect username or password.');

/**
 * CUSTOM_AUTH, driven by the pool's DefineAuthChallenge, CreateAuthChallenge and
 * VerifyAuthChallengeResponse functions: Define reads the session history and picks the next
 * challenge (CUSTOM_CHALLENGE, or PASSWORD_VERIFIER for SRP), issues tokens or fails; Create makes
 * a CUSTOM_CHALLENGE (public parameters go to the client, private ones stay in the sealed
 * session); Verify judges each ANSWER. CUSTOM_WITH_SRP starts with SRP_A (AuthParameters
 * CHALLENGE_NAME=SRP_A and SRP_A): the SRP proof is a round of the history like any other.
 */
export class CustomAuthFlow {
  constructor(private readonly deps: { triggers: Triggers; users: UserDirectory; srp: SrpSignIn }) {}

  /** Registers the challenge handlers with the sign-in engine. */
  register(auth: { registerChallenge(name: string, handler: ChallengeHandler): void }): void {
    auth.registerChallenge('CUSTOM_CHALLENGE', (ctx, responses, state) => this.answer(ctx, responses, state));
    // SRP inside CUSTOM_WITH_SRP: a proven password is one more round for Define, not the end.
    auth.registerChallenge('PASSWORD_VERIFIER', async (ctx, responses, state) => {
      const step = await this.deps.srp.answer(ctx, responses, state);
      const custom = state.customAuth as CustomAuthState | undefined;
      if (!custom || step.kind !== 'firstFactor') return step;
      const history = [...sessionHistory(custom.history), { challengeName: 'PASSWORD_VERIFIER', challengeResult: true }];
      return this.next(ctx, this.caller(ctx, step.user, state.signInName), history);
    });
  }

  /** InitiateAuth / AdminInitiateAuth with AuthFlow CUSTOM_AUTH. */
  async start(ctx: AuthContext, parameters: Record<string, string>): Promise<AuthStep> {
    const name = parameters.USERNAME;
    if (!name) throw new InvalidParameterException('Missing required parameter USERNAME');
    if (!this.deps.triggers.arnOf(ctx.pool, 'DefineAuthChallenge')) {
      throw new InvalidParameterException('Custom auth lambda trigger is not configured for the user pool.');
    }
    const user = await this.deps.users.find(ctx.pool, name);
    checkSecretHash(ctx.client, parameters.SECRET_HASH, [name, ...(user ? [user.username] : [])]);
    if (!user && ctx.client.settings.PreventUserExistenceErrors !== 'ENABLED') throw new UserNotFoundException('User does not exist.');
    if (user && !user.enabled) throw new NotAuthorizedException('User is disabled.');

    if (parameters.CHALLENGE_NAME === 'SRP_A' || parameters.SRP_A !== undefined) {
      // CUSTOM_WITH_SRP: Define sees SRP_A first; if it asks for PASSWORD_VERIFIER the SRP step runs.
      const history: ChallengeResult[] = [{ challengeName: 'SRP_A', challengeResult: true }];
      const decision = await runDefineAuthChallenge(this.deps.triggers, this.caller(ctx, user, name), history);
      if (decision.failAuthentication) throw failed();
      if (decision.challengeName !== 'PASSWORD_VERIFIER') return this.afterDefine(ctx, this.caller(ctx, user, name), history, decision);
      const step = await this.deps.srp.start(ctx, parameters);
      if (step.kind !== 'challenge' || !step.state) return step;
      return { ...step, state: { ...step.state, customAuth: { history } satisfies CustomAuthState } };
    }
    return this.next(ctx, this.caller(ctx, user, name), []);
  }

  /** RespondToAuthChallenge with CUSTOM_CHALLENGE: Verify judges the ANSWER, then Define decides. */
  private async answer(ctx: AuthContext, responses: Record<string, string>, state: SessionState): Promise<AuthStep> {
    const custom = state.customAuth as CustomAuthState | undefined;
    if (!custom) throw new NotAuthorizedException('Invalid session for the user.');
    const answer = responses.ANSWER;
    if (answer === undefined) throw new InvalidParameterException('Missing required parameter ANSWER');
    const user = state.userId ? await this.deps.users.byId(ctx.pool, state.userId) : undefined;
    if (state.userId && !user) throw new NotAuthorizedException('Invalid session for the user.');
    const named = responses.USERNAME;
    if (!named) throw new InvalidParameterException('Missing required parameter USERNAME');
    if (named !== state.signInName && named !== user?.username) throw new NotAuthorizedException('Invalid session for the user.');
    checkSecretHash(ctx.client, responses.SECRET_HASH, [named, state.signInName, ...(user ? [user.username] : [])]);
    if (user && !user.enabled) throw new NotAuthorizedException('User is disabled.');

    const caller = this.caller(ctx, user, state.signInName);
    const correct = await runVerifyAuthChallengeResponse(this.deps.triggers, caller, custom.privateChallengeParameters ?? {}, answer);
    const history: ChallengeResult[] = [
      ...sessionHistory(custom.history),
      {
        challengeName: 'CUSTOM_CHALLENGE',
        // An unknown user's answer is never right, whatever the function says.
        challengeResult: correct && user !== undefined,
        ...(custom.challengeMetadata !== undefined ? { challengeMetadata: custom.challengeMetadata } : {}),
      },
    ];
    return this.next(ctx, caller, history);
  }

  /** Asks Define what follows the history, and carries it out. */
  private async next(ctx: AuthContext, caller: ChallengeCaller, history: ChallengeResult[]): Promise<AuthStep> {
    if (history.length >= MAX_CUSTOM_ROUNDS) throw failed();
    const decision = await runDefineAuthChallenge(this.deps.triggers, caller, history);
    return this.afterDefine(ctx, caller, history, decision);
  }

  private async afterDefine(
    ctx: AuthContext,
    caller: ChallengeCaller,
    history: ChallengeResult[],
    decision: Awaited<ReturnType<typeof runDefineAuthChallenge>>,
  ): Promise<AuthStep> {
    if (decision.failAuthentication) throw failed();
    if (decision.issueTokens) {
      if (!caller.user) throw failed();
      return { kind: 'firstFactor', user: caller.user };
    }
    if (decision.challengeName !== 'CUSTOM_CHALLENGE') {
      // DEVIATION: within a custom flow Frontdesk runs CUSTOM_CHALLENGE rounds, and
      // PASSWORD_VERIFIER only as the step after SRP_A (CUSTOM_WITH_SRP).
      throw new NotAuthorizedException('Incorrect username or password.');
    }
    const created = await runCreateAuthChallenge(this.deps.triggers, caller, 'CUSTOM_CHALLENGE', history);
    const state: SessionState = {
      challenge: 'CUSTOM_CHALLENGE',
      signInName: caller.userName,
      ...(caller.user ? { userId: caller.user.id } : { decoy: true }),
      customAuth: {
        history,
        privateChallengeParameters: created.privateChallengeParameters,
        ...(created.challengeMetadata !== undefined ? { challengeMetadata: created.challengeMetadata } : {}),
      } satisfies CustomAuthState,
    };
    return {
      kind: 'challenge',
      name: 'CUSTOM_CHALLENGE',
      parameters: { ...created.publicChallengeParameters, USERNAME: caller.user?.username ?? caller.userName },
      state,
    };
  }

  private caller(ctx: AuthContext, user: User | undefined, userName: string): ChallengeCaller {
    return { pool: ctx.pool, clientId: ctx.client.id, user, userName, clientMetadata: ctx.clientMetadata };
  }
}
