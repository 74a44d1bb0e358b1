import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { identityOperations, idpOperations } from '../src/api/registry.js';
import { operationModels, idpOperationNames, identityOperationNames } from '../src/generated/operation-models.js';

const root = resolve(import.meta.dirname, '..');
const modelsDir = resolve(root, '..', 'shared', 'aws-models');
const haveModels = existsSync(join(modelsDir, 'cognito-idp.json'));

describe('registry against the models', () => {
  it('has an entry for every operation of both models, and nothing else', () => {
    expect(Object.keys(idpOperations).sort()).toEqual([...idpOperationNames]);
    expect(Object.keys(identityOperations).sort()).toEqual([...identityOperationNames]);
    expect(idpOperationNames.length + identityOperationNames.length).toBe(145);
  });

  it('gives each implemented descriptor its wire name, service and an auth mode the model allows', () => {
    for (const [prefix, registry, service] of [
      ['AWSCognitoIdentityProviderService', idpOperations, 'idp'],
      ['AWSCognitoIdentityService', identityOperations, 'identity'],
    ] as const) {
      for (const [name, entry] of Object.entries(registry)) {
        if ('notImplemented' in entry) continue;
        const model = operationModels[`${prefix}.${name}`]!;
        expect(entry.name).toBe(name);
        expect(entry.service).toBe(service);
        if (model.auth === 'sigv4') expect(entry.auth, name).toBe('sigv4');
        else expect(['none', 'accessToken'], name).toContain(entry.auth);
      }
    }
  });

  it.skipIf(!haveModels)('matches what the generator produces from ../shared/aws-models today', () => {
    const out = mkdtempSync(join(tmpdir(), 'frontdesk-generated-'));
    execFileSync(process.execPath, [join(root, 'scripts', 'generate-from-models.mjs'), modelsDir, out]);
    for (const file of readdirSync(out)) {
      expect(readFileSync(join(out, file), 'utf8'), file).toBe(readFileSync(join(root, 'src', 'generated', file), 'utf8'));
    }
  });

  it('agrees with the model on each operation being signed or public', () => {
    expect(operationModels['AWSCognitoIdentityProviderService.SignUp']!.auth).toBe('none');
    expect(operationModels['AWSCognitoIdentityProviderService.InitiateAuth']!.auth).toBe('none');
    expect(operationModels['AWSCognitoIdentityProviderService.CreateUserPool']!.auth).toBe('sigv4');
    expect(operationModels['AWSCognitoIdentityService.GetId']!.auth).toBe('none');
    expect(operationModels['AWSCognitoIdentityService.CreateIdentityPool']!.auth).toBe('sigv4');
  });
});
