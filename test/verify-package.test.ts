import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeIssuer, type FakeIssuer } from './support/verify-fixtures.js';

// frontdesk/verify stands alone: it imports nothing but node: built-ins and its own files, compiles
// on its own, and resolves as the package subpath `frontdesk/verify` through package.json's
// "exports" — shown by installing the compiled library (and nothing else: no node_modules) into a
// scratch project and verifying a token there, in a separate Node process.

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const VERIFY_DIR = join(ROOT, 'src/verify');

let fake: FakeIssuer;
let scratch: string;

beforeAll(async () => {
  fake = await startFakeIssuer();
  scratch = mkdtempSync(join(tmpdir(), 'frontdesk-verify-package-'));
});

afterAll(async () => {
  await fake?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('frontdesk/verify as a package', () => {
  it('imports only node: built-ins and its own modules', () => {
    for (const file of readdirSync(VERIFY_DIR).filter((name) => name.endsWith('.ts'))) {
      const source = readFileSync(join(VERIFY_DIR, file), 'utf8');
      const specifiers = [...source.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1]!);
      for (const specifier of specifiers) {
        expect([file, specifier]).toEqual([file, expect.stringMatching(/^(node:[a-z/]+|\.\/[a-z-]+\.js)$/)]);
      }
    }
  });

  it('compiles alone and is resolved as frontdesk/verify by a consumer without node_modules', async () => {
    const installed = join(scratch, 'node_modules', 'frontdesk');
    const tsc = join(ROOT, 'node_modules', '.bin', 'tsc');
    // Only src/verify/index.ts and what it imports: a stray import of server code would come along
    // (and be caught above); the output layout is the package's (dist/src/verify/…).
    await run(tsc, [
      join(VERIFY_DIR, 'index.ts'),
      ...['--outDir', join(installed, 'dist'), '--rootDir', ROOT, '--module', 'nodenext', '--moduleResolution', 'nodenext'],
      ...['--target', 'es2022', '--strict', '--declaration', '--skipLibCheck', '--types', 'node', '--ignoreConfig'],
    ], { cwd: ROOT });
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; type: string; exports: Record<string, unknown> };
    expect(manifest.exports['./verify']).toEqual({ types: './dist/src/verify/index.d.ts', default: './dist/src/verify/index.js' });
    writeFileSync(join(installed, 'package.json'), JSON.stringify({ name: manifest.name, type: manifest.type, exports: manifest.exports }));
    expect(existsSync(join(installed, 'dist/src/verify/index.d.ts'))).toBe(true);
    expect(readdirSync(join(installed, 'dist/src'))).toEqual(['verify']);

    cpSync(join(ROOT, 'test/support/verify-consumer.mjs'), join(scratch, 'consumer.mjs'));
    const token = fake.mint({ 'cognito:groups': ['admin'] });
    const { stdout } = await run(process.execPath, ['consumer.mjs', fake.url, token, withBadSignature(token)], { cwd: scratch });
    expect(JSON.parse(stdout)).toEqual({ good: { sub: 'fake-user', groups: ['admin'] }, bad: { name: 'BadSignatureError', reason: 'badSignature', status: 401 } });
  });
});

function withBadSignature(token: string): string {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  return `${header}.${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
}
