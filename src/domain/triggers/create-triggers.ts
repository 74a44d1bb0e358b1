import type { Config } from '../../config/config.js';
import type { Store } from '../../store/store.js';
import type { Clock } from '../clock.js';
import { FunctionRegistry } from './function-registry.js';
import { TriggerInvoker, type TriggerLog } from './trigger-invoker.js';
import { Triggers } from './triggers.js';

/** Cognito's deadline for a trigger function. */
export const DEFAULT_TRIGGER_TIMEOUT_MS = 5000;

/** The function registry and the trigger runner, from the server's settings. */
export function createTriggers(deps: {
  store: Pick<Store, 'triggerFunctions'>;
  clock: Clock;
  config: Pick<Config, 'region'> & Partial<Pick<Config, 'triggerFunctions' | 'triggerTimeoutMs' | 'triggerCodeFromApi'>>;
  log?: TriggerLog;
}): { registry: FunctionRegistry; triggers: Triggers } {
  const registry = new FunctionRegistry({
    store: deps.store,
    clock: deps.clock,
    configured: deps.config.triggerFunctions ?? [],
    codeFromApi: deps.config.triggerCodeFromApi === 'on',
  });
  const invoker = new TriggerInvoker({
    registry,
    clock: deps.clock,
    region: deps.config.region,
    timeoutMs: deps.config.triggerTimeoutMs ?? DEFAULT_TRIGGER_TIMEOUT_MS,
    ...(deps.log ? { log: deps.log } : {}),
  });
  return { registry, triggers: new Triggers({ invoker, region: deps.config.region }) };
}
