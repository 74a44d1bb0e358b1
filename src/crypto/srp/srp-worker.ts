import { parentPort } from 'node:worker_threads';
import { startSrpChallenge, verifyPasswordClaim } from './challenge.js';
import { createDecoyVerifier, createPasswordVerifier, passwordMatchesVerifier } from './verifier.js';

// A worker thread of the SRP pool (srp-pool.ts): runs one modular-exponentiation-heavy function
// per message, so sign-ins never hold the main event loop for milliseconds at a time.

const methods = {
  createPasswordVerifier: (args: Parameters<typeof createPasswordVerifier>) => createPasswordVerifier(...args),
  passwordMatchesVerifier: (args: Parameters<typeof passwordMatchesVerifier>) => passwordMatchesVerifier(...args),
  startSrpChallenge: (args: Parameters<typeof startSrpChallenge>) => startSrpChallenge(...args),
  verifyPasswordClaim: ([input]: [Parameters<typeof verifyPasswordClaim>[0] & { now: number }]) =>
    verifyPasswordClaim({ ...input, now: new Date(input.now) }),
  createDecoyVerifier: ([key, ...rest]: [Uint8Array, string, string]) => createDecoyVerifier(key, ...rest),
};
export type SrpMethod = keyof typeof methods;

parentPort!.on('message', (message: { id: number; method: SrpMethod; args: unknown[] }) => {
  try {
    const result = (methods[message.method] as (args: unknown[]) => unknown)(message.args);
    parentPort!.postMessage({ id: message.id, result });
  } catch (error) {
    parentPort!.postMessage({ id: message.id, error: (error as Error).message });
  }
});
