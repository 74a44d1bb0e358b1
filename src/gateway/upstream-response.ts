// Reads an upstream's HTTP/1.1 response off a keep-alive connection, incrementally: the head
// (status, headers), then the body framed as RFC 9112 §6.3 says (none, Content-Length, chunked, or
// until the connection closes), so the gateway knows exactly where the response ends and whether
// the connection can carry the next request. It is the gateway's own because node:http's client
// machinery cost about as much CPU per request as the whole rest of the gateway; this reader does
// only what a proxy needs. It is strict: anything it cannot frame with certainty is an error (the
// gateway answers 502 and drops the connection) rather than a guess that could misalign responses.

/** The upstream answered something that is not a well-formed HTTP/1.x response. */
export class UpstreamProtocolError extends Error {}

export interface ResponseHead {
  status: number;
  reason: string;
  /** Flat [name, value, name, value, …], in arrival order, hop-by-hop headers removed. */
  headers: string[];
  /** The connection may carry another request once this response has been read. */
  keepAlive: boolean;
  /** The upstream's Keep-Alive `timeout=` hint, in ms. */
  keepAliveTimeoutMs?: number;
}

export interface ResponseSink {
  onHead(head: ResponseHead): void;
  onBody(chunk: Buffer): void;
}

/** Most of a response head fits in this; more than this is refused (node:http allows 16 KiB). */
const MAX_HEAD_BYTES = 64 * 1024;
const MAX_CHUNK_LINE_BYTES = 4096;
const CRLF_CRLF = Buffer.from('\r\n\r\n');

const STATUS_LINE = /^HTTP\/1\.([01]) ([1-9]\d\d)(?: ([^\r\n]*))?$/;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** What node:http accepts in a header value (it throws on anything else). */
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
const HEX = /^[0-9A-Fa-f]{1,12}$/;
/** Optional whitespace (space and tab only) around a header value. */
const OWS_AROUND = /^[ \t]+|[ \t]+$/g;

/** Headers that describe one connection, not the message: never passed on (RFC 9110 §7.6.1). */
export const HOP_BY_HOP: ReadonlySet<string> = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

type Framing = 'none' | 'length' | 'chunked' | 'close';
type ChunkState = 'size' | 'data' | 'data-end' | 'trailers';

export class ResponseReader {
  private headBuffer: Buffer | undefined;
  private framing: Framing | undefined;
  /** Bytes of body left (length framing) or of the current chunk (chunked). */
  private remaining = 0;
  private chunkState: ChunkState = 'size';
  private line = '';
  private finished = false;
  /** Bytes that arrived after the end of the response: the connection cannot be reused. */
  surplus = false;
  /** Something of the response has arrived (a retry is no longer safe). */
  started = false;

  constructor(
    private readonly requestMethod: string,
    private readonly sink: ResponseSink,
  ) {}

  get done(): boolean {
    return this.finished;
  }

  /** Feeds bytes from the connection. Throws UpstreamProtocolError. */
  push(chunk: Buffer): void {
    this.started = true;
    let rest: Buffer | undefined = chunk;
    while (rest && rest.length > 0) {
      if (this.finished) {
        this.surplus = true;
        return;
      }
      rest = this.framing === undefined ? this.readHead(rest) : this.readBody(rest);
    }
  }

  /** The connection closed: the end of a close-delimited body, an error for anything else. */
  closed(): void {
    if (this.finished) return;
    if (this.framing === 'close') return this.finish();
    throw new UpstreamProtocolError(this.started ? 'the upstream closed the connection mid-response' : 'the upstream closed the connection without answering');
  }

  private finish(): void {
    this.finished = true;
  }

  private readHead(chunk: Buffer): Buffer | undefined {
    const buffered = this.headBuffer ? Buffer.concat([this.headBuffer, chunk]) : chunk;
    // Search from a little before the new bytes: the blank line may straddle two reads.
    const end = buffered.indexOf(CRLF_CRLF, this.headBuffer ? Math.max(0, this.headBuffer.length - 3) : 0);
    if (end === -1) {
      if (buffered.length > MAX_HEAD_BYTES) throw new UpstreamProtocolError('the upstream’s response head is too large');
      this.headBuffer = buffered;
      return undefined;
    }
    this.headBuffer = undefined;
    if (end > MAX_HEAD_BYTES) throw new UpstreamProtocolError('the upstream’s response head is too large');
    const { head, framing, length } = parseHead(buffered.toString('latin1', 0, end), this.requestMethod);
    const rest = buffered.subarray(end + 4);
    // 1xx answers (100 Continue, 103 Early Hints) precede the real one; 101 would switch
    // protocols, which the gateway never asks for.
    if (head.status < 200) {
      if (head.status === 101) throw new UpstreamProtocolError('the upstream switched protocols');
      return rest;
    }
    this.framing = framing;
    this.remaining = length;
    this.sink.onHead(head);
    if (this.framing === 'none' || (this.framing === 'length' && this.remaining === 0)) {
      this.finish();
    }
    return rest;
  }

  private readBody(chunk: Buffer): Buffer | undefined {
    switch (this.framing) {
      case 'close':
        this.sink.onBody(chunk);
        return undefined;
      case 'length': {
        const take = Math.min(this.remaining, chunk.length);
        this.remaining -= take;
        this.sink.onBody(take === chunk.length ? chunk : chunk.subarray(0, take));
        if (this.remaining === 0) this.finish();
        return chunk.subarray(take);
      }
      case 'chunked':
        return this.readChunked(chunk);
      default:
        return chunk;
    }
  }

