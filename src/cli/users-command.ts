import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { UsageError, type Command } from './command.js';
import { adminApiClientFrom, type AdminApiClient } from './admin-api-client.js';
import { Progress } from './progress.js';
import { TRANSFER_FORMAT, TRANSFER_FORMAT_VERSION, type TransferHeader } from '../domain/users/transfer/transfer-format.js';
import type { ExportUsersOutput } from '../domain/users/transfer/user-export.js';
import type { ImportUserResult, ImportUsersOutput } from '../domain/users/transfer/user-import.js';

// `frontdesk users export` / `frontdesk users import`: the lossless user transfer
// (docs/user-transfer.md) against a running server, through FrontdeskAdmin.ExportUsers and
// ImportUsers, signed with the admin credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY.

const USAGE = 'frontdesk users export|import --pool <id> [options]';
const DETAILS = [
  'frontdesk users export --pool <id> [--out <file>] [--endpoint <url>]',
  'frontdesk users import --pool <id> <file> [--on-conflict fail|skip|overwrite] [--endpoint <url>]',
].join('\n       ');
const EXPORT_PAGE = 1000;
/** Records per ImportUsers call, and the body size a batch stays under (the server takes 1 MiB). */
const IMPORT_BATCH_USERS = 1000;
const IMPORT_BATCH_BYTES = 900 * 1024;
const IN_FLIGHT = 2;
/** Failures printed one by one before the summary only counts them. */
const FAILURES_SHOWN = 50;

interface Flags {
  positional: string[];
  values: Map<string, string>;
}

const VALUE_FLAGS = new Set(['--pool', '--out', '--endpoint', '--on-conflict']);

function parseFlags(args: string[]): Flags {
  const flags: Flags = { positional: [], values: new Map() };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    if (VALUE_FLAGS.has(name)) {
      const value = eq > 0 && arg.startsWith('--') ? arg.slice(eq + 1) : args[++i];
      if (value === undefined) throw new UsageError(`${name} needs a value`);
      flags.values.set(name, value);
    } else if (arg.startsWith('--')) {
      throw new UsageError(`unknown option ${arg}`);
    } else {
      flags.positional.push(arg);
    }
  }
  return flags;
}

