// User pool domains: CreateUserPoolDomain, DescribeUserPoolDomain, UpdateUserPoolDomain,
// DeleteUserPoolDomain. Reference: "Configuring a user pool domain" in the Cognito developer guide.
// A prefix domain `myapp` is served at `myapp.<hostedUiBaseDomain>` (default `auth.localhost`, which
// browsers and curl resolve to the loopback address without DNS setup); a custom domain
// (`auth.example.com`, created with a CustomDomainConfig) is served when requests carry that Host.
//
// DEVIATION: domains are ACTIVE at once (Cognito's are CREATING for up to an hour) and no
//   CloudFront distribution or S3 bucket exists: CloudFrontDomain / CloudFrontDistribution name the
//   host of Frontdesk's public URL, where a custom domain's DNS should point. The certificate ARN is
//   recorded, not used: TLS is the operator's (or the reverse proxy's) business.
import { randomUUID } from 'node:crypto';
import type {
  CreateUserPoolDomainRequest,
  CreateUserPoolDomainResponse,
  DomainDescriptionType,
  UpdateUserPoolDomainRequest,
  UpdateUserPoolDomainResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import { InvalidParameterException, ResourceNotFoundException } from '../../generated/exceptions.js';
import type { Store } from '../../store/store.js';
import type { UserPoolDomain } from '../../store/user-pool-domain-store.js';
import type { Clock } from '../clock.js';
import type { UserPoolService } from '../user-pools/user-pool-service.js';

/** Words Cognito refuses inside prefix domains. */
const RESERVED_WORDS = ['aws', 'amazon', 'cognito'];
/** A prefix: one DNS label (the model's DomainType pattern). */
const PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** A custom domain: a fully qualified host name of at least two labels. */
const HOST_NAME = /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export interface UserPoolDomainServiceDeps {
  store: Pick<Store, 'domains'>;
  clock: Clock;
  userPools: UserPoolService;
  config: { accountId: string };
  /** The server's public base URL; its host is what custom domains should point at. */
  publicUrl: () => string;
}

export class UserPoolDomainService {
  constructor(private readonly deps: UserPoolDomainServiceDeps) {}

  async create(input: CreateUserPoolDomainRequest): Promise<CreateUserPoolDomainResponse> {
    const pool = await this.deps.userPools.get(input.UserPoolId!);
    const domain = input.Domain!.toLowerCase();
    const custom = input.CustomDomainConfig !== undefined;
    checkDomainName(domain, custom);
    const now = this.deps.clock.now();
    const record: UserPoolDomain = {
      domain,
      userPoolId: pool.id,
      kind: custom ? 'custom' : 'prefix',
      ...(custom ? { certificateArn: input.CustomDomainConfig!.CertificateArn! } : {}),
      managedLoginVersion: checkManagedLoginVersion(input.ManagedLoginVersion) ?? 1,
      version: versionStamp(),
      createdAt: now,
      updatedAt: now,
    };
    const result = await this.deps.store.domains.insert(record);
    if (result === 'missing') throw new ResourceNotFoundException(`User pool ${pool.id} does not exist.`);
    if (result === 'taken') {
      const existing = await this.deps.store.domains.get(domain);
      if (existing && existing.userPoolId !== pool.id) throw new InvalidParameterException('Domain already associated with another user pool.');
      throw new InvalidParameterException(
        custom ? 'User pool already has a custom domain configured.' : 'User pool already has a domain configured.',
      );
    }
    return {
      ...(custom ? { CloudFrontDomain: this.targetHost() } : {}),
      ...(input.ManagedLoginVersion !== undefined ? { ManagedLoginVersion: record.managedLoginVersion } : {}),
    };
  }

  /** As Cognito does, an unknown domain is answered with an empty description, not an error. */
  async describe(domain: string): Promise<DomainDescriptionType> {
    const record = await this.deps.store.domains.get(domain.toLowerCase());
    return record ? this.describeRecord(record) : {};
  }

  /** Changes the certificate of a custom domain and/or the managed login version. */
  async update(input: UpdateUserPoolDomainRequest): Promise<UpdateUserPoolDomainResponse> {
    const pool = await this.deps.userPools.get(input.UserPoolId!);
    const current = await this.deps.store.domains.get(input.Domain!.toLowerCase());
    if (!current || current.userPoolId !== pool.id) throw new InvalidParameterException('No such domain or user pool exists.');
    if (input.CustomDomainConfig !== undefined && current.kind !== 'custom') {
      throw new InvalidParameterException('CustomDomainConfig can only be given for a custom domain.');
    }
    const next: UserPoolDomain = {
      ...current,
      ...(input.CustomDomainConfig ? { certificateArn: input.CustomDomainConfig.CertificateArn! } : {}),
      managedLoginVersion: checkManagedLoginVersion(input.ManagedLoginVersion) ?? current.managedLoginVersion,
      version: versionStamp(),
      updatedAt: this.deps.clock.now(),
    };
    if (!(await this.deps.store.domains.update(next))) throw new InvalidParameterException('No such domain or user pool exists.');
    return {
      ...(next.kind === 'custom' ? { CloudFrontDomain: this.targetHost() } : {}),
      ManagedLoginVersion: next.managedLoginVersion,
    };
  }

  async delete(poolId: string, domain: string): Promise<void> {
    const pool = await this.deps.userPools.get(poolId);
    if (!(await this.deps.store.domains.delete(pool.id, domain.toLowerCase()))) {
      throw new InvalidParameterException('No such domain or user pool exists.');
    }
  }

  /** The pool's domains (a prefix and/or a custom one). */
  ofPool(poolId: string): Promise<UserPoolDomain[]> {
    return this.deps.store.domains.ofPool(poolId);
  }

  /** The domain record a hosted-UI host name stands for, if any (prefix under the base domain, or custom). */
  async forHost(host: string, baseDomain: string): Promise<UserPoolDomain | undefined> {
    const name = host.toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
    const suffix = `.${baseDomain.toLowerCase()}`;
    if (name.endsWith(suffix)) {
      const prefix = name.slice(0, -suffix.length);
      if (!PREFIX.test(prefix)) return undefined;
      const record = await this.deps.store.domains.get(prefix);
      return record?.kind === 'prefix' ? record : undefined;
    }
    if (!HOST_NAME.test(name)) return undefined;
    const record = await this.deps.store.domains.get(name);
    return record?.kind === 'custom' ? record : undefined;
  }

  private describeRecord(record: UserPoolDomain): DomainDescriptionType {
    return {
      UserPoolId: record.userPoolId,
      AWSAccountId: this.deps.config.accountId,
      Domain: record.domain,
      CloudFrontDistribution: this.targetHost(),
      Version: record.version,
      Status: 'ACTIVE',
      ...(record.certificateArn !== undefined ? { CustomDomainConfig: { CertificateArn: record.certificateArn } } : {}),
      ManagedLoginVersion: record.managedLoginVersion,
    };
  }

  private targetHost(): string {
    try {
      return new URL(this.deps.publicUrl()).hostname;
    } catch {
      return 'localhost';
    }
  }
}

function checkDomainName(domain: string, custom: boolean): void {
  if (custom) {
    if (!HOST_NAME.test(domain)) throw new InvalidParameterException(`${domain} is not a valid custom domain name.`);
    return;
  }
  if (!PREFIX.test(domain)) throw new InvalidParameterException(`Domain ${domain} is invalid: use lower-case letters, digits and hyphens.`);
  const reserved = RESERVED_WORDS.find((word) => domain.includes(word));
  if (reserved) throw new InvalidParameterException(`Domain cannot contain reserved word: ${reserved}`);
}

/** 1: the classic hosted UI; 2: managed login. Frontdesk serves the same pages for both. */
function checkManagedLoginVersion(version: number | undefined): number | undefined {
  if (version === undefined) return undefined;
  if (version !== 1 && version !== 2) throw new InvalidParameterException('ManagedLoginVersion must be 1 or 2.');
  return version;
}

const versionStamp = () => randomUUID().replace(/-/g, '').slice(0, 20);
