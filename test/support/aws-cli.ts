import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_REGION, type AdminKeys, type TestServer } from './test-server.js';

// The real AWS CLI (v1, botocore) as a child process against a test server: what an administrator
// types must work with only --endpoint-url added. Shared by the CLI test files.

const probe = spawnSync('aws', ['--version'], { encoding: 'utf8', timeout: 30_000 });

/** Why the CLI tests skip, or undefined when the CLI is installed. */
export const cliMissing =
  probe.status === 0
    ? undefined
    : `the AWS CLI is not installed (\`aws --version\` ${probe.error ? `failed: ${probe.error.message}` : `exited ${probe.status}`})`;

export const CLI_TIMEOUT_MS = 60_000;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliRunner {
  /** `aws --endpoint-url <server> --output json cognito-idp <args>`; asynchronous, since the server shares our event loop. */
  aws(args: string[], credentials?: AdminKeys): Promise<CliResult>;
  /** Runs a command that must succeed and returns its parsed JSON output. */
  awsJson(args: string[]): Promise<any>;
  /** Removes the isolated (empty) AWS config and credentials files. */
  cleanup(): void;
}

export function cliRunner(server: () => TestServer): CliRunner {
  // Empty config and credentials files: nothing from the machine's ~/.aws can leak in.
  const isolation = mkdtempSync(join(tmpdir(), 'frontdesk-aws-cli-'));
  writeFileSync(join(isolation, 'config'), '');
  writeFileSync(join(isolation, 'credentials'), '');

  const aws = (args: string[], credentials: AdminKeys = server().admin): Promise<CliResult> => {
    const env: NodeJS.ProcessEnv = {};
    for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('AWS_')) env[name] = value;
    Object.assign(env, {
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_DEFAULT_REGION: TEST_REGION,
      AWS_CONFIG_FILE: join(isolation, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(isolation, 'credentials'),
      AWS_PAGER: '',
      AWS_MAX_ATTEMPTS: '1',
      AWS_RETRY_MODE: 'standard',
      AWS_EC2_METADATA_DISABLED: 'true',
      PYTHONWARNINGS: 'ignore',
    });
    return new Promise((resolve, reject) => {
      const child = spawn('aws', ['--endpoint-url', server().url, '--output', 'json', 'cognito-idp', ...args], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      const timer = setTimeout(() => child.kill('SIGKILL'), CLI_TIMEOUT_MS - 5_000);
      child.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
    });
  };

  return {
    aws,
    async awsJson(args) {
      const result = await aws(args);
      if (result.code !== 0) {
        throw new Error(`aws cognito-idp ${args.join(' ')} exited ${result.code}\nstderr: ${result.stderr}\nstdout: ${result.stdout}`);
      }
      return result.stdout.trim() === '' ? {} : JSON.parse(result.stdout);
    },
    cleanup: () => rmSync(isolation, { recursive: true, force: true }),
  };
}
