import { createHmac } from 'node:crypto';
import type { AttributeType, CodeDeliveryDetailsType } from '@aws-sdk/client-cognito-identity-provider';
import type { UserPoolClient } from '../clients/user-pool-client.js';
import type { SignUpService } from '../users/sign-up-service.js';
import type { PasswordRecovery } from '../users/password-recovery.js';
import type { AuthorizationRequest } from './authorization-request.js';

/**
 * The hosted pages act as the app client (the browser never holds a client secret), so for a
 * confidential client they supply the SECRET_HASH the user services check.
 */
export function secretHashFor(client: UserPoolClient, username: string): string | undefined {
  return client.secret === undefined ? undefined : createHmac('sha256', client.secret).update(username + client.id).digest('base64');
}

/**
 * Sign-up, confirmation and password recovery for the hosted pages: the very services behind
 * SignUp, ConfirmSignUp, ResendConfirmationCode, ForgotPassword and ConfirmForgotPassword (same
 * policies, triggers, messages, PreventUserExistenceErrors), called as the request's client.
 */
export class HostedAccounts {
  constructor(private readonly deps: { signUp: SignUpService; recovery: PasswordRecovery }) {}

  /** Where the request came from (the user's IP), for risk decisions and auth events as in the API. */
  private origin(sourceIp: string | undefined) {
    return sourceIp !== undefined ? { sourceIp } : {};
  }

  private caller(request: AuthorizationRequest, username: string) {
    const hash = secretHashFor(request.client, username);
    return { ClientId: request.client.id, Username: username, ...(hash !== undefined ? { SecretHash: hash } : {}) };
  }

  signUp(request: AuthorizationRequest, username: string, password: string, attributes: AttributeType[], sourceIp?: string) {
    return this.deps.signUp.signUp({ ...this.caller(request, username), Password: password, UserAttributes: attributes }, this.origin(sourceIp));
  }

  confirmSignUp(request: AuthorizationRequest, username: string, code: string): Promise<void> {
    return this.deps.signUp.confirmSignUp({ ...this.caller(request, username), ConfirmationCode: code });
  }

  resendCode(request: AuthorizationRequest, username: string, sourceIp?: string): Promise<CodeDeliveryDetailsType | undefined> {
    return this.deps.signUp.resendConfirmationCode(this.caller(request, username), this.origin(sourceIp));
  }

  forgotPassword(request: AuthorizationRequest, username: string, sourceIp?: string): Promise<CodeDeliveryDetailsType | undefined> {
    return this.deps.recovery.forgotPassword(this.caller(request, username), this.origin(sourceIp));
  }

  confirmForgotPassword(request: AuthorizationRequest, username: string, code: string, password: string, sourceIp?: string): Promise<void> {
    return this.deps.recovery.confirmForgotPassword({ ...this.caller(request, username), ConfirmationCode: code, Password: password }, this.origin(sourceIp));
  }
}
