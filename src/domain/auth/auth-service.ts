import type {
  AdminInitiateAuthRequest,
  AdminRespondToAuthChallengeRequest,
  AuthFlowType,
  AuthenticationResultType,
  ChallengeNameType,
  GetTokensFromRefreshTokenRequest,
  InitiateAuthRequest,
  InitiateAuthResponse,
  RespondToAuthChallengeRequest,
  RevokeTokenRequest,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  InvalidParameterException,
  NotAuthorizedException,
  PasswordResetRequiredException,
  ResourceNotFoundException,
  UnauthorizedException,
  UserNotConfirmedException,
} from '../../generated/exceptions.js';
import type { UserPool } from '../user-pools/user-pool.js';
import type { UserPoolClient } from '../clients/user-pool-client.js';
import type { UserPoolService } from '../user-pools/user-pool-service.js';
import type { UserPoolClientService } from '../clients/user-pool-client-service.js';
import { effectiveAuthFlows } from '../clients/auth-flows.js';
import { checkSecretHash } from '../clients/secret-hash.js';
import type { UserDirectory } from '../users/user-directory.js';
import type { User } from '../users/user.js';
import type { Clock } from '../clock.js';
import type { AuthSessions, SessionState } from './auth-session.js';
import type { Lockout } from './lockout.js';
import type { PasswordChecks } from './password-checks.js';
import { newPasswordChallenge, type NewPasswordChallenge } from './challenges/new-password-required.js';
import type { SrpSignIn } from './challenges/srp-sign-in.js';
import type { TokenIssuer } from './token-issuer.js';
import { timingSafeEqual } from 'node:crypto';
import type { SignInTriggers } from '../triggers/sign-in-triggers.js';
import type { CustomAuthFlow } from './challenges/custom-challenge.js';

/** Where a sign-in request came from: the admin API (SigV4) or the public one. */
export interface AuthContext {
  pool: UserPool;
  client: UserPoolClient;
  admin: boolean;
  /** The DEVICE_KEY the client presented (AuthParameters or ChallengeResponses), if any. */
  deviceKey?: string;
  /** The end user's IP address: the caller's, or what an admin caller reported in ContextData. */
  sourceIp?: string;
  /** Set when a plain password proven at sign-in is a known breached/common one. */
  compromisedCredentials?: boolean;
  /** ClientMetadata of the call, for the Lambda triggers. */
  clientMetadata?: Record<string, string>;
  /** The challenge this request answered, if any (PreTokenGeneration's trigger source). */
  answeredChallenge?: string;
  /** Set when the sign-in came from a device the user already has (PostAuthentication's newDeviceUsed). */
  knownDevice?: boolean;
}

/** Looks at a plain password that was just proven (USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH); may refuse the sign-in. */
export type PasswordInspector = (ctx: AuthContext, user: User, password: string) => Promise<{ compromised?: boolean } | undefined>;

/** Where a request came from, as the adapter saw it. */
export interface RequestOrigin {
  sourceIp?: string;
}

/** One step of the state machine: another challenge for the client, or the finished sign-in. */
export type AuthStep =
  | { kind: 'challenge'; name: ChallengeNameType; parameters: Record<string, string>; state?: SessionState; sessionKey?: string }
  | { kind: 'firstFactor'; user: User }
  | { kind: 'authenticated'; user: User; authTime: Date };

/** Answers one challenge from its stored session state. Later capabilities (MFA, devices, custom auth) add handlers. */
export type ChallengeHandler = (
  ctx: AuthContext,
  responses: Record<string, string>,
  state: SessionState,
  session: AnsweredSession,
) => Promise<AuthStep>;

/** The session being answered: a step the client may try again (a mistyped code) puts it back. */
export interface AnsweredSession {
  /** Makes the same Session answerable again, with this state and its original expiry. */
  retry(state: SessionState): Promise<void>;
}

/**
 * Runs once the first factor is proven and the account may sign in; may answer with another step
 * (a device or MFA challenge). The first hook that returns a step decides.
 */
