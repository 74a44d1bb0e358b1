import type { CreateUserPoolClientRequest, TimeUnitsType, TokenValidityUnitsType } from '@aws-sdk/client-cognito-identity-provider';
import { InvalidParameterException } from '../../generated/exceptions.js';

const SECONDS_PER: Record<TimeUnitsType, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86400 };

const MINUTE = 60;
const DAY = 86400;

interface TokenRule {
  member: 'AccessTokenValidity' | 'IdTokenValidity' | 'RefreshTokenValidity';
  unitKey: keyof TokenValidityUnitsType;
  /** The unit a bare value is read in when TokenValidityUnits says nothing (Cognito's documented defaults). */
  defaultUnit: TimeUnitsType;
  /** The lifetime a client gets when the request gives no value. */
  defaultSeconds: number;
  minSeconds: number;
  maxSeconds: number;
  range: string;
}

const RULES: readonly TokenRule[] = [
  {
    member: 'AccessTokenValidity',
    unitKey: 'AccessToken',
    defaultUnit: 'hours',
    defaultSeconds: 60 * MINUTE,
    minSeconds: 5 * MINUTE,
    maxSeconds: DAY,
    range: '5 minutes to 1 day',
  },
  {
    member: 'IdTokenValidity',
    unitKey: 'IdToken',
    defaultUnit: 'hours',
    defaultSeconds: 60 * MINUTE,
    minSeconds: 5 * MINUTE,
    maxSeconds: DAY,
    range: '5 minutes to 1 day',
  },
  {
    member: 'RefreshTokenValidity',
    unitKey: 'RefreshToken',
    defaultUnit: 'days',
    defaultSeconds: 30 * DAY,
    minSeconds: 60 * MINUTE,
    maxSeconds: 3650 * DAY,
    range: '60 minutes to 3650 days (10 years)',
  },
];

export type TokenValidityInput = Pick<
  CreateUserPoolClientRequest,
  'AccessTokenValidity' | 'IdTokenValidity' | 'RefreshTokenValidity' | 'TokenValidityUnits'
>;

export type TokenValiditySettings = Required<
  Pick<CreateUserPoolClientRequest, 'AccessTokenValidity' | 'IdTokenValidity' | 'RefreshTokenValidity'>
> & { TokenValidityUnits: Required<TokenValidityUnitsType> };

/**
 * Resolves the three token lifetimes the way Cognito reads them: each value is counted in its
 * unit from TokenValidityUnits (access/ID default to hours, refresh to days), must fall in its
 * range, and access/ID tokens may not outlive the refresh token.
 *
 * The stored form always names all three units, so a stored client never depends on which default
 * unit applied when it was written. An omitted value gets Cognito's default (60 minutes, 60 minutes,
 * 30 days), expressed in the requested unit when that is exact and otherwise in the unit Cognito
 * itself shows for a default client (minutes for access/ID tokens).
 */
export function resolveTokenValidity(input: TokenValidityInput): TokenValiditySettings {
  const requestedUnits = input.TokenValidityUnits ?? {};
  const out = { TokenValidityUnits: {} } as TokenValiditySettings;
  const seconds: Record<string, number> = {};
  for (const rule of RULES) {
    const value = input[rule.member];
    const requestedUnit = requestedUnits[rule.unitKey];
    let amount: number;
    let unit: TimeUnitsType;
    if (value === undefined) {
      ({ amount, unit } = defaultIn(rule, requestedUnit));
    } else {
      amount = value;
      unit = requestedUnit ?? rule.defaultUnit;
    }
    const lifetime = amount * SECONDS_PER[unit];
    if (lifetime < rule.minSeconds || lifetime > rule.maxSeconds) {
      throw new InvalidParameterException(
        `Invalid range for token validity: ${rule.member} must be from ${rule.range}; ${amount} ${unit} is outside that range.`,
      );
    }
    out[rule.member] = amount;
    out.TokenValidityUnits[rule.unitKey] = unit;
    seconds[rule.member] = lifetime;
  }
  if (seconds.AccessTokenValidity! > seconds.RefreshTokenValidity! || seconds.IdTokenValidity! > seconds.RefreshTokenValidity!) {
    throw new InvalidParameterException(
      'Access and Id Token expiration times must be less than or equal to refresh token expiration times.',
    );
  }
  return out;
}

function defaultIn(rule: TokenRule, requestedUnit: TimeUnitsType | undefined): { amount: number; unit: TimeUnitsType } {
  if (requestedUnit !== undefined && rule.defaultSeconds % SECONDS_PER[requestedUnit] === 0) {
    return { amount: rule.defaultSeconds / SECONDS_PER[requestedUnit], unit: requestedUnit };
  }
  return rule.member === 'RefreshTokenValidity'
    ? { amount: rule.defaultSeconds / DAY, unit: 'days' }
    : { amount: rule.defaultSeconds / MINUTE, unit: 'minutes' };
}

/** Token lifetimes in seconds, for whoever issues tokens for this client. */
export interface TokenLifetimes {
  accessTokenSeconds: number;
  idTokenSeconds: number;
  refreshTokenSeconds: number;
}

export function tokenLifetimes(settings: Partial<TokenValiditySettings>): TokenLifetimes {
  const resolved = resolveTokenValidity(settings);
  const of = (value: number, unit: TimeUnitsType) => value * SECONDS_PER[unit];
  return {
    accessTokenSeconds: of(resolved.AccessTokenValidity, resolved.TokenValidityUnits.AccessToken),
    idTokenSeconds: of(resolved.IdTokenValidity, resolved.TokenValidityUnits.IdToken),
    refreshTokenSeconds: of(resolved.RefreshTokenValidity, resolved.TokenValidityUnits.RefreshToken),
  };
}
