// User pool groups: CreateGroup, GetGroup, UpdateGroup, DeleteGroup, ListGroups,
// AdminAddUserToGroup, AdminRemoveUserFromGroup, AdminListGroupsForUser, ListUsersInGroup, and the
// group claims of tokens. Reference: "Adding groups to a user pool" in the Cognito developer guide.
import type {
  CreateGroupRequest,
  GroupType,
  UpdateGroupRequest,
  UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  GroupExistsException,
  InvalidParameterException,
  LimitExceededException,
  ResourceNotFoundException,
  UserNotFoundException,
} from '../../generated/exceptions.js';
import type { Store } from '../../store/store.js';
import { decodePageToken, encodePageToken } from '../../store/page-token.js';
import { rankOf } from '../../store/group-store.js';
import type { Clock } from '../clock.js';
import type { UserPoolService } from '../user-pools/user-pool-service.js';
import type { UserPool } from '../user-pools/user-pool.js';
import type { UserDirectory } from '../users/user-directory.js';
import type { User } from '../users/user.js';
import { toUserType } from '../users/user-views.js';
import type { TokenGroups } from '../tokens/claims.js';
import { toGroupType, type Group } from './group.js';

/** Cognito's quota of groups per user pool. */
export const MAX_GROUPS_PER_POOL = 10_000;
/** Cognito documents Precedence up to 2^31-1 (the model only says "minimum 0"). */
export const MAX_PRECEDENCE = 2 ** 31 - 1;
/** What a list returns when Limit is left out (or 0): the maximum the model allows. */
const DEFAULT_LIMIT = 60;

export const GROUP_NOT_FOUND = 'Group not found.';
const USER_NOT_FOUND = 'User does not exist.';

export interface GroupServiceDeps {
  store: Pick<Store, 'groups' | 'users'>;
  clock: Clock;
  userPools: UserPoolService;
  users: UserDirectory;
}

export class GroupService {
  constructor(private readonly deps: GroupServiceDeps) {}

  async create(input: CreateGroupRequest): Promise<GroupType> {
    const pool = await this.deps.userPools.get(input.UserPoolId!);
    checkPrecedence(input.Precedence);
    // Counted before the insert, so racing creations can overshoot the quota by a few; the quota
    // bounds growth, it is not an invariant anything depends on.
    if ((await this.deps.store.groups.count(pool.id)) >= MAX_GROUPS_PER_POOL) {
      throw new LimitExceededException(`The user pool ${pool.id} already has the maximum number of groups (${MAX_GROUPS_PER_POOL}).`);
    }
    const now = this.deps.clock.now();
    const group: Group = {
      userPoolId: pool.id,
      name: input.GroupName!,
      ...(input.Description !== undefined ? { description: input.Description } : {}),
      ...(input.RoleArn !== undefined ? { roleArn: input.RoleArn } : {}),
      ...(input.Precedence !== undefined ? { precedence: input.Precedence } : {}),
      createdAt: now,
      updatedAt: now,
    };
    if (!(await this.deps.store.groups.insert(group))) throw new GroupExistsException('A group with the name already exists.');
    return toGroupType(group);
  }

  async get(poolId: string, name: string): Promise<GroupType> {
    const { group } = await this.groupOf(poolId, name);
    return toGroupType(group);
  }

  /** Changes only the members the request carries; the others keep their values. */
  async update(input: UpdateGroupRequest): Promise<GroupType> {
    const { group } = await this.groupOf(input.UserPoolId!, input.GroupName!);
    checkPrecedence(input.Precedence);
    const next: Group = {
      ...group,
      ...(input.Description !== undefined ? { description: input.Description } : {}),
      ...(input.RoleArn !== undefined ? { roleArn: input.RoleArn } : {}),
      ...(input.Precedence !== undefined ? { precedence: input.Precedence } : {}),
      updatedAt: this.deps.clock.now(),
    };
    if (!(await this.deps.store.groups.update(next))) throw new ResourceNotFoundException(GROUP_NOT_FOUND);
    return toGroupType(next);
  }

  /** Deletes the group; its memberships go with it (the users stay). */
  async delete(poolId: string, name: string): Promise<void> {
    const pool = await this.deps.userPools.get(poolId);
    if (!(await this.deps.store.groups.delete(pool.id, name))) throw new ResourceNotFoundException(GROUP_NOT_FOUND);
  }

  async list(poolId: string, limit: number | undefined, nextToken: string | undefined): Promise<{ groups: GroupType[]; nextToken?: string }> {
    const pool = await this.deps.userPools.get(poolId);
    const after = nextToken === undefined ? undefined : pageKey(nextToken);
    const page = await this.deps.store.groups.list(pool.id, { limit: limitOf(limit), after });
    return {
      groups: page.items.map(toGroupType),
      ...(page.lastKey !== undefined ? { nextToken: encodePageToken(page.lastKey) } : {}),
    };
  }

