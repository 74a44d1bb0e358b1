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

/** Where a sign-in request came from: the admin API (SigV4) or the public one. */
export interface AuthContext {
  pool: UserPool;
  client: UserPoolClient;
  admin: boolean;
}

/** One step of the state machine: another challenge for the client, or the finished sign-in. */
export type AuthStep =
  | { kind: 'challenge'; name: ChallengeNameType; parameters: Record<string, string>; state?: SessionState; sessionKey?: string }
  | { kind: 'firstFactor'; user: User }
  | { kind: 'authenticated'; user: User; authTime: Date };

/** Answers one challenge from its stored session state. Later capabilities (MFA, devices, custom auth) add handlers. */
export type ChallengeHandler = (ctx: AuthContext, responses: Record<string, string>, state: SessionState) => Promise<AuthStep>;

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
}

/** Which client setting each flow needs. */
const FLOW_PERMISSION: Partial<Record<AuthFlowType, string>> = {
  USER_PASSWORD_AUTH: 'ALLOW_USER_PASSWORD_AUTH',
  ADMIN_USER_PASSWORD_AUTH: 'ALLOW_ADMIN_USER_PASSWORD_AUTH',
  ADMIN_NO_SRP_AUTH: 'ALLOW_ADMIN_USER_PASSWORD_AUTH',
  USER_SRP_AUTH: 'ALLOW_USER_SRP_AUTH',
  REFRESH_TOKEN_AUTH: 'ALLOW_REFRESH_TOKEN_AUTH',
  REFRESH_TOKEN: 'ALLOW_REFRESH_TOKEN_AUTH',
};
const PUBLIC_FLOWS = new Set<AuthFlowType>(['USER_PASSWORD_AUTH', 'USER_SRP_AUTH', 'REFRESH_TOKEN_AUTH', 'REFRESH_TOKEN']);
const ADMIN_FLOWS = new Set<AuthFlowType>(['ADMIN_USER_PASSWORD_AUTH', 'ADMIN_NO_SRP_AUTH', 'USER_SRP_AUTH', 'REFRESH_TOKEN_AUTH', 'REFRESH_TOKEN']);

/**
 * The sign-in state machine behind InitiateAuth, AdminInitiateAuth, RespondToAuthChallenge and
 * AdminRespondToAuthChallenge (and, later, the hosted login page). A flow produces its first step;
 * each challenge answer is routed to the handler registered for the challenge the session waits
 * for; a finished first factor goes through `afterFirstFactor`, where account state (and later MFA)
 * may add challenges before tokens are issued.
 */
export class AuthService {
  private readonly handlers = new Map<string, ChallengeHandler>();

  constructor(private readonly deps: AuthDeps) {
    this.registerChallenge('PASSWORD_VERIFIER', (ctx, responses, state) => this.deps.srp.answer(ctx, responses, state));
    this.registerChallenge('NEW_PASSWORD_REQUIRED', (ctx, responses, state) => this.deps.newPassword.answer(ctx, responses, state));
  }

  registerChallenge(name: string, handler: ChallengeHandler): void {
    this.handlers.set(name, handler);
  }

  async initiateAuth(input: InitiateAuthRequest): Promise<InitiateAuthResponse> {
    const { pool, client } = await this.deps.clients.resolvePublicClient(input.ClientId!);
    const flow = input.AuthFlow!;
    if (!PUBLIC_FLOWS.has(flow)) throw new InvalidParameterException(`Initiate Auth method not supported.`);
    return this.run({ pool, client, admin: false }, flow, input.AuthParameters ?? {});
  }

  async adminInitiateAuth(input: AdminInitiateAuthRequest): Promise<InitiateAuthResponse> {
    const pool = await this.deps.userPools.get(input.UserPoolId!);
    const client = await this.deps.clients.get(pool.id, input.ClientId!).catch(() => {
      throw new ResourceNotFoundException(`User pool client ${input.ClientId} does not exist.`);
    });
    const flow = input.AuthFlow!;
    if (!ADMIN_FLOWS.has(flow)) throw new InvalidParameterException(`Initiate Auth method not supported.`);
    return this.run({ pool, client, admin: true }, flow, input.AuthParameters ?? {});
  }

  async respondToAuthChallenge(input: RespondToAuthChallengeRequest): Promise<InitiateAuthResponse> {
    const { pool, client } = await this.deps.clients.resolvePublicClient(input.ClientId!);
    return this.respond({ pool, client, admin: false }, input.ChallengeName!, input.ChallengeResponses ?? {}, input.Session);
  }

