// A CSV user import at scale: BENCH_IMPORT_USERS users (default 100,000) through the real API of
// a server process — GetCSVHeader, CreateUserImportJob, the PUT of the file to its PreSignedUrl,
// StartUserImportJob — then DescribeUserImportJob polled until the job has Succeeded. Prints one
// JSON line (upload and import times, users per second, progress samples) and a summary.
//
//   npm run bench:import                                  (SQLite in a temp dir)
//   TEST_DATABASE_URL=postgres://… npm run bench:import   (a fresh PostgreSQL database)

import {
  CognitoIdentityProviderClient,
  CreateUserImportJobCommand,
  CreateUserPoolCommand,
  DescribeUserImportJobCommand,
  GetCSVHeaderCommand,
  StartUserImportJobCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { readFileSync, readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { createTestDatabase } from '../test/support/test-database.js';
import { startBenchServer } from './server-process.js';

const USERS = Number(process.env.BENCH_IMPORT_USERS ?? 100_000);

/**
 * CPU milliseconds the server process (our child) has used, from /proc (Linux): on a shared,
 * loaded machine wall time says more about the neighbours than about the import.
 */
function serverCpuMs(): number | undefined {
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) !== process.pid) continue; // field 4: the parent's pid
      if (!readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('bench-server')) continue; // not esbuild's service
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in 1/100 s
    }
  } catch {
    // not Linux
  }
  return undefined;
}

const database = await createTestDatabase();
const server = await startBenchServer(database);
const idp = new CognitoIdentityProviderClient({
  endpoint: `http://127.0.0.1:${server.port}`,
  region: 'us-east-1',
  credentials: server.admin,
  maxAttempts: 1,
});

try {
  const { UserPool } = await idp.send(new CreateUserPoolCommand({ PoolName: 'bench-import', AutoVerifiedAttributes: ['email'] }));
  const poolId = UserPool!.Id!;
  const { CSVHeader } = await idp.send(new GetCSVHeaderCommand({ UserPoolId: poolId }));
  const columns = CSVHeader!;
  const lines = [columns.join(',')];
  for (let i = 0; i < USERS; i++) {
    const row: Record<string, string> = {
      'cognito:username': `user${i}`,
      email: `user${i}@example.com`,
      email_verified: 'true',
      given_name: `Given${i}`,
      family_name: `Family${i % 1000}`,
      'cognito:mfa_enabled': 'false',
    };
    lines.push(columns.map((c) => row[c] ?? '').join(','));
  }
  const body = lines.join('\n') + '\n';

  const { UserImportJob } = await idp.send(
    new CreateUserImportJobCommand({ UserPoolId: poolId, JobName: 'bench', CloudWatchLogsRoleArn: 'arn:aws:iam::123456789012:role/bench' }),
  );
  const uploadStart = performance.now();
  const upload = await fetch(UserImportJob!.PreSignedUrl!, { method: 'PUT', body, headers: { 'x-amz-server-side-encryption': 'aws:kms' } });
  if (upload.status !== 200) throw new Error(`upload failed: ${upload.status} ${await upload.text()}`);
  const uploadMs = performance.now() - uploadStart;

  const importStart = performance.now();
  const cpuBefore = serverCpuMs();
  await idp.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: UserImportJob!.JobId }));
  const samples: { ms: number; imported: number }[] = [];
  let status = 'Pending';
  let job;
  while (status !== 'Succeeded' && status !== 'Failed') {
    await new Promise((resolve) => setTimeout(resolve, 250));
    job = (await idp.send(new DescribeUserImportJobCommand({ UserPoolId: poolId, JobId: UserImportJob!.JobId }))).UserImportJob!;
    status = job.Status!;
    samples.push({ ms: Math.round(performance.now() - importStart), imported: job.ImportedUsers! });
  }
  const importMs = performance.now() - importStart;
  const cpuAfter = serverCpuMs();
  const importCpuMs = cpuBefore !== undefined && cpuAfter !== undefined ? Math.round(cpuAfter - cpuBefore) : undefined;
  if (status !== 'Succeeded' || job!.ImportedUsers !== USERS) throw new Error(`import ended ${status}: ${JSON.stringify(job)}`);
  const result = {
    scenario: 'user-import',
    engine: database.databaseUrl ? 'postgres' : 'sqlite',
    users: USERS,
    csvBytes: Buffer.byteLength(body),
    uploadMs: Math.round(uploadMs),
    importMs: Math.round(importMs),
    usersPerSecond: Math.round(USERS / (importMs / 1000)),
    serverCpuMs: importCpuMs,
    loadAverage1m: Number(loadavg()[0]!.toFixed(1)),
    progress: samples.filter((_, i) => i % Math.max(1, Math.floor(samples.length / 10)) === 0),
  };
  console.log(JSON.stringify(result));
  console.log(
    `\n${USERS.toLocaleString('en')} users (${(result.csvBytes / 1e6).toFixed(1)} MB CSV) on ${result.engine}: ` +
      `upload ${(uploadMs / 1000).toFixed(1)} s, import ${(importMs / 1000).toFixed(1)} s (${result.usersPerSecond.toLocaleString('en')} users/s), ` +
      `server CPU ${importCpuMs === undefined ? '?' : (importCpuMs / 1000).toFixed(1)} s, load average ${result.loadAverage1m}`,
  );
} finally {
  idp.destroy();
  await server.stop();
  await database.drop();
}
