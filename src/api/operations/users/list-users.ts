// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListUsers.html
// Implemented: Filter with Cognito's grammar (`attr = "v"` exact, `attr ^= "v"` prefix; bare or
// double-quoted attribute names; backslash escapes inside quotes; empty filter = every user) on
// username, email, phone_number, name, given_name, family_name, preferred_username,
// cognito:user_status, status (Enabled/Disabled) and sub; AttributesToGet; Limit; PaginationToken.
// Errors: "Error while parsing filter." for bad syntax, "Invalid search attribute: <name>" for an
// attribute Cognito cannot search, "One or more requested attributes do not exist." for an
// AttributesToGet name outside the schema. Every filter is one index range (user_search), so a page
// costs the same at any pool size; tokens continue after the last (key, user) and stay valid while
// users are added or removed; a token is bound to its pool and filter ("Invalid pagination token."
// otherwise).
// Case: email and cognito:user_status match in any case; status, sub, phone_number, name,
// given_name, family_name, preferred_username and custom attributes are case-sensitive; username
// follows the pool's UsernameConfiguration.CaseSensitive (docs/user-search.md).
// Order: the filtered attribute's value, then sub; the empty filter lists by username.
// EXTENSION (not Cognito): a Filter that starts with `frontdesk:` may combine up to 4 conditions
// with `and` and search `custom:` attributes of the pool's schema, e.g.
//   frontdesk: custom:tier = "gold" and email ^= "a"
// No valid Cognito filter starts with that marker, so Cognito clients see Cognito's behaviour.
// Such a page examines at most 5,000 candidates, so it may hold fewer than Limit users (even none)
// and still carry a PaginationToken.
// DEVIATION: Limit 0 means the default (60). A user without a value for a requested
// AttributesToGet attribute is listed without it (Cognito documents an error for unset
// non-filterable attributes). AttributesToGet [] lists users with no attributes; `sub` is returned
// only when requested (or when AttributesToGet is absent).
import type { ListUsersRequest, ListUsersResponse } from '@aws-sdk/client-cognito-identity-provider';
import { defineOperation } from '../../operation.js';

export const listUsers = defineOperation<ListUsersRequest, ListUsersResponse>({
  name: 'ListUsers',
  service: 'idp',
  auth: 'sigv4',
  async handler(input, { services }) {
    return services.userSearch.listUsers(input);
  },
});
