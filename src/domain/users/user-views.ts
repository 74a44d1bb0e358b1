import type { AdminGetUserResponse, AttributeType, GetUserResponse, UserType } from '@aws-sdk/client-cognito-identity-provider';
import type { User } from './user.js';
import type { UserPoolClient } from '../clients/user-pool-client.js';
import { mfaView } from '../mfa/user-mfa.js';

/** Cognito's AttributeType list: `sub` first, then the stored attributes, optionally filtered. */
export function attributeList(user: User, visible: (name: string) => boolean = () => true): AttributeType[] {
  const all: AttributeType[] = [{ Name: 'sub', Value: user.id }];
  for (const [name, value] of Object.entries(user.attributes)) all.push({ Name: name, Value: value });
  return all.filter((a) => visible(a.Name!));
}

/** What a user sees of themselves through an app client: its ReadAttributes, never developer-only ones. */
export function readableBy(client: UserPoolClient | undefined): (name: string) => boolean {
  const readable = client?.settings.ReadAttributes;
  return (name) => !name.startsWith('dev:') && (name === 'sub' || !readable || readable.includes(name));
}

export function toUserType(user: User): UserType {
  return {
    Username: user.username,
    Attributes: attributeList(user),
    UserCreateDate: user.createdAt,
    UserLastModifiedDate: user.updatedAt,
    Enabled: user.enabled,
    UserStatus: user.status,
  };
}

export function toAdminGetUser(user: User): AdminGetUserResponse {
  return {
    Username: user.username,
    UserAttributes: attributeList(user),
    UserCreateDate: user.createdAt,
    UserLastModifiedDate: user.updatedAt,
    Enabled: user.enabled,
    UserStatus: user.status,
    ...mfaView(user),
  };
}

export function toGetUser(user: User, client: UserPoolClient | undefined): GetUserResponse {
  return { Username: user.username, UserAttributes: attributeList(user, readableBy(client)), ...mfaView(user) };
}
