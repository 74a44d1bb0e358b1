import { notImplemented, type NotImplemented, type OperationDescriptor } from './operation.js';
import { createUserPool } from './operations/user-pools/create-user-pool.js';
import { describeUserPool } from './operations/user-pools/describe-user-pool.js';
import { updateUserPool } from './operations/user-pools/update-user-pool.js';
import { deleteUserPool } from './operations/user-pools/delete-user-pool.js';
import { listUserPools } from './operations/user-pools/list-user-pools.js';
import { addCustomAttributes } from './operations/user-pools/add-custom-attributes.js';
import { getUserPoolMfaConfig } from './operations/user-pools/get-user-pool-mfa-config.js';
import { setUserPoolMfaConfig } from './operations/user-pools/set-user-pool-mfa-config.js';
import { createUserPoolClient } from './operations/clients/create-user-pool-client.js';
import { describeUserPoolClient } from './operations/clients/describe-user-pool-client.js';
import { updateUserPoolClient } from './operations/clients/update-user-pool-client.js';
import { deleteUserPoolClient } from './operations/clients/delete-user-pool-client.js';
import { listUserPoolClients } from './operations/clients/list-user-pool-clients.js';
import { listMessages } from './operations/frontdesk-admin/list-messages.js';
import { signUp } from './operations/users/sign-up.js';
import { confirmSignUp } from './operations/users/confirm-sign-up.js';
import { resendConfirmationCode } from './operations/users/resend-confirmation-code.js';
import { forgotPassword } from './operations/users/forgot-password.js';
import { confirmForgotPassword } from './operations/users/confirm-forgot-password.js';
import { getUser } from './operations/users/get-user.js';
import { updateUserAttributes } from './operations/users/update-user-attributes.js';
import { deleteUserAttributes } from './operations/users/delete-user-attributes.js';
import { getUserAttributeVerificationCode } from './operations/users/get-user-attribute-verification-code.js';
import { verifyUserAttribute } from './operations/users/verify-user-attribute.js';
import { changePassword } from './operations/users/change-password.js';
import { deleteUser } from './operations/users/delete-user.js';
import { globalSignOut } from './operations/users/global-sign-out.js';
import { adminCreateUser } from './operations/users/admin-create-user.js';
import { adminGetUser } from './operations/users/admin-get-user.js';
import { listUsers } from './operations/users/list-users.js';
import { adminDeleteUser } from './operations/users/admin-delete-user.js';
import { adminConfirmSignUp } from './operations/users/admin-confirm-sign-up.js';
import { adminSetUserPassword } from './operations/users/admin-set-user-password.js';
import { adminUserGlobalSignOut } from './operations/users/admin-user-global-sign-out.js';
import { adminDisableUser } from './operations/users/admin-disable-user.js';
import { adminEnableUser } from './operations/users/admin-enable-user.js';
import { adminResetUserPassword } from './operations/users/admin-reset-user-password.js';
import { adminUpdateUserAttributes } from './operations/users/admin-update-user-attributes.js';
import { adminDeleteUserAttributes } from './operations/users/admin-delete-user-attributes.js';
import { initiateAuth } from './operations/auth/initiate-auth.js';
import { adminInitiateAuth } from './operations/auth/admin-initiate-auth.js';
import { respondToAuthChallenge } from './operations/auth/respond-to-auth-challenge.js';
import { adminRespondToAuthChallenge } from './operations/auth/admin-respond-to-auth-challenge.js';
import { getTokensFromRefreshToken } from './operations/auth/get-tokens-from-refresh-token.js';
import { revokeToken } from './operations/auth/revoke-token.js';
import { getUserPoolOptions, setUserPoolOptions } from './operations/frontdesk-admin/user-pool-options.js';
import { rotateSigningKey } from './operations/frontdesk-admin/rotate-signing-key.js';
import { deleteFunction, getFunction, listFunctions, putFunction } from './operations/frontdesk-admin/trigger-functions.js';
import { getCustomSenderKey } from './operations/frontdesk-admin/get-custom-sender-key.js';
import { adminAddUserToGroup } from './operations/groups/admin-add-user-to-group.js';
import { adminListGroupsForUser } from './operations/groups/admin-list-groups-for-user.js';
import { adminRemoveUserFromGroup } from './operations/groups/admin-remove-user-from-group.js';
import { createGroup } from './operations/groups/create-group.js';
import { deleteGroup } from './operations/groups/delete-group.js';
import { getGroup } from './operations/groups/get-group.js';
import { listGroups } from './operations/groups/list-groups.js';
import { listUsersInGroup } from './operations/groups/list-users-in-group.js';
import { updateGroup } from './operations/groups/update-group.js';
import type { IdentityOperationName, IdpOperationName } from '../generated/operation-models.js';
import type { AdminOperationName } from './frontdesk-admin/admin-models.js';

