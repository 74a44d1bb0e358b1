// Frontdesk's own API (X-Amz-Target `FrontdeskAdmin.GetUserPoolOptions` / `SetUserPoolOptions`,
// SigV4 with the admin credentials): pool settings Cognito has no member for.
//   SrpDisabled: store Argon2id password hashes instead of SRP verifiers for passwords set from now
//   on, and refuse USER_SRP_AUTH. Passwords set earlier keep working with password sign-in.
// Input: { UserPoolId, SrpDisabled? } (Set changes only what it names). Output: { UserPoolId, SrpDisabled }.
import { defineOperation } from '../../operation.js';

export interface UserPoolOptionsRequest {
  UserPoolId: string;
  SrpDisabled?: boolean;
}

export interface UserPoolOptionsResponse {
  UserPoolId: string;
  SrpDisabled: boolean;
}

export const getUserPoolOptions = defineOperation<UserPoolOptionsRequest, UserPoolOptionsResponse>({
  name: 'GetUserPoolOptions',
  service: 'admin',
  auth: 'sigv4',
  async handler(input, { services }) {
    const pool = await services.userPools.get(input.UserPoolId);
    return { UserPoolId: pool.id, SrpDisabled: pool.settings.FrontdeskOptions?.SrpDisabled === true };
  },
});

export const setUserPoolOptions = defineOperation<UserPoolOptionsRequest, UserPoolOptionsResponse>({
  name: 'SetUserPoolOptions',
  service: 'admin',
  auth: 'sigv4',
  async handler(input, { services }) {
    const pool = await services.userPools.mutate(input.UserPoolId, (current) => ({
      name: current.name,
      settings: {
        ...current.settings,
        FrontdeskOptions: {
          ...current.settings.FrontdeskOptions,
          ...(input.SrpDisabled !== undefined ? { SrpDisabled: input.SrpDisabled } : {}),
        },
      },
    }));
    return { UserPoolId: pool.id, SrpDisabled: pool.settings.FrontdeskOptions?.SrpDisabled === true };
  },
});
