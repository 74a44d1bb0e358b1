import type { UserStatusType } from '@aws-sdk/client-cognito-identity-provider';
import type { User } from '../../users/user.js';

/**
 * `request.userAttributes` for triggers about an existing user: `sub`, every stored attribute,
 * and `cognito:user_status`, as Cognito sends them (all values strings).
 */
export function eventAttributes(user: Pick<User, 'id' | 'attributes' | 'status'>, status?: UserStatusType): Record<string, string> {
  return { sub: user.id, ...user.attributes, 'cognito:user_status': status ?? user.status };
}