// Every operation of both models, each either implemented or explicitly not yet: leaving one
// out is a compile error, so the registry cannot silently drift from the models.

type Registry<Name extends string> = Record<Name, OperationDescriptor | NotImplemented>;

export const idpOperations: Registry<IdpOperationName> = {
  AddCustomAttributes: addCustomAttributes,
  AddUserPoolClientSecret: notImplemented,
  AdminAddUserToGroup: adminAddUserToGroup,
  AdminConfirmSignUp: adminConfirmSignUp,
  AdminCreateUser: adminCreateUser,
  AdminDeleteUser: adminDeleteUser,
  AdminDeleteUserAttributes: adminDeleteUserAttributes,
  AdminDisableProviderForUser: notImplemented,
  AdminDisableUser: adminDisableUser,
  AdminEnableUser: adminEnableUser,
  AdminForgetDevice: notImplemented,
  AdminGetDevice: notImplemented,
  AdminGetUser: adminGetUser,
  AdminInitiateAuth: adminInitiateAuth,
  AdminLinkProviderForUser: notImplemented,
  AdminListDevices: notImplemented,
  AdminListGroupsForUser: adminListGroupsForUser,
  AdminListUserAuthEvents: notImplemented,
  AdminRemoveUserFromGroup: adminRemoveUserFromGroup,
  AdminResetUserPassword: adminResetUserPassword,
  AdminRespondToAuthChallenge: adminRespondToAuthChallenge,
  AdminSetUserMFAPreference: notImplemented,
  AdminSetUserPassword: adminSetUserPassword,
  AdminSetUserSettings: notImplemented,
  AdminUpdateAuthEventFeedback: notImplemented,
  AdminUpdateDeviceStatus: notImplemented,
  AdminUpdateUserAttributes: adminUpdateUserAttributes,
  AdminUserGlobalSignOut: adminUserGlobalSignOut,
  AssociateSoftwareToken: notImplemented,
  ChangePassword: changePassword,
  CompleteWebAuthnRegistration: notImplemented,
  ConfirmDevice: notImplemented,
  ConfirmForgotPassword: confirmForgotPassword,
  ConfirmSignUp: confirmSignUp,
  CreateGroup: createGroup,
  CreateIdentityProvider: notImplemented,
  CreateManagedLoginBranding: notImplemented,
  CreateResourceServer: notImplemented,
  CreateTerms: notImplemented,
  CreateUserImportJob: notImplemented,
  CreateUserPool: createUserPool,
  CreateUserPoolClient: createUserPoolClient,
  CreateUserPoolDomain: notImplemented,
  DeleteGroup: deleteGroup,
  DeleteIdentityProvider: notImplemented,
  DeleteManagedLoginBranding: notImplemented,
  DeleteResourceServer: notImplemented,
  DeleteTerms: notImplemented,
  DeleteUser: deleteUser,
  DeleteUserAttributes: deleteUserAttributes,
  DeleteUserPool: deleteUserPool,
  DeleteUserPoolClient: deleteUserPoolClient,
  DeleteUserPoolClientSecret: notImplemented,
  DeleteUserPoolDomain: notImplemented,
  DeleteWebAuthnCredential: notImplemented,
  DescribeIdentityProvider: notImplemented,
  DescribeManagedLoginBranding: notImplemented,
  DescribeManagedLoginBrandingByClient: notImplemented,
  DescribeResourceServer: notImplemented,
  DescribeRiskConfiguration: notImplemented,
  DescribeTerms: notImplemented,
  DescribeUserImportJob: notImplemented,
  DescribeUserPool: describeUserPool,
  DescribeUserPoolClient: describeUserPoolClient,
  DescribeUserPoolDomain: notImplemented,
  ForgetDevice: notImplemented,
  ForgotPassword: forgotPassword,
  GetCSVHeader: notImplemented,
  GetDevice: notImplemented,
  GetGroup: getGroup,
  GetIdentityProviderByIdentifier: notImplemented,
  GetLogDeliveryConfiguration: notImplemented,
  GetSigningCertificate: notImplemented,
  GetTokensFromRefreshToken: getTokensFromRefreshToken,
  GetUICustomization: notImplemented,
  GetUser: getUser,
  GetUserAttributeVerificationCode: getUserAttributeVerificationCode,
  GetUserAuthFactors: notImplemented,
  GetUserPoolMfaConfig: getUserPoolMfaConfig,
  GlobalSignOut: globalSignOut,
  InitiateAuth: initiateAuth,
  ListDevices: notImplemented,
  ListGroups: listGroups,
  ListIdentityProviders: notImplemented,
  ListResourceServers: notImplemented,
  ListTagsForResource: notImplemented,
  ListTerms: notImplemented,
  ListUserImportJobs: notImplemented,
  ListUserPoolClientSecrets: notImplemented,
  ListUserPoolClients: listUserPoolClients,
  ListUserPools: listUserPools,
  ListUsers: listUsers,
  ListUsersInGroup: listUsersInGroup,
  ListWebAuthnCredentials: notImplemented,
  ResendConfirmationCode: resendConfirmationCode,
  RespondToAuthChallenge: respondToAuthChallenge,
  RevokeToken: revokeToken,
  SetLogDeliveryConfiguration: notImplemented,
  SetRiskConfiguration: notImplemented,
  SetUICustomization: notImplemented,
  SetUserMFAPreference: notImplemented,
  SetUserPoolMfaConfig: setUserPoolMfaConfig,
  SetUserSettings: notImplemented,
  SignUp: signUp,
  StartUserImportJob: notImplemented,
  StartWebAuthnRegistration: notImplemented,
  StopUserImportJob: notImplemented,
  TagResource: notImplemented,
  UntagResource: notImplemented,
  UpdateAuthEventFeedback: notImplemented,
  UpdateDeviceStatus: notImplemented,
  UpdateGroup: updateGroup,
  UpdateIdentityProvider: notImplemented,
  UpdateManagedLoginBranding: notImplemented,
  UpdateResourceServer: notImplemented,
  UpdateTerms: notImplemented,
  UpdateUserAttributes: updateUserAttributes,
  UpdateUserPool: updateUserPool,
  UpdateUserPoolClient: updateUserPoolClient,
  UpdateUserPoolDomain: notImplemented,
  VerifySoftwareToken: notImplemented,
  VerifyUserAttribute: verifyUserAttribute,
};

