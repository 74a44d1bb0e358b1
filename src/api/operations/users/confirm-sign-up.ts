// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ConfirmSignUp.html
// Implemented: single-use code, attempt limit, ForceAliasCreation, SECRET_HASH, PreventUserExistenceErrors.
import type { ConfirmSignUpRequest, ConfirmSignUpResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const confirmSignUp = defineOperation<ConfirmSignUpRequest, ConfirmSignUpResponse>({
  name: 'ConfirmSignUp',
  service: 'idp',
  auth: 'none',
  async handler(input, { services }) {
    await services.signUp.confirmSignUp(input);
    return {};
  },
});
