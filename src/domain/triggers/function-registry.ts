import {
  InvalidParameterException,
  ResourceNotFoundException,
} from '../../generated/exceptions.js';
import type { Store } from '../../store/store.js';
import type { ConfiguredTriggerFunction } from '../../config/trigger-functions.js';
import type { Clock } from '../clock.js';
import { FUNCTION_ARN_PATTERN, type LambdaCredentials, type TriggerFunction, type TriggerFunctionDefinition } from './trigger-function.js';
import { newWebhookSecret } from './transports/webhook-signature.js';

export interface PutFunctionInput {
  arn: string;
  definition: TriggerFunctionDefinition;
  timeoutMs?: number;
  /** Webhooks: issue a new signing secret even though the function has one. */
  rotateSecret?: boolean;
  /** Lambda Invoke: the access key to sign with (kept from the stored function when left out). */
  credentials?: LambdaCredentials;
}

/**
 * Which handler each function ARN runs: the config file's functions (fixed) and those added
 * through FrontdeskAdmin.PutFunction (in the database, so every node sees them). Webhook secrets
 * are generated here, sealed at rest, and shown once, when they are made.
 */
export class FunctionRegistry {
  private readonly configured: Map<string, TriggerFunction>;

  constructor(
    private readonly deps: {
      store: Pick<Store, 'triggerFunctions'>;
      clock: Clock;
      configured?: readonly ConfiguredTriggerFunction[];
      /** Whether the API may register module and command functions (they run code on this server). */
      codeFromApi: boolean;
    },
  ) {
    const booted = new Date(0);
    this.configured = new Map(
      (deps.configured ?? []).map((fn) => [fn.arn, { ...fn, source: 'config' as const, createdAt: booted, updatedAt: booted }]),
    );
  }

  async resolve(arn: string): Promise<TriggerFunction | undefined> {
    return this.configured.get(arn) ?? (await this.deps.store.triggerFunctions.get(arn));
  }

  async list(): Promise<TriggerFunction[]> {
    const stored = await this.deps.store.triggerFunctions.list();
    return [...this.configured.values(), ...stored.filter((fn) => !this.configured.has(fn.arn))].sort((a, b) => a.arn.localeCompare(b.arn));
  }

  async get(arn: string): Promise<TriggerFunction> {
    const fn = await this.resolve(arn);
    if (!fn) throw new ResourceNotFoundException(`Function not found: ${arn}`);
    return fn;
  }

  /** Creates or replaces a function; answers with it and, when one was made, its new secret. */
  async put(input: PutFunctionInput): Promise<{ fn: TriggerFunction; newSecret?: string }> {
    if (!FUNCTION_ARN_PATTERN.test(input.arn)) throw new InvalidParameterException(`${input.arn} is not a function ARN.`);
    if (this.configured.has(input.arn)) {
      throw new InvalidParameterException(`Function ${input.arn} is defined in the configuration file and cannot be changed through the API.`);
    }
    const { definition } = input;
    if ((definition.transport === 'module' || definition.transport === 'command') && !this.deps.codeFromApi) {
      throw new InvalidParameterException(
        `${definition.transport} functions run code on the Frontdesk server; declare them in the configuration file, or set FRONTDESK_TRIGGER_CODE_FROM_API=on.`,
      );
    }
    const existing = await this.deps.store.triggerFunctions.get(input.arn);
    const now = this.deps.clock.now();
    let secret: string | undefined;
    let newSecret: string | undefined;
    if (definition.transport === 'webhook') {
      secret = existing?.secret !== undefined && !input.rotateSecret ? existing.secret : (newSecret = newWebhookSecret());
    }
    const credentials = definition.transport === 'lambda' ? (input.credentials ?? existing?.credentials) : undefined;
    if (definition.transport === 'lambda' && !credentials) {
      throw new InvalidParameterException('A Lambda function needs AccessKeyId and SecretAccessKey.');
    }
    const fn: TriggerFunction = {
      arn: input.arn,
      definition,
      ...(input.timeoutMs !== undefined ? { timeoutMs: input.timeoutMs } : {}),
      ...(secret !== undefined ? { secret } : {}),
      ...(credentials !== undefined ? { credentials } : {}),
      source: 'api',
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    await this.deps.store.triggerFunctions.put(fn);
    return { fn, ...(newSecret !== undefined ? { newSecret } : {}) };
  }

  async delete(arn: string): Promise<void> {
    if (this.configured.has(arn)) {
      throw new InvalidParameterException(`Function ${arn} is defined in the configuration file and cannot be changed through the API.`);
    }
    if (!(await this.deps.store.triggerFunctions.delete(arn))) throw new ResourceNotFoundException(`Function not found: ${arn}`);
  }
}