  async adminRespondToAuthChallenge(input: AdminRespondToAuthChallengeRequest): Promise<InitiateAuthResponse> {
    const pool = await this.deps.userPools.get(input.UserPoolId!);
    const client = await this.deps.clients.get(pool.id, input.ClientId!);
    return this.respond({ pool, client, admin: true }, input.ChallengeName!, input.ChallengeResponses ?? {}, input.Session);
  }

  /** GetTokensFromRefreshToken: a refresh that names the client secret itself rather than a SECRET_HASH. */
  async getTokensFromRefreshToken(input: GetTokensFromRefreshTokenRequest): Promise<AuthenticationResultType> {
    const { pool, client } = await this.deps.clients.resolvePublicClient(input.ClientId!);
    this.requireFlow(client, 'REFRESH_TOKEN_AUTH');
    if (client.secret !== undefined && !sameSecret(client.secret, input.ClientSecret)) {
      if (!input.ClientSecret) throw new NotAuthorizedException(`Client ${client.id} is configured for secret but secret was not received`);
      throw new NotAuthorizedException('Unable to verify secret hash for client ' + client.id);
    }
    return this.deps.tokens.refresh({ pool, client, refreshToken: input.RefreshToken! });
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
    switch (flow) {
      case 'USER_PASSWORD_AUTH':
      case 'ADMIN_USER_PASSWORD_AUTH':
      case 'ADMIN_NO_SRP_AUTH':
        return this.reply(ctx, await this.passwordFlow(ctx, parameters));
      case 'USER_SRP_AUTH':
        return this.reply(ctx, await this.deps.srp.start(ctx, parameters));
      case 'REFRESH_TOKEN_AUTH':
      case 'REFRESH_TOKEN':
        return { ChallengeParameters: {}, AuthenticationResult: await this.refreshFlow(ctx, parameters) };
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
    const state = await this.deps.sessions.take(key, ctx.client);
    if (state.challenge !== challengeName) {
      throw new InvalidParameterException(`Invalid challenge name: expected ${state.challenge}, got ${challengeName}.`);
    }
    const handler = this.handlers.get(challengeName);
    if (!handler) throw new InvalidParameterException(`Challenge ${challengeName} is not supported.`);
    return this.reply(ctx, await handler(ctx, responses, state));
  }

  private async passwordFlow(ctx: AuthContext, parameters: Record<string, string>): Promise<AuthStep> {
    const name = parameters.USERNAME;
    const password = parameters.PASSWORD;
    if (!name) throw new InvalidParameterException('Missing required parameter USERNAME');
    if (password === undefined) throw new InvalidParameterException('Missing required parameter PASSWORD');
    const user = await this.deps.users.find(ctx.pool, name);
    checkSecretHash(ctx.client, parameters.SECRET_HASH, [name, ...(user ? [user.username] : [])]);
    return { kind: 'firstFactor', user: await this.deps.passwords.verify(ctx, name, user, password) };
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
      checkSecretHash: (user) => checkSecretHash(ctx.client, parameters.SECRET_HASH, [parameters.USERNAME ?? '', user.username, user.id].filter(Boolean)),
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
    return { kind: 'authenticated', user, authTime: this.deps.clock.now() };
  }

  /** Turns a step into the wire reply: a challenge (with a fresh session) or tokens. */
  private async reply(ctx: AuthContext, next: AuthStep): Promise<InitiateAuthResponse> {
    const step = await this.settle(ctx, next);
    if (step.kind === 'authenticated') {
      const result = await this.deps.tokens.issue({ pool: ctx.pool, client: ctx.client, user: step.user, authTime: step.authTime });
      return { ChallengeParameters: {}, AuthenticationResult: result };
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
      return step;
    }
    let session: string | undefined;
    if (step.state) {
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
  async hostedPasswordSignIn(ctx: AuthContext, name: string, password: string): Promise<SettledStep> {
    if (!name) throw new InvalidParameterException('Missing required parameter USERNAME');
    const user = await this.deps.users.find(ctx.pool, name);
    return this.settle(ctx, { kind: 'firstFactor', user: await this.deps.passwords.verify(ctx, name, user, password) });
  }

  /** The hosted pages' answer to a challenge (new password; MFA pages hook in the same way). */
  async hostedRespond(ctx: AuthContext, challengeName: string, responses: Record<string, string>, session: string | undefined): Promise<SettledStep> {
    const state = await this.deps.sessions.take(session, ctx.client);
    if (state.challenge !== challengeName) throw new InvalidParameterException(`Invalid challenge name: expected ${state.challenge}, got ${challengeName}.`);
    const handler = this.handlers.get(challengeName);
    if (!handler) throw new InvalidParameterException(`Challenge ${challengeName} is not supported.`);
    return this.settle(ctx, await handler(ctx, responses, state));
  }
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