export type FirstFactorHook = (ctx: AuthContext, user: User) => Promise<AuthStep | undefined>;

/** Runs as tokens are issued: may bind them to a device and add to AuthenticationResult (NewDeviceMetadata). */
export type IssueHook = (ctx: AuthContext, user: User) => Promise<{ deviceKey?: string; result?: Partial<AuthenticationResultType> } | undefined>;

export interface AuthDeps {
  userPools: UserPoolService;
  clients: UserPoolClientService;
  users: UserDirectory;
  sessions: AuthSessions;
  lockout: Lockout;
  passwords: PasswordChecks;
  srp: SrpSignIn;
  newPassword: NewPasswordChallenge;
  tokens: TokenIssuer;
  clock: Clock;
  /** Lambda triggers of sign-in (PreAuthentication, PostAuthentication, PreTokenGeneration). */
  signInTriggers?: SignInTriggers;
  /** CUSTOM_AUTH (Define/Create/VerifyAuthChallenge triggers); the flow is refused without it. */
  customAuth?: CustomAuthFlow;
}

/** Which client setting each flow needs. */
const FLOW_PERMISSION: Partial<Record<AuthFlowType, string>> = {
  USER_PASSWORD_AUTH: 'ALLOW_USER_PASSWORD_AUTH',
  ADMIN_USER_PASSWORD_AUTH: 'ALLOW_ADMIN_USER_PASSWORD_AUTH',
  ADMIN_NO_SRP_AUTH: 'ALLOW_ADMIN_USER_PASSWORD_AUTH',
  USER_SRP_AUTH: 'ALLOW_USER_SRP_AUTH',
  REFRESH_TOKEN_AUTH: 'ALLOW_REFRESH_TOKEN_AUTH',
  REFRESH_TOKEN: 'ALLOW_REFRESH_TOKEN_AUTH',
  CUSTOM_AUTH: 'ALLOW_CUSTOM_AUTH',
};
const PUBLIC_FLOWS = new Set<AuthFlowType>(['USER_PASSWORD_AUTH', 'USER_SRP_AUTH', 'REFRESH_TOKEN_AUTH', 'REFRESH_TOKEN', 'CUSTOM_AUTH']);
const ADMIN_FLOWS = new Set<AuthFlowType>(['ADMIN_USER_PASSWORD_AUTH', 'ADMIN_NO_SRP_AUTH', 'USER_SRP_AUTH', 'REFRESH_TOKEN_AUTH', 'REFRESH_TOKEN', 'CUSTOM_AUTH']);

/**
 * The sign-in state machine behind InitiateAuth, AdminInitiateAuth, RespondToAuthChallenge and
 * AdminRespondToAuthChallenge (and, later, the hosted login page). A flow produces its first step;
 * each challenge answer is routed to the handler registered for the challenge the session waits
 * for; a finished first factor goes through `afterFirstFactor`, where account state (and later MFA)
 * may add challenges before tokens are issued.
 */
export class AuthService {
  private readonly handlers = new Map<string, ChallengeHandler>();
  /** Capabilities plugged in by createServices: adaptive authentication, devices, MFA. */
  private readonly firstFactorHooks: FirstFactorHook[] = [];
  private readonly issueHooks: IssueHook[] = [];
  private readonly passwordInspectors: PasswordInspector[] = [];

  constructor(private readonly deps: AuthDeps) {
    this.registerChallenge('PASSWORD_VERIFIER', (ctx, responses, state) => this.deps.srp.answer(ctx, responses, state));
    this.registerChallenge('NEW_PASSWORD_REQUIRED', (ctx, responses, state) => this.deps.newPassword.answer(ctx, responses, state));
  }

  registerChallenge(name: string, handler: ChallengeHandler): void {
    this.handlers.set(name, handler);
  }

  /** Adds a step after the first factor (devices, MFA), run in the order added. */
  addFirstFactorHook(hook: FirstFactorHook): void {
    this.firstFactorHooks.push(hook);
  }

  /** Adds a check of plain passwords proven at sign-in (compromised credentials). */
  addPasswordInspector(inspector: PasswordInspector): void {
    this.passwordInspectors.push(inspector);
  }