export const usersCommand: Command = {
  summary: 'export or import a pool\'s users with their passwords (lossless)',
  usage: USAGE,
  async run(args) {
    const [action, ...rest] = args;
    if (action !== 'export' && action !== 'import') throw new UsageError(`expected export or import\n       ${DETAILS}`);
    const flags = parseFlags(rest);
    const pool = flags.values.get('--pool');
    if (!pool) throw new UsageError('--pool <user pool id> is required');
    const client = (() => {
      try {
        return adminApiClientFrom(flags.values.get('--endpoint'), process.env);
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
    })();
    if (action === 'export') {
      if (flags.positional.length > 0) throw new UsageError('export takes no file argument (use --out)');
      await exportUsers(client, pool, flags.values.get('--out'));
    } else {
      const [file, ...extra] = flags.positional;
      if (!file || extra.length > 0) throw new UsageError('import needs exactly one file');
      const onConflict = (flags.values.get('--on-conflict') ?? 'fail').toUpperCase();
      if (!['FAIL', 'SKIP', 'OVERWRITE'].includes(onConflict)) throw new UsageError('--on-conflict is fail, skip or overwrite');
      const failed = await importUsers(client, pool, file, onConflict);
      if (failed > 0) process.exitCode = 1;
    }
  },
};

async function exportUsers(client: AdminApiClient, poolId: string, out: string | undefined): Promise<void> {
  const sink = out ? createWriteStream(out, { mode: 0o600 }) : process.stdout;
  const write = async (text: string) => {
    if (!sink.write(text)) await once(sink, 'drain');
  };
  const progress = new Progress({ label: 'export' });
  try {
    const described = await client.call<{ UserPool?: { EstimatedNumberOfUsers?: number } }>(
      'AWSCognitoIdentityProviderService.DescribeUserPool',
      JSON.stringify({ UserPoolId: poolId }),
    );
    progress.total = described.UserPool?.EstimatedNumberOfUsers;
  } catch {
    // The count only feeds the progress bar.
  }
  let token: string | undefined;
  let count = 0;
  do {
    const page: ExportUsersOutput = await client.call<ExportUsersOutput>(
      'FrontdeskAdmin.ExportUsers',
      JSON.stringify({ UserPoolId: poolId, MaxResults: EXPORT_PAGE, ...(token ? { PaginationToken: token } : {}) }),
    );
    if (page.Header) await write(`${JSON.stringify(page.Header)}\n`);
    if (page.Users.length > 0) await write(page.Users.map((u) => `${JSON.stringify(u)}\n`).join(''));
    count += page.Users.length;
    progress.update(count);
    token = page.PaginationToken;
  } while (token);
  progress.finish();
  if (out) {
    (sink as ReturnType<typeof createWriteStream>).end();
    await once(sink, 'close');
  }
  process.stderr.write(`exported ${count.toLocaleString('en-US')} users of ${poolId}${out ? ` to ${out}` : ''} (the file holds password hashes: keep it secret)\n`);
}

interface Batch {
  lines: string[];
  lineNumbers: number[];
  bytes: number;
}

async function importUsers(client: AdminApiClient, poolId: string, file: string, onConflict: string): Promise<number> {
  const size = statSync(file).size;
  const input = createReadStream(file, { encoding: 'utf8' });
  const lines = createInterface({ input, crlfDelay: Infinity });
  const progress = new Progress({ label: 'import' });
  const totals = { Imported: 0, Overwritten: 0, Skipped: 0, Failed: 0 };
  const failures: string[] = [];
  let header: TransferHeader | undefined;
  let groupsSent = false;
  let lineNumber = 0;
  let bytesRead = 0;
  let batch: Batch = { lines: [], lineNumbers: [], bytes: 0 };

  const report = (line: number, username: string | undefined, code: string, message: string) => {
    totals.Failed++;
    if (failures.length < FAILURES_SHOWN) failures.push(`line ${line}${username ? ` (${username})` : ''}: ${code}: ${message}`);
  };
  // The first batch goes alone, so the header's group definitions are in place before any other
  // batch names a group; after it, IN_FLIGHT batches overlap, so the server never waits for the file.
  const inFlight = new Set<Promise<void>>();
  const send = async () => {
    if (batch.lines.length === 0) return;
    const sent = batch;
    batch = { lines: [], lineNumbers: [], bytes: 0 };
    const groups = !groupsSent && header?.Groups?.length ? `,"Groups":${JSON.stringify(header.Groups)}` : '';
    const body = `{"UserPoolId":${JSON.stringify(poolId)},"OnConflict":"${onConflict}"${groups},"Users":[${sent.lines.join(',')}]}`;
    const call = client.call<ImportUsersOutput>('FrontdeskAdmin.ImportUsers', body).then((result) => {
      totals.Imported += result.Imported;
      totals.Overwritten += result.Overwritten;
      totals.Skipped += result.Skipped;
      for (const r of result.Results as ImportUserResult[]) {
        if (r.Status === 'FAILED') report(sent.lineNumbers[r.Index]!, r.Username, r.ErrorCode ?? 'Error', r.Message ?? '');
      }
    });
    if (!groupsSent) {
      groupsSent = true;
      return call;
    }
    const tracked = call.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
    if (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
  };
  const done = () => totals.Imported + totals.Overwritten + totals.Skipped + totals.Failed;

  for await (const line of lines) {
    lineNumber++;
    bytesRead += Buffer.byteLength(line) + 1;
    if (line.trim() === '') continue;
    if (lineNumber === 1) {
      header = parseHeader(line, file);
      continue;
    }
    try {
      JSON.parse(line);
    } catch {
      report(lineNumber, undefined, 'SerializationException', 'the line is not valid JSON');
      continue;
    }
    const bytes = Buffer.byteLength(line) + 1;
    if (batch.lines.length >= IMPORT_BATCH_USERS || (batch.bytes + bytes > IMPORT_BATCH_BYTES && batch.lines.length > 0)) {
      await send();
      // The file's size over the bytes read so far estimates the total.
      progress.total = Math.max(done(), Math.round(done() / Math.max(bytesRead / Math.max(size, 1), 0.001)));
      progress.update(done());
    }
    batch.lines.push(line);
    batch.lineNumbers.push(lineNumber);
    batch.bytes += bytes;
  }
  await send();
  await Promise.all(inFlight);
  progress.total = done();
  progress.finish(totals.Failed ? `${totals.Failed} failed` : '');
  if (!header) throw new Error(`${file} is empty: expected a ${TRANSFER_FORMAT} header line`);
  if (!groupsSent && header.Groups?.length) process.stderr.write('the file holds no users: its groups were not imported\n');
  for (const failure of failures) process.stderr.write(`${failure}\n`);
  if (totals.Failed > failures.length) process.stderr.write(`… and ${totals.Failed - failures.length} more failures\n`);
  const summary = `imported ${totals.Imported}, overwritten ${totals.Overwritten}, skipped ${totals.Skipped}, failed ${totals.Failed}`;
  process.stdout.write(`${JSON.stringify({ userPoolId: poolId, ...totals })}\n`);
  process.stderr.write(`${summary} (from ${header.UserPoolId} into ${poolId})\n`);
  return totals.Failed;
}

function parseHeader(line: string, file: string): TransferHeader {
  let header: Partial<TransferHeader>;
  try {
    header = JSON.parse(line) as Partial<TransferHeader>;
  } catch {
    throw new Error(`${file}: the first line is not JSON: expected a ${TRANSFER_FORMAT} header`);
  }
  if (header.Format !== TRANSFER_FORMAT) throw new Error(`${file}: not a ${TRANSFER_FORMAT} file (its first line has Format ${JSON.stringify(header.Format)})`);
  if (typeof header.Version !== 'number' || header.Version > TRANSFER_FORMAT_VERSION) {
    throw new Error(`${file}: format version ${header.Version} is newer than this frontdesk understands (${TRANSFER_FORMAT_VERSION})`);
  }
  return header as TransferHeader;
}
