import { notImplemented, type NotImplemented, type OperationDescriptor } from './operation.js';
import { createUserPool } from './operations/user-pools/create-user-pool.js';
import { describeUserPool } from './operations/user-pools/describe-user-pool.js';
import { updateUserPool } from './operations/user-pools/update-user-pool.js';
import { deleteUserPool } from './operations/user-pools/delete-user-pool.js';
import { listUserPools } from './operations/user-pools/list-user-pools.js';
import { addCustomAttributes } from './operations/user-pools/add-custom-attributes.js';
import { getUserPoolMfaConfig } from './operations/user-pools/get-user-pool-mfa-config.js';
import { setUserPoolMfaConfig } from './operations/user-pools/set-user-pool-mfa-config.js';
import { associateSoftwareToken } from './operations/mfa/associate-software-token.js';
import { verifySoftwareToken } from './operations/mfa/verify-software-token.js';
import { setUserMFAPreference } from './operations/mfa/set-user-mfa-preference.js';
import { adminSetUserMFAPreference } from './operations/mfa/admin-set-user-mfa-preference.js';
import { setUserSettings } from './operations/mfa/set-user-settings.js';
import { adminSetUserSettings } from './operations/mfa/admin-set-user-settings.js';
import { confirmDevice } from './operations/devices/confirm-device.js';
import { listDevices } from './operations/devices/list-devices.js';
import { adminListDevices } from './operations/devices/admin-list-devices.js';
import { getDevice } from './operations/devices/get-device.js';
import { adminGetDevice } from './operations/devices/admin-get-device.js';
import { updateDeviceStatus } from './operations/devices/update-device-status.js';
import { adminUpdateDeviceStatus } from './operations/devices/admin-update-device-status.js';
import { forgetDevice } from './operations/devices/forget-device.js';
import { adminForgetDevice } from './operations/devices/admin-forget-device.js';
import { setRiskConfiguration } from './operations/risk/set-risk-configuration.js';
import { describeRiskConfiguration } from './operations/risk/describe-risk-configuration.js';
import { adminListUserAuthEvents } from './operations/risk/admin-list-user-auth-events.js';
import { adminUpdateAuthEventFeedback } from './operations/risk/admin-update-auth-event-feedback.js';
import { updateAuthEventFeedback } from './operations/risk/update-auth-event-feedback.js';
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
import { exportUsers } from './operations/frontdesk-admin/export-users.js';
import { importUsers } from './operations/frontdesk-admin/import-users.js';
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
import { getCsvHeader } from './operations/user-import/get-csv-header.js';
import { createUserImportJob } from './operations/user-import/create-user-import-job.js';
import { startUserImportJob } from './operations/user-import/start-user-import-job.js';
import { stopUserImportJob } from './operations/user-import/stop-user-import-job.js';
import { describeUserImportJob } from './operations/user-import/describe-user-import-job.js';
import { listUserImportJobs } from './operations/user-import/list-user-import-jobs.js';
import { listUserImportJobErrors } from './operations/frontdesk-admin/list-user-import-job-errors.js';
import { createResourceServer } from './operations/oauth/create-resource-server.js';
import { describeResourceServer } from './operations/oauth/describe-resource-server.js';
import { updateResourceServer } from './operations/oauth/update-resource-server.js';
import { deleteResourceServer } from './operations/oauth/delete-resource-server.js';
import { listResourceServers } from './operations/oauth/list-resource-servers.js';
import { createUserPoolDomain } from './operations/oauth/create-user-pool-domain.js';
import { describeUserPoolDomain } from './operations/oauth/describe-user-pool-domain.js';
import { updateUserPoolDomain } from './operations/oauth/update-user-pool-domain.js';
import { deleteUserPoolDomain } from './operations/oauth/delete-user-pool-domain.js';
import { setUICustomization } from './operations/oauth/set-ui-customization.js';
import { getUICustomization } from './operations/oauth/get-ui-customization.js';
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
  AdminForgetDevice: adminForgetDevice,
  AdminGetDevice: adminGetDevice,
  AdminGetUser: adminGetUser,
  AdminInitiateAuth: adminInitiateAuth,
  AdminLinkProviderForUser: notImplemented,
  AdminListDevices: adminListDevices,
  AdminListGroupsForUser: adminListGroupsForUser,
  AdminListUserAuthEvents: adminListUserAuthEvents,
  AdminRemoveUserFromGroup: adminRemoveUserFromGroup,
  AdminResetUserPassword: adminResetUserPassword,
  AdminRespondToAuthChallenge: adminRespondToAuthChallenge,
  AdminSetUserMFAPreference: adminSetUserMFAPreference,
  AdminSetUserPassword: adminSetUserPassword,
  AdminSetUserSettings: adminSetUserSettings,
  AdminUpdateAuthEventFeedback: adminUpdateAuthEventFeedback,
  AdminUpdateDeviceStatus: adminUpdateDeviceStatus,
  AdminUpdateUserAttributes: adminUpdateUserAttributes,
  AdminUserGlobalSignOut: adminUserGlobalSignOut,
  AssociateSoftwareToken: associateSoftwareToken,
  ChangePassword: changePassword,
  CompleteWebAuthnRegistration: notImplemented,
  ConfirmDevice: confirmDevice,
  ConfirmForgotPassword: confirmForgotPassword,
  ConfirmSignUp: confirmSignUp,
  CreateGroup: createGroup,
  CreateIdentityProvider: notImplemented,
  CreateManagedLoginBranding: notImplemented,
  CreateResourceServer: createResourceServer,
  CreateTerms: notImplemented,
  CreateUserImportJob: createUserImportJob,
  CreateUserPool: createUserPool,
  CreateUserPoolClient: createUserPoolClient,
  CreateUserPoolDomain: createUserPoolDomain,
  DeleteGroup: deleteGroup,
  DeleteIdentityProvider: notImplemented,
  DeleteManagedLoginBranding: notImplemented,
  DeleteResourceServer: deleteResourceServer,
  DeleteTerms: notImplemented,
  DeleteUser: deleteUser,
  DeleteUserAttributes: deleteUserAttributes,
  DeleteUserPool: deleteUserPool,
  DeleteUserPoolClient: deleteUserPoolClient,
  DeleteUserPoolClientSecret: notImplemented,
  DeleteUserPoolDomain: deleteUserPoolDomain,
  DeleteWebAuthnCredential: notImplemented,
  DescribeIdentityProvider: notImplemented,
  DescribeManagedLoginBranding: notImplemented,
  DescribeManagedLoginBrandingByClient: notImplemented,
  DescribeResourceServer: describeResourceServer,
  DescribeRiskConfiguration: describeRiskConfiguration,
  DescribeTerms: notImplemented,
  DescribeUserImportJob: describeUserImportJob,
  DescribeUserPool: describeUserPool,
  DescribeUserPoolClient: describeUserPoolClient,
  DescribeUserPoolDomain: describeUserPoolDomain,
  ForgetDevice: forgetDevice,
  ForgotPassword: forgotPassword,
  GetCSVHeader: getCsvHeader,
  GetDevice: getDevice,
  GetGroup: getGroup,
  GetIdentityProviderByIdentifier: notImplemented,
  GetLogDeliveryConfiguration: notImplemented,
  GetSigningCertificate: notImplemented,
  GetTokensFromRefreshToken: getTokensFromRefreshToken,
  GetUICustomization: getUICustomization,
  GetUser: getUser,
  GetUserAttributeVerificationCode: getUserAttributeVerificationCode,
  GetUserAuthFactors: notImplemented,
  GetUserPoolMfaConfig: getUserPoolMfaConfig,
  GlobalSignOut: globalSignOut,
  InitiateAuth: initiateAuth,
  ListDevices: listDevices,
  ListGroups: listGroups,
  ListIdentityProviders: notImplemented,
  ListResourceServers: listResourceServers,
  ListTagsForResource: notImplemented,
  ListTerms: notImplemented,
  ListUserImportJobs: listUserImportJobs,
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
  SetRiskConfiguration: setRiskConfiguration,
  SetUICustomization: setUICustomization,
  SetUserMFAPreference: setUserMFAPreference,
  SetUserPoolMfaConfig: setUserPoolMfaConfig,
  SetUserSettings: setUserSettings,
  SignUp: signUp,
  StartUserImportJob: startUserImportJob,
  StartWebAuthnRegistration: notImplemented,
  StopUserImportJob: stopUserImportJob,
  TagResource: notImplemented,
  UntagResource: notImplemented,
  UpdateAuthEventFeedback: updateAuthEventFeedback,
  UpdateDeviceStatus: updateDeviceStatus,
  UpdateGroup: updateGroup,
  UpdateIdentityProvider: notImplemented,
  UpdateManagedLoginBranding: notImplemented,
  UpdateResourceServer: updateResourceServer,
  UpdateTerms: notImplemented,
  UpdateUserAttributes: updateUserAttributes,
  UpdateUserPool: updateUserPool,
  UpdateUserPoolClient: updateUserPoolClient,
  UpdateUserPoolDomain: updateUserPoolDomain,
  VerifySoftwareToken: verifySoftwareToken,
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
  ListUserImportJobErrors: listUserImportJobErrors,
  ExportUsers: exportUsers,
  ImportUsers: importUsers,
  GetCustomSenderKey: getCustomSenderKey,
};