  /** Adds a step to token issuance (devices). */
  addIssueHook(hook: IssueHook): void {
    this.issueHooks.push(hook);
  }

  async initiateAuth(input: InitiateAuthRequest, origin: RequestOrigin = {}): Promise<InitiateAuthResponse> {
    const { pool, client } = await this.deps.clients.resolvePublicClient(input.ClientId!);
    const flow = input.AuthFlow!;
    if (!PUBLIC_FLOWS.has(flow)) throw new InvalidParameterException(`Initiate Auth method not supported.`);
    return this.run({ pool, client, admin: false, ...origin, ...metadataOf(input.ClientMetadata) }, flow, input.AuthParameters ?? {});
  }

  async adminInitiateAuth(input: AdminInitiateAuthRequest, origin: RequestOrigin = {}): Promise<InitiateAuthResponse> {
    const pool = await this.deps.userPools.get(input.UserPoolId!);
    const client = await this.deps.clients.get(pool.id, input.ClientId!).catch(() => {
      throw new ResourceNotFoundException(`User pool client ${input.ClientId} does not exist.`);
    });
    const flow = input.AuthFlow!;
    if (!ADMIN_FLOWS.has(flow)) throw new InvalidParameterException(`Initiate Auth method not supported.`);
    return this.run({ pool, client, admin: true, ...adminOrigin(input.ContextData?.IpAddress, origin), ...metadataOf(input.ClientMetadata) }, flow, input.AuthParameters ?? {});
  }

  async respondToAuthChallenge(input: RespondToAuthChallengeRequest, origin: RequestOrigin = {}): Promise<InitiateAuthResponse> {
    const { pool, client } = await this.deps.clients.resolvePublicClient(input.ClientId!);
    return this.respond({ pool, client, admin: false, ...origin, ...metadataOf(input.ClientMetadata) }, input.ChallengeName!, input.ChallengeResponses ?? {}, input.Session);
  }

  async adminRespondToAuthChallenge(input: AdminRespondToAuthChallengeRequest, origin: RequestOrigin = {}): Promise<InitiateAuthResponse> {
    const pool = await this.deps.userPools.get(input.UserPoolId!);
    const client = await this.deps.clients.get(pool.id, input.ClientId!);
    return this.respond({ pool, client, admin: true, ...adminOrigin(input.ContextData?.IpAddress, origin), ...metadataOf(input.ClientMetadata) }, input.ChallengeName!, input.ChallengeResponses ?? {}, input.Session);
  }

  /** GetTokensFromRefreshToken: a refresh that names the client secret itself rather than a SECRET_HASH. */
  async getTokensFromRefreshToken(input: GetTokensFromRefreshTokenRequest): Promise<AuthenticationResultType> {
    const { pool, client } = await this.deps.clients.resolvePublicClient(input.ClientId!);
    this.requireFlow(client, 'REFRESH_TOKEN_AUTH');
    if (client.secret !== undefined && !sameSecret(client.secret, input.ClientSecret)) {
      if (!input.ClientSecret) throw new NotAuthorizedException(`Client ${client.id} is configured for secret but secret was not received`);
      throw new NotAuthorizedException('Unable to verify secret hash for client ' + client.id);
    }
    return this.deps.tokens.refresh({
      pool,
      client,
      refreshToken: input.RefreshToken!,
      ...(input.DeviceKey ? { deviceKey: input.DeviceKey } : {}),
      customize: (user) => this.deps.signInTriggers?.tokenCustomizer({ pool, client, ...metadataOf(input.ClientMetadata) }, user, 'TokenGeneration_RefreshTokens'),
    });
  }

  /** RevokeToken: ends the refresh token's session; a confidential client must name its secret. */
  async revokeToken(input: RevokeTokenRequest): Promise<void> {
    const { client } = await this.deps.clients.resolvePublicClient(input.ClientId!);
    if (client.secret !== undefined && !sameSecret(client.secret, input.ClientSecret)) {
      throw new UnauthorizedException('Client authentication failed.');
    }
    await this.deps.tokens.revoke({ client, token: input.Token! });
  }