  /** AdminAddUserToGroup; adding a member again succeeds and changes nothing, as in Cognito. */
  async addUser(poolId: string, name: string, username: string): Promise<void> {
    const { pool, group } = await this.groupOf(poolId, name);
    const user = await this.userOf(pool, username);
    if ((await this.deps.store.groups.addMember(pool.id, group.name, user.id)) === 'missing') {
      // Deleted between the reads and the write: answer as if the reads had seen it.
      if (!(await this.deps.store.groups.get(pool.id, group.name))) throw new ResourceNotFoundException(GROUP_NOT_FOUND);
      throw new UserNotFoundException(USER_NOT_FOUND);
    }
  }

  /** AdminRemoveUserFromGroup; removing a user who is not a member succeeds, as in Cognito. */
  async removeUser(poolId: string, name: string, username: string): Promise<void> {
    const { pool, group } = await this.groupOf(poolId, name);
    const user = await this.userOf(pool, username);
    await this.deps.store.groups.removeMember(pool.id, group.name, user.id);
  }

  async groupsForUser(
    poolId: string,
    username: string,
    limit: number | undefined,
    nextToken: string | undefined,
  ): Promise<{ groups: GroupType[]; nextToken?: string }> {
    const pool = await this.deps.userPools.get(poolId);
    const user = await this.userOf(pool, username);
    const after = nextToken === undefined ? undefined : rankedKey(nextToken);
    const page = await this.deps.store.groups.groupsOfUser(pool.id, user.id, { limit: limitOf(limit), after });
    const last = page.items.at(-1);
    return {
      groups: page.items.map(toGroupType),
      ...(page.more && last ? { nextToken: encodePageToken(JSON.stringify([rankOf(last), last.name])) } : {}),
    };
  }

  async usersInGroup(
    poolId: string,
    name: string,
    limit: number | undefined,
    nextToken: string | undefined,
  ): Promise<{ users: UserType[]; nextToken?: string }> {
    const { pool, group } = await this.groupOf(poolId, name);
    const after = nextToken === undefined ? undefined : pageKey(nextToken);
    const page = await this.deps.store.groups.membersOf(pool.id, group.name, { limit: limitOf(limit), after });
    const users = await Promise.all(page.items.map((id) => this.deps.users.byId(pool, id)));
    return {
      // A user deleted between the two reads is simply not listed.
      users: users.filter((user): user is User => user !== undefined).map(toUserType),
      ...(page.lastKey !== undefined ? { nextToken: encodePageToken(page.lastKey) } : {}),
    };
  }

  /**
   * The group claims of the user's next tokens: names by precedence (groups without one last),
   * then name; every role ARN once; and the preferred role. That is the role of the group with the
   * lowest precedence among the groups that have a role; when several groups share that precedence
   * with different roles, none is preferred and the claim is left out (Cognito's documented rule).
   */
  async tokenGroups(userPoolId: string, userId: string): Promise<TokenGroups> {
    const { items } = await this.deps.store.groups.groupsOfUser(userPoolId, userId);
    const roles = [...new Set(items.flatMap((group) => (group.roleArn ? [group.roleArn] : [])))];
    const withRoles = items.filter((group) => group.roleArn !== undefined);
    let preferredRole: string | undefined;
    if (withRoles.length > 0) {
      const top = rankOf(withRoles[0]!);
      const candidates = new Set(withRoles.filter((group) => rankOf(group) === top).map((group) => group.roleArn!));
      if (candidates.size === 1) preferredRole = [...candidates][0];
    }
    return { groups: items.map((group) => group.name), roles, ...(preferredRole !== undefined ? { preferredRole } : {}) };
  }

  private async groupOf(poolId: string, name: string): Promise<{ pool: UserPool; group: Group }> {
    const pool = await this.deps.userPools.get(poolId);
    const group = await this.deps.store.groups.get(pool.id, name);
    if (!group) throw new ResourceNotFoundException(GROUP_NOT_FOUND);
    return { pool, group };
  }

  private async userOf(pool: UserPool, username: string): Promise<User> {
    const user = await this.deps.users.find(pool, username);
    if (!user) throw new UserNotFoundException(USER_NOT_FOUND);
    return user;
  }
}

function checkPrecedence(precedence: number | undefined): void {
  if (precedence !== undefined && precedence > MAX_PRECEDENCE) {
    throw new InvalidParameterException(
      `1 validation error detected: Value '${precedence}' at 'precedence' failed to satisfy constraint: ` +
        `Member must have value less than or equal to ${MAX_PRECEDENCE}`,
    );
  }
}

function limitOf(limit: number | undefined): number {
  return limit === undefined || limit === 0 ? DEFAULT_LIMIT : limit;
}

function pageKey(token: string): string {
  const key = decodePageToken(token);
  if (key === undefined) throw new InvalidParameterException('Invalid pagination token.');
  return key;
}

function rankedKey(token: string): { rank: number; name: string } {
  try {
    const [rank, name] = JSON.parse(pageKey(token)) as unknown[];
    if (typeof rank === 'number' && Number.isSafeInteger(rank) && typeof name === 'string') return { rank, name };
  } catch {
    // fall through
  }
  throw new InvalidParameterException('Invalid pagination token.');
}