export const identityOperations: Registry<IdentityOperationName> = {
  CreateIdentityPool: notImplemented,
  DeleteIdentities: notImplemented,
  DeleteIdentityPool: notImplemented,
  DescribeIdentity: notImplemented,
  DescribeIdentityPool: notImplemented,
  GetCredentialsForIdentity: notImplemented,
  GetId: notImplemented,
  GetIdentityPoolRoles: notImplemented,
  GetOpenIdToken: notImplemented,
  GetOpenIdTokenForDeveloperIdentity: notImplemented,
  GetPrincipalTagAttributeMap: notImplemented,
  ListIdentities: notImplemented,
  ListIdentityPools: notImplemented,
  ListTagsForResource: notImplemented,
  LookupDeveloperIdentity: notImplemented,
  MergeDeveloperIdentities: notImplemented,
  SetIdentityPoolRoles: notImplemented,
  SetPrincipalTagAttributeMap: notImplemented,
  TagResource: notImplemented,
  UnlinkDeveloperIdentity: notImplemented,
  UnlinkIdentity: notImplemented,
  UntagResource: notImplemented,
  UpdateIdentityPool: notImplemented,
};

export const adminOperations: Registry<AdminOperationName> = {
  ListMessages: listMessages,
  GetUserPoolOptions: getUserPoolOptions,
  SetUserPoolOptions: setUserPoolOptions,
  RotateSigningKey: rotateSigningKey,
  PutFunction: putFunction,
  GetFunction: getFunction,
  ListFunctions: listFunctions,
  DeleteFunction: deleteFunction,
  GetCustomSenderKey: getCustomSenderKey,
};
