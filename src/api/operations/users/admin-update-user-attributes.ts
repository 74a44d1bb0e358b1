// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminUpdateUserAttributes.html
// Implemented: any schema attribute, developer-only ones and email_verified/phone_number_verified
// included (no client WriteAttributes apply); `sub` and immutable attributes refused; a blank value
// deletes the attribute (required ones refused). A changed email/phone number without
// <name>_verified=true becomes unverified and, when the pool auto-verifies it, gets a code; with
// AttributesRequireVerificationBeforeUpdate and a verified current value the new one waits until
// verified. <name>_verified=true applies a new or pending value at once, verified, with no message.
// Alias pools: marking an email/phone verified moves the alias from whoever held it (their value
// becomes unverified), as Cognito does; email/phone as username, and preferred_username, answer
// AliasExistsException when another user has the value.
// ClientMetadata goes to the CustomMessage trigger (CustomMessage_UpdateUserAttribute).
import type { AdminUpdateUserAttributesRequest, AdminUpdateUserAttributesResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const adminUpdateUserAttributes = defineOperation<AdminUpdateUserAttributesRequest, AdminUpdateUserAttributesResponse>({
  name: 'AdminUpdateUserAttributes',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    await services.adminUsers.updateUserAttributes(input.UserPoolId!, input.Username!, input.UserAttributes!, input.ClientMetadata);
    return {};
  },
});