  private async run(ctx: AuthContext, flow: AuthFlowType, parameters: Record<string, string>): Promise<InitiateAuthResponse> {
    this.requireFlow(ctx.client, flow);
    if (parameters.DEVICE_KEY) ctx = { ...ctx, deviceKey: parameters.DEVICE_KEY };
    if (flow !== 'REFRESH_TOKEN_AUTH' && flow !== 'REFRESH_TOKEN') await this.deps.signInTriggers?.signInStarting(ctx, parameters);
    switch (flow) {
      case 'USER_PASSWORD_AUTH':
      case 'ADMIN_USER_PASSWORD_AUTH':
      case 'ADMIN_NO_SRP_AUTH':
        return this.reply(ctx, await this.inspectPassword(ctx, await this.passwordFlow(ctx, parameters), parameters.PASSWORD!));
      case 'USER_SRP_AUTH':
        return this.reply(ctx, await this.deps.srp.start(ctx, parameters));
      case 'REFRESH_TOKEN_AUTH':
      case 'REFRESH_TOKEN':
        return { ChallengeParameters: {}, AuthenticationResult: await this.refreshFlow(ctx, parameters) };
      case 'CUSTOM_AUTH':
        if (!this.deps.customAuth) throw new InvalidParameterException(`Initiate Auth method not supported.`);
        return this.reply(ctx, await this.deps.customAuth.start(ctx, parameters));
      default:
        throw new InvalidParameterException(`Initiate Auth method not supported.`);
    }
  }

  private requireFlow(client: UserPoolClient, flow: AuthFlowType): void {
    const permission = FLOW_PERMISSION[flow];
    if (!permission || !effectiveAuthFlows(client).has(permission as never)) {
      throw new InvalidParameterException(`${flow} flow not enabled for this client`);
    }
  }

  private async respond(
    ctx: AuthContext,
    challengeName: string,
    responses: Record<string, string>,
    session: string | undefined,
  ): Promise<InitiateAuthResponse> {
    // SRP's PASSWORD_VERIFIER is keyed by the SECRET_BLOCK it issued; other steps by the Session.
    const key = challengeName === 'PASSWORD_VERIFIER' ? responses.PASSWORD_CLAIM_SECRET_BLOCK : session;
    const taken = await this.deps.sessions.takeSession(key, ctx.client);
    const state = taken.state;
    if (state.challenge !== challengeName) {
      throw new InvalidParameterException(`Invalid challenge name: expected ${state.challenge}, got ${challengeName}.`);
    }
    const handler = this.handlers.get(challengeName);
    if (!handler) throw new InvalidParameterException(`Challenge ${challengeName} is not supported.`);
    const deviceKey = responses.DEVICE_KEY || (typeof state.deviceKey === 'string' ? state.deviceKey : undefined);
    if (deviceKey) ctx = { ...ctx, deviceKey };
    ctx.answeredChallenge = challengeName;
    const answered: AnsweredSession = { retry: (next) => this.deps.sessions.restore(key!, { ...taken, state: next }) };
    return this.reply(ctx, await handler(ctx, responses, state, answered));
  }

  private async passwordFlow(ctx: AuthContext, parameters: Record<string, string>): Promise<AuthStep> {
    const name = parameters.USERNAME;
    const password = parameters.PASSWORD;
    if (!name) throw new InvalidParameterException('Missing required parameter USERNAME');
    if (password === undefined) throw new InvalidParameterException('Missing required parameter PASSWORD');
    const user = (await this.deps.users.find(ctx.pool, name)) ?? (await this.deps.signInTriggers?.migrateUser(ctx, parameters));
    checkSecretHash(ctx.client, parameters.SECRET_HASH, [name, ...(user ? [user.username] : [])]);
    return { kind: 'firstFactor', user: await this.deps.passwords.verify(ctx, name, user, password) };
  }

