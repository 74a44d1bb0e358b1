import type { UserPool } from '../user-pools/user-pool.js';
import type { UserPoolClient } from '../clients/user-pool-client.js';
import type { User } from '../users/user.js';
import type { UserDirectory } from '../users/user-directory.js';
import type { CustomizeTokens } from '../tokens/claim-overrides.js';
import type { Triggers } from './triggers.js';
import { checkSecretHash } from '../clients/secret-hash.js';
import { runPostAuthentication, runPreAuthentication } from './cognito/authentication.js';
import { runPreTokenGeneration, type TokenGenerationSource } from './cognito/pre-token-generation.js';
import type { UserMigration } from './user-migration.js';
import type { Lockout } from '../auth/lockout.js';
import { lockoutSubject } from '../auth/password-checks.js';
import { UserLambdaValidationException } from '../../generated/exceptions.js';

/** The sign-in context the triggers need (a subset of the auth engine's AuthContext). */
export interface SignInCall {
  pool: UserPool;
  client: UserPoolClient;
  clientMetadata?: Record<string, string>;
}

/**
 * The triggers of the sign-in engine, behind three calls the auth service makes: a sign-in starts
 * (PreAuthentication), a user has signed in (PostAuthentication), tokens are about to be minted
 * (PreTokenGeneration, for sign-ins and refreshes).
 */
export class SignInTriggers {
  constructor(private readonly deps: { triggers: Triggers; users: UserDirectory; migration: UserMigration; lockout: Lockout }) {}

  /**
   * UserMigration_Authentication for a password sign-in by a name the pool does not know: the user
   * the function vouches for, created with this password (SECRET_HASH checked first).
   */
  async migrateUser(call: SignInCall, parameters: Record<string, string>): Promise<User | undefined> {
    const name = parameters.USERNAME;
    const password = parameters.PASSWORD;
    if (!name || password === undefined || !this.deps.migration.configured(call.pool)) return undefined;
    checkSecretHash(call.client, parameters.SECRET_HASH, [name]);
    // The function judges the legacy password, so its refusals count towards the lockout of the
    // name, as wrong passwords do: the function cannot be used to guess passwords at full speed.
    const subject = lockoutSubject(name, undefined);
    await this.deps.lockout.check(call.pool.id, subject);
    try {
      return await this.deps.migration.onSignIn(call.pool, call.client, name, password, call.clientMetadata);
    } catch (error) {
      if (error instanceof UserLambdaValidationException) await this.deps.lockout.recordFailure(call.pool.id, subject);
      throw error;
    }
  }

  /**
   * PreAuthentication, for a sign-in with these AuthParameters (USERNAME, SECRET_HASH). The
   * SECRET_HASH is checked first, so callers who cannot sign in cannot make the function run.
   */
  async signInStarting(call: SignInCall, parameters: Record<string, string>): Promise<void> {
    const signInName = parameters.USERNAME;
    if (!signInName || !this.deps.triggers.arnOf(call.pool, 'PreAuthentication')) return;
    const user = await this.deps.users.find(call.pool, signInName);
    checkSecretHash(call.client, parameters.SECRET_HASH, [signInName, ...(user ? [user.username] : [])]);
    // Unknown users reach the function only where the client hides existence (Cognito's rule);
    // elsewhere the flow itself answers UserNotFoundException.
    if (!user && call.client.settings.PreventUserExistenceErrors !== 'ENABLED') return;
    await runPreAuthentication(this.deps.triggers, call.pool, {
      userName: signInName,
      user,
      clientId: call.client.id,
      clientMetadata: call.clientMetadata,
    });
  }

  /** PostAuthentication, once every factor is proven and before tokens are issued. */
  async signedIn(call: SignInCall & { knownDevice?: boolean }, user: User): Promise<void> {
    // Cognito sets newDeviceUsed only where the pool remembers devices: then any sign-in that did
    // not come from one of the user's devices is from a new one.
    const newDeviceUsed = call.pool.settings.DeviceConfiguration !== undefined && !call.knownDevice;
    await runPostAuthentication(this.deps.triggers, call.pool, { user, clientId: call.client.id, clientMetadata: call.clientMetadata, newDeviceUsed });
  }

  /** The token service's hook for PreTokenGeneration; undefined when the pool has no such trigger. */
  tokenCustomizer(call: SignInCall, user: User, triggerSource: TokenGenerationSource): CustomizeTokens | undefined {
    const config = call.pool.settings.LambdaConfig;
    if (!config?.PreTokenGenerationConfig?.LambdaArn && !config?.PreTokenGeneration) return undefined;
    return (tokens) =>
      runPreTokenGeneration(this.deps.triggers, call.pool, {
        triggerSource,
        user,
        clientId: call.client.id,
        clientMetadata: call.clientMetadata,
        tokens,
      });
  }
}
