import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { startSrpChallenge, verifyPasswordClaim, type PasswordClaimInput, type SrpChallenge } from './challenge.js';
import { createDecoyVerifier, createPasswordVerifier, passwordMatchesVerifier, type SrpVerifier } from './verifier.js';
import type { SrpMethod } from './srp-worker.js';

// The SRP functions as promises, computed on a small pool of worker threads. Each costs one or two
// 3072-bit modular exponentiations (~1 ms each); on the main thread, a burst of sign-ins would hold
// the event loop for tens of milliseconds and every other request with it. Should no worker be
// available (they failed to start or died), the work runs inline rather than failing.

interface Job {
  id: number;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

interface PooledWorker {
  worker: Worker;
  jobs: Map<number, Job>;
}

/** Under tsx or vitest this module is TypeScript source: its worker then starts through tsx too. */
function startWorker(): Worker {
  const source = import.meta.url.endsWith('.ts');
  const file = new URL(`./srp-worker.${source ? 'ts' : 'js'}`, import.meta.url);
  if (!source) return new Worker(fileURLToPath(file));
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(file.href)}); });`;
  return new Worker(bootstrap, { eval: true });
}

class SrpWorkerPool {
  private readonly live = new Set<PooledWorker>();
  private nextId = 1;

  constructor(size: number) {
    for (let i = 0; i < size; i++) this.add();
  }

  private add(): void {
    let worker: Worker;
    try {
      worker = startWorker();
    } catch {
      return;
    }
    const pooled: PooledWorker = { worker, jobs: new Map() };
    worker.on('message', (message: { id: number; result?: unknown; error?: string }) => {
      const job = pooled.jobs.get(message.id);
      pooled.jobs.delete(message.id);
      if (pooled.jobs.size === 0) worker.unref();
      if (!job) return;
      if (message.error !== undefined) job.reject(new Error(message.error));
      else job.resolve(message.result);
    });
    const retire = (error: Error) => {
      if (!this.live.delete(pooled)) return;
      for (const job of pooled.jobs.values()) job.reject(error);
      pooled.jobs.clear();
    };
    worker.on('error', retire);
    worker.on('exit', (code) => retire(new Error(`SRP worker exited with code ${code}`)));
    // Idle workers must not keep the process alive; busy ones must (see run). After the listeners,
    // because adding a 'message' listener refs the worker's port again.
    worker.unref();
    this.live.add(pooled);
  }

  /** Runs on the least busy live worker; undefined when there is none. */
  run<T>(method: SrpMethod, args: unknown[]): Promise<T> | undefined {
    let chosen: PooledWorker | undefined;
    for (const pooled of this.live) if (!chosen || pooled.jobs.size < chosen.jobs.size) chosen = pooled;
    if (!chosen) return undefined;
    const target = chosen;
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      if (target.jobs.size === 0) target.worker.ref();
      target.jobs.set(id, { id, resolve: resolve as (value: unknown) => void, reject });
      target.worker.postMessage({ id, method, args });
    });
  }
}

let pool: SrpWorkerPool | undefined;
const poolOf = () => (pool ??= new SrpWorkerPool(Math.max(1, Math.min(4, availableParallelism()))));

async function offload<T>(method: SrpMethod, args: unknown[], inline: () => T): Promise<T> {
  return (await poolOf().run<T>(method, args)) ?? inline();
}

export const createPasswordVerifierAsync = (poolShortName: string, userIdForSrp: string, password: string) =>
  offload<SrpVerifier>('createPasswordVerifier', [poolShortName, userIdForSrp, password], () =>
    createPasswordVerifier(poolShortName, userIdForSrp, password),
  );

export const passwordMatchesVerifierAsync = (poolShortName: string, userIdForSrp: string, password: string, salt: string, verifier: string) =>
  offload<boolean>('passwordMatchesVerifier', [poolShortName, userIdForSrp, password, salt, verifier], () =>
    passwordMatchesVerifier(poolShortName, userIdForSrp, password, salt, verifier),
  );

export const startSrpChallengeAsync = (verifierHex: string) =>
  offload<SrpChallenge>('startSrpChallenge', [verifierHex], () => startSrpChallenge(verifierHex));

export const verifyPasswordClaimAsync = (input: PasswordClaimInput): Promise<boolean> =>
  offload<boolean>('verifyPasswordClaim', [{ ...input, now: input.now.getTime() }], () => verifyPasswordClaim(input));

export const createDecoyVerifierAsync = (serverKey: Uint8Array, poolShortName: string, username: string) =>
  offload<SrpVerifier>('createDecoyVerifier', [serverKey, poolShortName, username], () =>
    createDecoyVerifier(serverKey, poolShortName, username),
  );
