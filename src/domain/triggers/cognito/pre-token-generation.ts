import type { UserPool } from '../../user-pools/user-pool.js';
import type { User } from '../../users/user.js';
import type { ClaimChanges, CustomizationInput, TokenCustomization } from '../../tokens/claim-overrides.js';
import { isRecord, optionalMap, unrecognizable, type Triggers } from '../triggers.js';
import { eventAttributes } from './user-attributes.js';

// Pre token generation: https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-token-generation.html
// PreTokenGenerationConfig.LambdaVersion picks the event: V1_0 (claimsOverrideDetails: ID token
// claims and groups) or V2_0 / V3_0 (claimsAndScopeOverrideDetails: ID and access token claims,
// scopes, groups; complex claim values). V3_0 is V2_0 for user tokens, and is also the only
// version that runs for client-credentials (machine-to-machine) access tokens.
// Claims Cognito reserves (sub, iss, aud, exp, token_use, cognito:username, …) are left as they
// are when a function names them.

export type TokenGenerationSource =
  | 'TokenGeneration_Authentication'
  | 'TokenGeneration_NewPasswordChallenge'
  | 'TokenGeneration_RefreshTokens'
  | 'TokenGeneration_AuthenticateDevice'
  | 'TokenGeneration_HostedAuth';

/**
 * TokenGeneration_ClientCredentials: a client_credentials access token is about to be minted. Only
 * for LambdaVersion V3_0 (Cognito sends no V1/V2 event for machine tokens). There is no user:
 * userName and groupConfiguration are null, userAttributes empty; `scopes` are the ones granted,
 * `clientMetadata` the token request's `aws_client_metadata`. Only accessTokenGeneration of the
 * answer applies (claims, scopesToAdd, scopesToSuppress): there is no ID token and no groups.
 */
export async function runClientCredentialsTokenGeneration(
  triggers: Triggers,
  pool: UserPool,
  input: { clientId: string; scopes: readonly string[]; clientMetadata: Record<string, string> | undefined },
): Promise<TokenCustomization | undefined> {
  const config = pool.settings.LambdaConfig?.PreTokenGenerationConfig;
  if (config?.LambdaVersion !== 'V3_0' || !config.LambdaArn) return undefined;
  const response = await triggers.run(pool, 'PreTokenGeneration', config.LambdaArn, {
    version: '3',
    userName: null,
    clientId: input.clientId,
    triggerSource: 'TokenGeneration_ClientCredentials',
    request: {
      userAttributes: {},
      groupConfiguration: null,
      scopes: [...input.scopes],
      ...optionalMap('clientMetadata', input.clientMetadata),
    },
    response: { claimsAndScopeOverrideDetails: null },
  });
  const customization = fromV2(response);
  if (!customization) return undefined;
  const { access, scopesToAdd, scopesToSuppress } = customization;
  return { ...(access ? { access } : {}), ...(scopesToAdd ? { scopesToAdd } : {}), ...(scopesToSuppress ? { scopesToSuppress } : {}) };
}

export async function runPreTokenGeneration(
  triggers: Triggers,
  pool: UserPool,
  input: {
    triggerSource: TokenGenerationSource;
    user: User;
    clientId: string;
    clientMetadata: Record<string, string> | undefined;
    tokens: CustomizationInput;
  },
): Promise<TokenCustomization | undefined> {
  const config = pool.settings.LambdaConfig?.PreTokenGenerationConfig;
  const arn = config?.LambdaArn ?? triggers.arnOf(pool, 'PreTokenGeneration');
  if (!arn) return undefined;
  const version = config?.LambdaVersion === 'V2_0' ? '2' : config?.LambdaVersion === 'V3_0' ? '3' : '1';
  const groupConfiguration = {
    groupsToOverride: [...(input.tokens.groups ?? [])],
    iamRolesToOverride: [...(input.tokens.roles?.roles ?? [])],
    preferredRole: input.tokens.roles?.preferredRole ?? null,
  };
  const response = await triggers.run(pool, 'PreTokenGeneration', arn, {
    version,
    userName: input.user.username,
    clientId: input.clientId,
    triggerSource: input.triggerSource,
    request: {
      userAttributes: eventAttributes(input.user),
      groupConfiguration,
      ...(version !== '1' ? { scopes: [...input.tokens.scopes] } : {}),
      ...optionalMap('clientMetadata', input.clientMetadata),
    },
    response: version === '1' ? { claimsOverrideDetails: null } : { claimsAndScopeOverrideDetails: null },
  });
  return version === '1' ? fromV1(response) : fromV2(response);
}

function fromV1(response: Record<string, unknown>): TokenCustomization | undefined {
  const details = optionalObject(response, 'claimsOverrideDetails');
  if (!details) return undefined;
  return {
    id: claimChanges(details, false),
    ...groupsOf(details),
  };
}

function fromV2(response: Record<string, unknown>): TokenCustomization | undefined {
  const details = optionalObject(response, 'claimsAndScopeOverrideDetails');
  if (!details) return undefined;
  const id = optionalObject(details, 'idTokenGeneration');
  const access = optionalObject(details, 'accessTokenGeneration');
  return {
    ...(id ? { id: claimChanges(id, true) } : {}),
    ...(access
      ? {
          access: claimChanges(access, true),
          ...optionalList(access, 'scopesToAdd', 'scopesToAdd'),
          ...optionalList(access, 'scopesToSuppress', 'scopesToSuppress'),
        }
      : {}),
    ...groupsOf(details),
  };
}

/** groupOverrideDetails replaces the group claims; given as null or {}, it removes them. */
function groupsOf(details: Record<string, unknown>): Pick<TokenCustomization, 'groups'> {
  if (!('groupOverrideDetails' in details)) return {};
  const override = details.groupOverrideDetails;
  if (override === null || override === undefined) return { groups: null };
  if (!isRecord(override)) throw unrecognizable();
  const groups = stringList(override.groupsToOverride);
  const roles = stringList(override.iamRolesToOverride);
  const preferred = override.preferredRole;
  if (preferred !== undefined && preferred !== null && typeof preferred !== 'string') throw unrecognizable();
  return {
    groups: {
      ...(groups ? { groups } : {}),
      ...(roles ? { roles } : {}),
      ...(typeof preferred === 'string' ? { preferredRole: preferred } : {}),
    },
  };
}

/** claimsToAddOrOverride / claimsToSuppress. V1 values are scalars; V2 values may be any JSON. */
function claimChanges(details: Record<string, unknown>, complexValues: boolean): ClaimChanges {
  const add = details.claimsToAddOrOverride;
  const suppress = stringList(details.claimsToSuppress);
  if (add !== undefined && add !== null) {
    if (!isRecord(add)) throw unrecognizable();
    for (const value of Object.values(add)) {
      const scalar = ['string', 'number', 'boolean'].includes(typeof value);
      if (!scalar && !(complexValues && value !== null && typeof value === 'object')) throw unrecognizable();
    }
  }
  return { ...(isRecord(add) ? { add } : {}), ...(suppress ? { suppress } : {}) };
}

function optionalObject(parent: Record<string, unknown>, name: string): Record<string, unknown> | undefined {
  const value = parent[name];
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) throw unrecognizable();
  return value;
}

function optionalList<K extends string>(parent: Record<string, unknown>, name: string, key: K): Partial<Record<K, string[]>> {
  const list = stringList(parent[name]);
  return list ? ({ [key]: list } as Partial<Record<K, string[]>>) : {};
}

function stringList(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) throw unrecognizable();
  return value as string[];
}
