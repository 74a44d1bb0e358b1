import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.js';

// The trigger settings of the config file / environment: the fixed part of the function registry,
// the deadline, and whether the API may register code.

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:pre-sign-up';
const SECRET = 'whsec_' + Buffer.alloc(32, 7).toString('base64');

function configFile(contents: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'frontdesk-config-')), 'frontdesk.json');
  writeFileSync(file, JSON.stringify(contents));
  return file;
}

describe('trigger configuration', () => {
  it('defaults: Cognito\'s 5 s deadline, no code from the API, no functions', () => {
    const config = loadConfig({});
    expect(config.triggerTimeoutMs).toBe(5000);
    expect(config.triggerCodeFromApi).toBe('off');
    expect(config.triggerFunctions).toBeUndefined();
  });

  it('reads the function list from the config file as JSON', () => {
    const file = configFile({
      triggerTimeoutMs: 3000,
      triggerFunctions: [
        { arn: ARN, webhook: { url: 'https://hooks.example.com/pre-sign-up', secret: SECRET }, timeoutMs: 2000 },
        { arn: `${ARN}-module`, module: { path: './triggers/pre-sign-up.mjs' } },
        { arn: `${ARN}-py`, command: { runtime: 'python', file: './lambda/handler.py', handler: 'lambda_handler', environment: { TABLE: 'users' } } },
        { arn: `${ARN}-aws`, lambda: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'example-secret' } },
      ],
    });
    const config = loadConfig({ FRONTDESK_CONFIG_FILE: file });
    expect(config.triggerTimeoutMs).toBe(3000);
    expect(config.triggerFunctions).toEqual([
      { arn: ARN, timeoutMs: 2000, definition: { transport: 'webhook', url: 'https://hooks.example.com/pre-sign-up' }, secret: SECRET },
      { arn: `${ARN}-module`, definition: { transport: 'module', path: './triggers/pre-sign-up.mjs', handler: 'handler' } },
      {
        arn: `${ARN}-py`,
        definition: { transport: 'command', runtime: 'python', file: './lambda/handler.py', handler: 'lambda_handler', environment: { TABLE: 'users' } },
      },
      {
        arn: `${ARN}-aws`,
        definition: { transport: 'lambda', endpoint: 'https://lambda.us-east-1.amazonaws.com', functionName: `${ARN}-aws` },
        credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'example-secret' },
      },
    ]);
  });

  it('names what is wrong, without repeating secrets', () => {
    const bad = (functions: unknown) => () => loadConfig({ FRONTDESK_TRIGGER_FUNCTIONS: JSON.stringify(functions) });
    expect(bad({})).toThrow(/FRONTDESK_TRIGGER_FUNCTIONS: must be a JSON list of functions/);
    expect(bad([{ arn: 'nope', module: { path: 'x.mjs' } }])).toThrow(/function 1: "arn" must be a function ARN/);
    expect(bad([{ arn: ARN }])).toThrow(/needs exactly one of "webhook", "module", "command", "lambda"/);
    expect(bad([{ arn: ARN, lambda: { accessKeyId: 'AKIAEXAMPLE' } }])).toThrow(/"lambda.accessKeyId" and "lambda.secretAccessKey" are required/);
    expect(bad([{ arn: ARN, webhook: { url: 'https://a.example', secret: 'hunter2' } }])).toThrow(/Standard Webhooks secret/);
    expect(bad([{ arn: ARN, webhook: { url: 'https://a.example', secret: 'hunter2' } }])).not.toThrow(/hunter2/);
    expect(bad([{ arn: ARN, command: { runtime: 'ruby', file: 'x.rb' } }])).toThrow(/"command.runtime" must be one of nodejs, python/);
    expect(bad([{ arn: ARN, module: { path: 'a.mjs' } }, { arn: ARN, module: { path: 'b.mjs' } }])).toThrow(/declared twice/);
    expect(() => loadConfig({ FRONTDESK_TRIGGER_TIMEOUT_MS: '0' })).toThrow(/FRONTDESK_TRIGGER_TIMEOUT_MS/);
    expect(() => loadConfig({ FRONTDESK_TRIGGER_CODE_FROM_API: 'yes' })).toThrow(/must be on or off/);
  });
});