  /** Runs the password inspectors over a proven plain password; the finding travels in the context. */
  private async inspectPassword(ctx: AuthContext, step: AuthStep, password: string): Promise<AuthStep> {
    if (step.kind !== 'firstFactor') return step;
    for (const inspect of this.passwordInspectors) {
      if ((await inspect(ctx, step.user, password))?.compromised) ctx.compromisedCredentials = true;
    }
    return step;
  }

  private async refreshFlow(ctx: AuthContext, parameters: Record<string, string>): Promise<AuthenticationResultType> {
    const refreshToken = parameters.REFRESH_TOKEN;
    if (!refreshToken) throw new InvalidParameterException('Missing required parameter REFRESH_TOKEN');
    // Cognito: rotation is completed with GetTokensFromRefreshToken only.
    if (ctx.client.settings.RefreshTokenRotation?.Feature === 'ENABLED') {
      throw new InvalidParameterException(
        'REFRESH_TOKEN_AUTH cannot be used when refresh token rotation is enabled for the client; use GetTokensFromRefreshToken.',
      );
    }
    return this.deps.tokens.refresh({
      pool: ctx.pool,
      client: ctx.client,
      refreshToken,
      ...(parameters.DEVICE_KEY ? { deviceKey: parameters.DEVICE_KEY } : {}),
      checkSecretHash: (user) => checkSecretHash(ctx.client, parameters.SECRET_HASH, [parameters.USERNAME ?? '', user.username, user.id].filter(Boolean)),
      customize: (user) => this.deps.signInTriggers?.tokenCustomizer(ctx, user, 'TokenGeneration_RefreshTokens'),
    });
  }

  /**
   * The first factor is proven. Account state decides what comes next: an unconfirmed or
   * reset-required account stops here; a temporary password must be replaced; otherwise the
   * sign-in is complete (the MFA capability hooks in here).
   */
  async afterFirstFactor(ctx: AuthContext, user: User): Promise<AuthStep> {
    if (user.status === 'UNCONFIRMED') throw new UserNotConfirmedException('User is not confirmed.');
    if (user.status === 'RESET_REQUIRED') throw new PasswordResetRequiredException('Password reset required for the user');
    if (user.status === 'FORCE_CHANGE_PASSWORD') return newPasswordChallenge(ctx.pool, user);
    for (const hook of this.firstFactorHooks) {
      const next = await hook(ctx, user);
      if (next) return next;
    }
    return { kind: 'authenticated', user, authTime: this.deps.clock.now() };
  }

  /** Turns a step into the wire reply: a challenge (with a fresh session) or tokens. */
  private async reply(ctx: AuthContext, next: AuthStep): Promise<InitiateAuthResponse> {
    const step = await this.settle(ctx, next);
    if (step.kind === 'authenticated') {
      let deviceKey: string | undefined;
      let extra: Partial<AuthenticationResultType> = {};
      for (const hook of this.issueHooks) {
        const added = await hook(ctx, step.user);
        deviceKey = added?.deviceKey ?? deviceKey;
        extra = { ...extra, ...added?.result };
      }
      const tokenSource = ctx.answeredChallenge === 'NEW_PASSWORD_REQUIRED' ? 'TokenGeneration_NewPasswordChallenge' : 'TokenGeneration_Authentication';
      const customize = this.deps.signInTriggers?.tokenCustomizer(ctx, step.user, tokenSource);
      const result = await this.deps.tokens.issue({
        pool: ctx.pool,
        client: ctx.client,
        user: step.user,
        authTime: step.authTime,
        ...(deviceKey ? { deviceKey } : {}),
        ...(customize ? { customize } : {}),
      });
      return { ChallengeParameters: {}, AuthenticationResult: { ...result, ...extra } };
    }
    return { ChallengeName: step.name, ChallengeParameters: step.parameters, ...(step.session ? { Session: step.session } : {}) };
  }