  /** One step of the chunked decoder; returns what it did not consume. */
  private readChunked(chunk: Buffer): Buffer | undefined {
    if (this.chunkState === 'data') {
      const take = Math.min(this.remaining, chunk.length);
      this.remaining -= take;
      this.sink.onBody(take === chunk.length ? chunk : chunk.subarray(0, take));
      if (this.remaining === 0) this.chunkState = 'data-end';
      return chunk.subarray(take);
    }
    // The other states read lines: a size line, the CRLF after data, trailer lines.
    const newline = chunk.indexOf(0x0a);
    const piece = chunk.toString('latin1', 0, newline === -1 ? chunk.length : newline + 1);
    this.line += piece;
    if (this.line.length > MAX_CHUNK_LINE_BYTES) throw new UpstreamProtocolError('the upstream sent a malformed chunk');
    if (newline === -1) return undefined;
    if (!this.line.endsWith('\r\n')) throw new UpstreamProtocolError('the upstream sent a malformed chunk');
    const line = this.line.slice(0, -2);
    this.line = '';
    const rest = chunk.subarray(newline + 1);
    if (this.chunkState === 'data-end') {
      if (line !== '') throw new UpstreamProtocolError('the upstream sent a malformed chunk');
      this.chunkState = 'size';
    } else if (this.chunkState === 'size') {
      // Chunk extensions (after `;`) carry nothing the gateway uses.
      const size = line.split(';', 1)[0]!.trim();
      if (!HEX.test(size)) throw new UpstreamProtocolError('the upstream sent a malformed chunk size');
      this.remaining = parseInt(size, 16);
      this.chunkState = this.remaining === 0 ? 'trailers' : 'data';
    } else if (line === '') {
      // Trailers are dropped: the head has already gone to the client.
      this.finish();
    }
    return rest;
  }
}

/** The status line and headers, and how the body that follows is framed. */
function parseHead(text: string, requestMethod: string): { head: ResponseHead; framing: Framing; length: number } {
  const lines = text.split('\r\n');
  const status = STATUS_LINE.exec(lines[0]!);
  if (!status) throw new UpstreamProtocolError('the upstream’s status line is malformed');
  const http10 = status[1] === '0';
  const code = Number(status[2]);
  const reason = status[3] && FIELD_VALUE.test(status[3]) ? status[3] : '';
  const headers: string[] = [];
  let connectionTokens: string[] = [];
  let contentLength: string | undefined;
  let transferEncoding: string | undefined;
  let keepAliveTimeoutMs: number | undefined;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon) : '';
    // No obsolete line folding, no whitespace before the colon, nothing node:http would refuse.
    if (!TOKEN.test(name)) throw new UpstreamProtocolError('the upstream sent a malformed header');
    const value = line.slice(colon + 1).replace(OWS_AROUND, '');
    if (!FIELD_VALUE.test(value)) throw new UpstreamProtocolError('the upstream sent a malformed header value');
    const lower = name.toLowerCase();
    if (lower === 'content-length') {
      // Repeated or comma-separated copies must agree (RFC 9110 §8.6).
      for (const part of value.split(',')) {
        const length = part.trim();
        if (!/^\d{1,15}$/.test(length) || (contentLength !== undefined && Number(contentLength) !== Number(length))) {
          throw new UpstreamProtocolError('the upstream sent an invalid Content-Length');
        }
        contentLength = length;
      }
    } else if (lower === 'transfer-encoding') {
      transferEncoding = transferEncoding === undefined ? value : `${transferEncoding}, ${value}`;
    } else if (lower === 'connection') {
      connectionTokens = connectionTokens.concat(value.toLowerCase().split(',').map((t) => t.trim()));
    } else if (lower === 'keep-alive') {
      const timeout = /(?:^|[,\s])timeout=(\d+)/i.exec(value);
      if (timeout) keepAliveTimeoutMs = Number(timeout[1]) * 1000;
    }
    if (!HOP_BY_HOP.has(lower)) headers.push(name, value);
  }
  // Headers the Connection header names are hop-by-hop too.
  const named = connectionTokens.filter((token) => token !== '' && token !== 'close' && token !== 'keep-alive');
  const forwarded = named.length === 0 ? headers : dropNamed(headers, new Set(named));
  let keepAlive = http10 ? connectionTokens.includes('keep-alive') : !connectionTokens.includes('close');

  let framing: Framing;
  let length = 0;
  if (requestMethod === 'HEAD' || code === 204 || code === 304 || code < 200) {
    framing = 'none';
  } else if (transferEncoding !== undefined) {
    // Transfer-Encoding wins over Content-Length; a message with both is suspect, so its
    // connection is not reused (RFC 9112 §6.3).
    const codings = transferEncoding.toLowerCase().split(',').map((t) => t.trim());
    if (codings[codings.length - 1] === 'chunked' && !http10) {
      framing = 'chunked';
      if (contentLength !== undefined) keepAlive = false;
    } else {
      framing = 'close';
    }
  } else if (contentLength !== undefined) {
    framing = 'length';
    length = Number(contentLength);
  } else {
    framing = 'close';
  }
  if (framing === 'close') keepAlive = false;
  return {
    head: { status: code, reason, headers: forwarded, keepAlive, ...(keepAliveTimeoutMs !== undefined ? { keepAliveTimeoutMs } : {}) },
    framing,
    length,
  };
}

function dropNamed(headers: string[], named: ReadonlySet<string>): string[] {
  const kept: string[] = [];
  for (let i = 0; i < headers.length; i += 2) {
    if (!named.has(headers[i]!.toLowerCase())) kept.push(headers[i]!, headers[i + 1]!);
  }
  return kept;
}
