import { InvalidParameterException } from '../../../generated/exceptions.js';
import type { Store } from '../../../store/store.js';
import type { UserPoolService } from '../../user-pools/user-pool-service.js';
import type { UserPool } from '../../user-pools/user-pool.js';
import type { User } from '../user.js';
import { credentialToTransfer } from './imported-credentials.js';
import { mfaToTransfer } from './mfa-transfer.js';
import type { SecretBox } from '../../../crypto/secret-box.js';
import { TRANSFER_FORMAT, TRANSFER_FORMAT_VERSION, type TransferGroup, type TransferHeader, type TransferUser } from './transfer-format.js';

// FrontdeskAdmin.ExportUsers: a pool's users in the transfer format, a page at a time in username
// order. The first page (no PaginationToken) also carries the header with the pool's groups. The
// password verifiers and hashes come out unsealed: the output is a secret (docs/user-transfer.md).

export interface ExportUsersInput {
  UserPoolId: string;
  PaginationToken?: string;
  MaxResults?: number;
}

export interface ExportUsersOutput {
  Header?: TransferHeader;
  Users: TransferUser[];
  PaginationToken?: string;
}

export const DEFAULT_EXPORT_PAGE = 500;
const GROUPS_PER_READ = 1000;

export class UserExport {
  constructor(private readonly deps: { store: Store; userPools: UserPoolService; clock: { now(): Date }; secrets: SecretBox }) {}

  async exportUsers(input: ExportUsersInput): Promise<ExportUsersOutput> {
    const pool = await this.deps.userPools.get(input.UserPoolId);
    const after = input.PaginationToken === undefined ? undefined : decodeToken(pool, input.PaginationToken);
    const page = await this.deps.store.userTransfer.exportPage(pool.id, after, input.MaxResults ?? DEFAULT_EXPORT_PAGE);
    return {
      ...(after === undefined ? { Header: await this.header(pool) } : {}),
      Users: page.users.map(({ user, groups }) => toTransferUser(pool, user, groups, this.deps.secrets)),
      ...(page.lastKey !== undefined ? { PaginationToken: encodeToken(pool, page.lastKey) } : {}),
    };
  }

  private async header(pool: UserPool): Promise<TransferHeader> {
    const groups: TransferGroup[] = [];
    let after: string | undefined;
    do {
      const page = await this.deps.store.groups.list(pool.id, { limit: GROUPS_PER_READ, ...(after !== undefined ? { after } : {}) });
      for (const g of page.items) {
        groups.push({
          GroupName: g.name,
          ...(g.description !== undefined ? { Description: g.description } : {}),
          ...(g.precedence !== undefined ? { Precedence: g.precedence } : {}),
          ...(g.roleArn !== undefined ? { RoleArn: g.roleArn } : {}),
        });
      }
      after = page.lastKey;
    } while (after !== undefined);
    return { Format: TRANSFER_FORMAT, Version: TRANSFER_FORMAT_VERSION, UserPoolId: pool.id, ExportDate: this.deps.clock.now().toISOString(), Groups: groups };
  }
}

export function toTransferUser(pool: UserPool, user: User, groups: string[], secrets: SecretBox): TransferUser {
  const mfa = mfaToTransfer(user.mfa, secrets);
  return {
    Username: user.username,
    Sub: user.id,
    UserStatus: user.status,
    Enabled: user.enabled,
    UserCreateDate: user.createdAt.toISOString(),
    UserLastModifiedDate: user.updatedAt.toISOString(),
    Attributes: user.attributes,
    ...(user.pendingAttributes && Object.keys(user.pendingAttributes).length > 0 ? { PendingAttributes: user.pendingAttributes } : {}),
    Groups: groups,
    ...(user.password ? { Password: credentialToTransfer(pool, user.password, user.passwordSetAt) } : {}),
    ...(mfa ? { Mfa: mfa } : {}),
  };
}

/** A token names the pool it pages, so it cannot be replayed against another. */
function encodeToken(pool: UserPool, lastKey: string): string {
  return Buffer.from(JSON.stringify({ p: pool.id, k: lastKey }), 'utf8').toString('base64url');
}

function decodeToken(pool: UserPool, token: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { p?: unknown; k?: unknown };
    if (parsed.p === pool.id && typeof parsed.k === 'string') return parsed.k;
  } catch {
    // fall through
  }
  throw new InvalidParameterException('Invalid pagination token.');
}
