// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SetRiskConfiguration.html
// Implemented: the pool's (or one app client's) AccountTakeoverRiskConfiguration,
// CompromisedCredentialsRiskConfiguration and RiskExceptionConfiguration (CIDR ranges checked).
// NotifyConfiguration.SourceArn (required by the model) is stored; Frontdesk sends the email itself.
import type { SetRiskConfigurationRequest, SetRiskConfigurationResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const setRiskConfiguration = defineOperation<SetRiskConfigurationRequest, SetRiskConfigurationResponse>({
  name: 'SetRiskConfiguration',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    return { RiskConfiguration: await services.riskConfigurations.set(input) };
  },
});
