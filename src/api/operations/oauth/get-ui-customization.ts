// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetUICustomization.html
// Implemented: the client's customization, else the pool's ("ALL"), else one naming only the pool.
import type { GetUICustomizationRequest, GetUICustomizationResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const getUICustomization = defineOperation<GetUICustomizationRequest, GetUICustomizationResponse>({
  name: 'GetUICustomization',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    return { UICustomization: await services.uiCustomization.get(input.UserPoolId!, input.ClientId) };
  },
});