  /**
   * A step's outcome short of tokens: the proven user (lockout counters cleared), or the next
   * challenge with its session opened.
   */
  private async settle(ctx: AuthContext, next: AuthStep): Promise<SettledStep> {
    const step = next.kind === 'firstFactor' ? await this.afterFirstFactor(ctx, next.user) : next;
    if (step.kind === 'firstFactor') throw new Error('afterFirstFactor must decide the next step');
    if (step.kind === 'authenticated') {
      await this.deps.lockout.recordSuccess(ctx.pool.id, step.user.id);
      // PostAuthentication: for the API and the hosted pages alike.
      await this.deps.signInTriggers?.signedIn(ctx, step.user);
      return step;
    }
    let session: string | undefined;
    if (step.state) {
      // The device the client named travels with the sign-in, for steps that do not repeat it.
      if (ctx.deviceKey && step.state.deviceKey === undefined) step.state.deviceKey = ctx.deviceKey;
      if (step.sessionKey) await this.deps.sessions.openWithKey(step.sessionKey, ctx.client, step.state);
      else session = await this.deps.sessions.open(ctx.client, step.state);
    }
    return { kind: 'challenge', name: step.name, parameters: step.parameters, ...(session ? { session } : {}) };
  }

  /**
   * The hosted login page's password sign-in: the same password check, lockout, account-state rules
   * and challenges as the API, but stopping short of tokens (the page issues an authorization code).
   * No SECRET_HASH and no ExplicitAuthFlows: the page is the server itself, the client proves who it
   * is at the token endpoint, and ExplicitAuthFlows govern the API, not the hosted UI (as in Cognito).
   */
  async hostedPasswordSignIn(ctx: AuthContext, name: string, password: string, secretHash?: string): Promise<SettledStep> {
    if (!name) throw new InvalidParameterException('Missing required parameter USERNAME');
    // PreAuthentication and UserMigration_Authentication, as for USER_PASSWORD_AUTH (the page
    // supplies a confidential client's SECRET_HASH, which they check).
    const parameters = { USERNAME: name, PASSWORD: password, ...(secretHash !== undefined ? { SECRET_HASH: secretHash } : {}) };
    await this.deps.signInTriggers?.signInStarting(ctx, parameters);
    const user = (await this.deps.users.find(ctx.pool, name)) ?? (await this.deps.signInTriggers?.migrateUser(ctx, parameters));
    const proven: AuthStep = { kind: 'firstFactor', user: await this.deps.passwords.verify(ctx, name, user, password) };
    return this.settle(ctx, await this.inspectPassword(ctx, proven, password));
  }

  /** The hosted pages' answer to a challenge (new password; MFA pages hook in the same way). */
  async hostedRespond(ctx: AuthContext, challengeName: string, responses: Record<string, string>, session: string | undefined): Promise<SettledStep> {
    const taken = await this.deps.sessions.takeSession(session, ctx.client);
    const state = taken.state;
    if (state.challenge !== challengeName) throw new InvalidParameterException(`Invalid challenge name: expected ${state.challenge}, got ${challengeName}.`);
    const handler = this.handlers.get(challengeName);
    if (!handler) throw new InvalidParameterException(`Challenge ${challengeName} is not supported.`);
    ctx.answeredChallenge = challengeName;
    const answered: AnsweredSession = { retry: (next) => this.deps.sessions.restore(session!, { ...taken, state: next }) };
    return this.settle(ctx, await handler(ctx, responses, state, answered));
  }
}

/** An admin caller signs in on a user's behalf: the user's IP is the one it reports in ContextData. */
function adminOrigin(reportedIp: string | undefined, origin: RequestOrigin): RequestOrigin {
  return reportedIp ? { ...origin, sourceIp: reportedIp } : origin;
}

/** ClientMetadata, as the optional AuthContext member. */
function metadataOf(clientMetadata: Record<string, string> | undefined): { clientMetadata?: Record<string, string> } {
  return clientMetadata ? { clientMetadata } : {};
}

/** A sign-in step short of tokens: the user is proven, or must answer a challenge (in a session). */
export type SettledStep =
  | { kind: 'authenticated'; user: User; authTime: Date }
  | { kind: 'challenge'; name: ChallengeNameType; parameters: Record<string, string>; session?: string };

function sameSecret(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
