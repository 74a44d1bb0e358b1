import type {
  AdminSetUserMFAPreferenceRequest,
  AssociateSoftwareTokenRequest,
  AssociateSoftwareTokenResponse,
  MFAOptionType,
  SetUserMFAPreferenceRequest,
  VerifySoftwareTokenRequest,
  VerifySoftwareTokenResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import { InvalidParameterException, NotAuthorizedException, UserNotFoundException } from '../../generated/exceptions.js';
import type { AuthSessions, SessionState, TakenSession } from '../auth/auth-session.js';
import type { AccessTokenGuard } from '../users/access-token-guard.js';
import type { UserDirectory } from '../users/user-directory.js';
import type { User } from '../users/user.js';
import type { UserPool } from '../user-pools/user-pool.js';
import type { UserPoolService } from '../user-pools/user-pool-service.js';
import type { UserPoolClientService } from '../clients/user-pool-client-service.js';
import { applyLegacyMfaOptions, applyMfaPreference, type MfaPreferenceInput } from './mfa-preferences.js';
import type { SoftwareTokens } from './software-tokens.js';
import { poolAllows } from './user-mfa.js';

/** The sign-in step MFA set-up waits at; AssociateSoftwareToken/VerifySoftwareToken continue it by Session. */
export const MFA_SETUP = 'MFA_SETUP';
/** Wrong codes a set-up session survives before the sign-in must start again. */
const MAX_SETUP_ATTEMPTS = 5;

export interface MfaServiceDeps {
  guard: AccessTokenGuard;
  userPools: UserPoolService;
  clients: UserPoolClientService;
  users: UserDirectory;
  sessions: AuthSessions;
  softwareTokens: SoftwareTokens;
}

/** Who a software-token call is for: a signed-in user (AccessToken) or a sign-in at MFA_SETUP (Session). */
type TokenCaller =
  | { kind: 'signedIn'; pool: UserPool; user: User }
  | { kind: 'setup'; pool: UserPool; user: User; session: string; taken: TakenSession };

/**
 * A user's second factors: authenticator apps (AssociateSoftwareToken, VerifySoftwareToken),
 * MFA preferences (SetUserMFAPreference and the legacy SetUserSettings) and their Admin twins.
 */
export class MfaService {
  constructor(private readonly deps: MfaServiceDeps) {}

  async associateSoftwareToken(input: AssociateSoftwareTokenRequest): Promise<AssociateSoftwareTokenResponse> {
    const caller = await this.callerOf(input);
    if (caller.kind === 'setup' && !poolAllows(caller.pool, 'SOFTWARE_TOKEN_MFA')) {
      await this.deps.sessions.restore(caller.session, caller.taken);
      throw new InvalidParameterException('Software token MFA is not enabled for this user pool.');
    }
    const secret = await this.deps.softwareTokens.associate(caller.pool, caller.user.id);
    if (caller.kind === 'signedIn') return { SecretCode: secret };
    return { SecretCode: secret, Session: await this.continueSetup(caller, { totpAssociated: true }) };
  }

  async verifySoftwareToken(input: VerifySoftwareTokenRequest): Promise<VerifySoftwareTokenResponse> {
    const caller = await this.callerOf(input);
    try {
      await this.deps.softwareTokens.verifyPending(caller.pool, caller.user, input.UserCode!, input.FriendlyDeviceName, caller.kind === 'setup');
    } catch (error) {
      if (caller.kind === 'setup') await this.retryLater(caller);
      throw error;
    }
    if (caller.kind === 'signedIn') return { Status: 'SUCCESS' };
    return { Status: 'SUCCESS', Session: await this.continueSetup(caller, { mfaSetUp: 'SOFTWARE_TOKEN_MFA' }) };
  }

  async setUserMfaPreference(input: SetUserMFAPreferenceRequest): Promise<void> {
    const { pool, user } = await this.deps.guard.authenticate(input.AccessToken!);
    await this.setPreference(pool, user.id, input);
  }

  async adminSetUserMfaPreference(input: AdminSetUserMFAPreferenceRequest): Promise<void> {
    const { pool, user } = await this.userOf(input.UserPoolId!, input.Username!);
    await this.setPreference(pool, user.id, input);
  }

  async setUserSettings(accessToken: string, options: MFAOptionType[]): Promise<void> {
    const { pool, user } = await this.deps.guard.authenticate(accessToken);
    await this.deps.users.update(pool, user.id, (current) => ({ ...current, mfa: applyLegacyMfaOptions(current, options) }));
  }

  async adminSetUserSettings(poolId: string, username: string, options: MFAOptionType[]): Promise<void> {
    const { pool, user } = await this.userOf(poolId, username);
    await this.deps.users.update(pool, user.id, (current) => ({ ...current, mfa: applyLegacyMfaOptions(current, options) }));
  }

  private async userOf(poolId: string, name: string): Promise<{ pool: UserPool; user: User }> {
    const pool = await this.deps.userPools.get(poolId);
    const user = await this.deps.users.find(pool, name);
    if (!user) throw new UserNotFoundException('User does not exist.');
    return { pool, user };
  }

  private async setPreference(pool: UserPool, userId: string, input: MfaPreferenceInput): Promise<void> {
    await this.deps.users.update(pool, userId, (current) => ({ ...current, mfa: applyMfaPreference(current, input) }));
  }

  private async callerOf(input: { AccessToken?: string; Session?: string }): Promise<TokenCaller> {
    if (input.AccessToken !== undefined && input.Session !== undefined) {
      throw new InvalidParameterException('Only one of AccessToken or Session may be given.');
    }
    if (input.AccessToken !== undefined) {
      const { pool, user } = await this.deps.guard.authenticate(input.AccessToken);
      return { kind: 'signedIn', pool, user };
    }
    if (input.Session === undefined) throw new InvalidParameterException('Either AccessToken or Session must be given.');
    const taken = await this.deps.sessions.takeSession(input.Session);
    if (taken.state.challenge !== MFA_SETUP || !taken.state.userId) throw new NotAuthorizedException('Invalid session for the user.');
    const pool = await this.deps.userPools.get(taken.userPoolId);
    const user = await this.deps.users.byId(pool, taken.state.userId);
    if (!user || !user.enabled) throw new NotAuthorizedException('Invalid session for the user.');
    return { kind: 'setup', pool, user, session: input.Session, taken };
  }

  /** The next Session of a sign-in at MFA_SETUP, carrying what this step achieved. */
  private async continueSetup(caller: Extract<TokenCaller, { kind: 'setup' }>, progress: Partial<SessionState>): Promise<string> {
    const client = await this.deps.clients.get(caller.pool.id, caller.taken.clientId);
    return this.deps.sessions.open(client, { ...caller.taken.state, ...progress, setupAttempts: 0 } as SessionState);
  }

  /** A mistyped code leaves the set-up session usable (with the same expiry), a few times. */
  private async retryLater(caller: Extract<TokenCaller, { kind: 'setup' }>): Promise<void> {
    const attempts = Number(caller.taken.state.setupAttempts ?? 0) + 1;
    if (attempts >= MAX_SETUP_ATTEMPTS) return;
    await this.deps.sessions.restore(caller.session, { ...caller.taken, state: { ...caller.taken.state, setupAttempts: attempts } });
  }
}
