// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SetUICustomization.html
// Implemented: CSS and a PNG/JPEG logo (100 KB) per pool (no ClientId, or "ALL") or per client,
// applied to every hosted page. DEVIATION: see src/domain/oauth/ui-customization-service.ts.
import type { SetUICustomizationRequest, SetUICustomizationResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const setUICustomization = defineOperation<SetUICustomizationRequest, SetUICustomizationResponse>({
  name: 'SetUICustomization',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    return { UICustomization: await services.uiCustomization.set(input) };
  },
});
