// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminDeleteUserAttributes.html
// Implemented: deletes any schema attribute, developer-only ones included; refuses `sub`, names not
// in the schema, immutable and required attributes (InvalidParameterException, nothing deleted).
// Deleting an email or phone number deletes its verified flag and any value pending verification.
import type { AdminDeleteUserAttributesRequest, AdminDeleteUserAttributesResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const adminDeleteUserAttributes = defineOperation<AdminDeleteUserAttributesRequest, AdminDeleteUserAttributesResponse>({
  name: 'AdminDeleteUserAttributes',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    await services.adminUsers.deleteUserAttributes(input.UserPoolId!, input.Username!, input.UserAttributeNames!);
    return {};
  },
});
