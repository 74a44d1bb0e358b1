// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_DescribeRiskConfiguration.html
// Implemented: the stored configuration (ClientId "ALL" for the pool's own).
import type { DescribeRiskConfigurationRequest, DescribeRiskConfigurationResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const describeRiskConfiguration = defineOperation<DescribeRiskConfigurationRequest, DescribeRiskConfigurationResponse>({
  name: 'DescribeRiskConfiguration',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    return { RiskConfiguration: await services.riskConfigurations.describe(input.UserPoolId!, input.ClientId) };
  },
});
