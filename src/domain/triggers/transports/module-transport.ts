import { basename, extname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Invocation, InvocationOutcome, Transport } from './transport.js';
import { callLambdaHandler, errorMessageOf } from './lambda-context.js';

type Handler = Parameters<typeof callLambdaHandler>[0];

/**
 * Runs an ES module (or CommonJS file) inside the Frontdesk process: `handler(event, context)`,
 * sync or async, or callback style. Each module is loaded once. A handler past its deadline is
 * answered with a timeout but, being in-process, cannot be stopped: it runs on in the background.
 */
export class ModuleTransport implements Transport {
  private readonly loaded = new Map<string, Promise<Record<string, unknown>>>();

  constructor(private readonly log?: { warn(obj: object, msg: string): void }) {}

  async invoke(invocation: Invocation): Promise<InvocationOutcome> {
    const { fn } = invocation;
    if (fn.definition.transport !== 'module') throw new Error('not a module function');
    const path = isAbsolute(fn.definition.path) ? fn.definition.path : resolve(fn.definition.path);
    // Lambda's wording, naming the module but not where it lives: the message reaches API callers.
    const moduleName = basename(path, extname(path));
    let handler: Handler | undefined;
    try {
      handler = handlerOf(await this.load(path), fn.definition.handler);
    } catch (error) {
      this.loaded.delete(path); // a module that failed to load is tried again next time
      this.log?.warn({ functionArn: fn.arn, err: error }, 'trigger module failed to load');
      return { kind: 'handlerError', message: `Unable to import module '${moduleName}'` };
    }
    if (!handler) return { kind: 'handlerError', message: `${moduleName}.${fn.definition.handler} is undefined or not exported` };

    // The handler gets its own copy of the event, as it would over the wire.
    const event = JSON.parse(invocation.payload) as unknown;
    const deadline = Date.now() + invocation.timeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<InvocationOutcome>((done) => {
      timer = setTimeout(() => done({ kind: 'unreachable', reason: 'Socket timeout while invoking Lambda function', retryable: false }), invocation.timeoutMs);
    });
    const run = callLambdaHandler(handler, event, fn, invocation.requestId, deadline).then(
      (value): InvocationOutcome => {
        // Round-trip through JSON: what a remote handler could return, and the size it would have.
        const text = value === undefined ? 'null' : JSON.stringify(value);
        if (text === undefined) return { kind: 'malformed', reason: 'the answer is not JSON' };
        if (Buffer.byteLength(text) > invocation.maxResponseBytes) return { kind: 'malformed', reason: 'the answer is larger than the response size limit' };
        return { kind: 'returned', value: JSON.parse(text) as unknown };
      },
      (error: unknown): InvocationOutcome => ({ kind: 'handlerError', message: errorMessageOf(error) }),
    );
    try {
      return await Promise.race([run, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private load(path: string): Promise<Record<string, unknown>> {
    let module = this.loaded.get(path);
    if (!module) {
      module = import(pathToFileURL(path).href) as Promise<Record<string, unknown>>;
      this.loaded.set(path, module);
    }
    return module;
  }
}

/** `handler` as a named export, or on a CommonJS module's exports (the namespace's default). */
function handlerOf(module: Record<string, unknown>, name: string): Handler | undefined {
  const direct = module[name];
  if (typeof direct === 'function') return direct as Handler;
  const cjs = module.default as Record<string, unknown> | undefined;
  if (cjs && typeof cjs[name] === 'function') return cjs[name] as Handler;
  return undefined;
}
