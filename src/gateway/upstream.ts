import { connect, type Socket } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ResponseReader, UpstreamProtocolError, type ResponseHead, type ResponseSink } from './upstream-response.js';

// The gateway's side of the upstream: keep-alive connections, one exchange at a time on each, the
// request head written in one go and the body streamed after it, the response read by
// ResponseReader and streamed to the client with backpressure both ways. 502 when the upstream
// fails or answers nonsense, 504 when it takes longer than the timeout; a client that goes away
// takes its exchange with it. A connection goes back to the pool only after a complete response
// to a completely sent request.

export interface UpstreamOptions {
  host: string;
  port: number;
  maxConnections: number;
  timeoutMs: number;
}

/** How the request body is sent: none, as received with its Content-Length, or re-chunked. */
export type RequestBody = 'none' | 'length' | 'chunked';

/** Idle connections are closed after this unless the upstream's Keep-Alive hint says less. */
const DEFAULT_IDLE_MS = 4_000;
/** Close an idle connection this long before the upstream's advertised keep-alive timeout. */
const IDLE_MARGIN_MS = 1_000;
/** RFC 9110 §9.2.2: requests that may be sent again when a reused connection turns out closed. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);

const LAST_CHUNK = '0\r\n\r\n';

/** One keep-alive connection; `exchange` is the request it is serving, if any. */
class Connection {
  exchange: Exchange | undefined;
  idleMs = DEFAULT_IDLE_MS;
  /** Has served a request before (so it may have been closed by the upstream meanwhile). */
  reused = false;
  closed = false;

  constructor(
    readonly socket: Socket,
    private readonly pool: Upstream,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      if (this.exchange) this.exchange.onData(chunk);
      else socket.destroy(); // Bytes nobody asked for: the connection is out of step.
    });
    socket.on('timeout', () => {
      if (!this.exchange) socket.destroy();
    });
    socket.on('error', () => undefined); // 'close' follows, and is where it is handled.
    socket.on('close', () => {
      this.closed = true;
      this.pool.forget(this);
      this.exchange?.onClose();
    });
  }
}

export class Upstream {
  private readonly idle: Connection[] = [];
  private readonly waiting: Exchange[] = [];
  private open = 0;

  constructor(private readonly options: UpstreamOptions) {}

  /** Sends `head` (the request line and headers, ending in a blank line) and the body; answers on `res`. */
  forward(req: IncomingMessage, res: ServerResponse, head: string, body: RequestBody): void {
    const exchange = new Exchange(this, req, res, head, body, this.options.timeoutMs);
    this.assign(exchange, false);
  }

  close(): void {
    for (const connection of this.idle.splice(0)) connection.socket.destroy();
  }

  /** Gives the exchange a connection: an idle one, a new one, or the next one freed. */
  assign(exchange: Exchange, fresh: boolean): void {
    if (!fresh) {
      const connection = this.idle.pop();
      if (connection) {
        connection.socket.setTimeout(0);
        return exchange.start(connection);
      }
    }
    if (this.open < this.options.maxConnections || fresh) {
      this.open++;
      const socket = connect(this.options.port, this.options.host);
      const connection = new Connection(socket, this);
      return exchange.start(connection);
    }
    this.waiting.push(exchange);
  }

  /** An exchange is over; its connection serves the next waiting request or rests. */
  release(connection: Connection, reusable: boolean): void {
    connection.exchange = undefined;
    if (!reusable || connection.closed) {
      connection.socket.destroy();
      return;
    }
    connection.reused = true;
    const next = this.waiting.shift();
    if (next) return next.start(connection);
    connection.socket.setTimeout(connection.idleMs);
    this.idle.push(connection);
  }

  /** A connection has closed: it no longer counts, and a waiting request may open another. */
  forget(connection: Connection): void {
    this.open--;
    const at = this.idle.indexOf(connection);
    if (at !== -1) this.idle.splice(at, 1);
    const next = this.waiting.shift();
    if (next) this.assign(next, false);
  }

  /** A waiting exchange whose client has gone. */
  withdraw(exchange: Exchange): void {
    const at = this.waiting.indexOf(exchange);
    if (at !== -1) this.waiting.splice(at, 1);
  }
}

class Exchange implements ResponseSink {
  private connection: Connection | undefined;
  private reader: ResponseReader;
  private readonly timer: NodeJS.Timeout;
  private timedOut = false;
  private requestSent = false;
  private retried = false;
  private finished = false;
  private keepAlive = false;
  /** Body bytes of the current read, held back so the last one can go out with res.end(). */
  private held: Buffer | undefined;
  /** The client's side of the response is full: stop reading the upstream until it drains. */
  private clientFull = false;

  constructor(
    private readonly pool: Upstream,
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    private readonly requestHead: string,
    private readonly requestBody: RequestBody,
    timeoutMs: number,
  ) {
    this.reader = new ResponseReader(req.method ?? 'GET', this);
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.fail();
    }, timeoutMs);
    // A client that goes away takes its upstream exchange with it.
    res.on('close', () => {
      if (this.finished) return;
      this.finished = true;
      clearTimeout(this.timer);
      if (this.connection) this.connection.socket.destroy();
      else this.pool.withdraw(this);
    });
  }

  start(connection: Connection): void {
    if (this.finished) return this.pool.release(connection, true);
    this.connection = connection;
    connection.exchange = this;
    const socket = connection.socket;
    socket.write(this.requestHead, 'latin1');
    if (this.requestBody === 'none') {
      this.requestSent = true;
      return;
    }
    // The body streams with backpressure: the client is paused while the upstream catches up.
    const chunked = this.requestBody === 'chunked';
    const onData = (chunk: Buffer) => {
      if (connection.exchange !== this) return;
      const flowing = chunked ? writeChunk(socket, chunk) : socket.write(chunk);
      if (!flowing) {
        this.req.pause();
        socket.once('drain', () => this.req.resume());
      }
    };
    this.req.on('data', onData);
    this.req.once('end', () => {
      if (connection.exchange !== this) return;
      if (chunked) socket.write(LAST_CHUNK);
      this.requestSent = true;
    });
    this.req.resume();
  }

  onData(chunk: Buffer): void {
    try {
      this.reader.push(chunk);
    } catch {
      // UpstreamProtocolError, or anything else: one bad exchange must not take the gateway down.
      return this.fail();
    }
    const held = this.held;
    this.held = undefined;
    if (this.reader.done) return this.complete(held);
    if (held) this.send(held);
    if (this.clientFull) {
      // The client reads slower than the upstream writes: stop reading the upstream until it drains.
      this.clientFull = false;
      const socket = this.connection!.socket;
      socket.pause();
      this.res.once('drain', () => socket.resume());
    }
  }

  private send(chunk: Buffer): void {
    if (!this.res.write(chunk)) this.clientFull = true;
  }

  onClose(): void {
    if (this.finished) return;
    try {
      this.reader.closed();
    } catch {
      // A reused connection the upstream had closed while it was idle: a request that is safe to
      // repeat, and of which nothing was answered, is sent again once on a fresh connection.
      const connection = this.connection!;
      const method = this.req.method ?? 'GET';
      if (connection.reused && !this.reader.started && !this.retried && this.requestBody === 'none' && IDEMPOTENT.has(method)) {
        this.retried = true;
        this.connection = undefined;
        return this.pool.assign(this, true);
      }
      return this.fail();
    }
    const held = this.held;
    this.held = undefined;
    this.complete(held);
  }

  onHead(head: ResponseHead): void {
    this.keepAlive = head.keepAlive;
    if (head.keepAliveTimeoutMs !== undefined) {
      const idleMs = head.keepAliveTimeoutMs - IDLE_MARGIN_MS;
      // An upstream that keeps idle connections a second or less: not worth the race.
      if (idleMs <= 0) this.keepAlive = false;
      else this.connection!.idleMs = Math.min(DEFAULT_IDLE_MS, idleMs);
    }
    try {
      if (head.reason === '') this.res.writeHead(head.status, head.headers);
      else this.res.writeHead(head.status, head.reason, head.headers);
    } catch {
      // A header node:http will not send (the reader lets through what it accepts, so this is a
      // safety net): the response cannot be passed on.
      throw new UpstreamProtocolError('the upstream’s response headers cannot be forwarded');
    }
  }

  onBody(chunk: Buffer): void {
    // More than one piece in one read (chunked): the earlier ones go now.
    if (this.held) this.send(this.held);
    this.held = chunk;
  }

  /** The response has been read in full; `last` is its final body bytes. */
  private complete(last?: Buffer): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.timer);
    this.res.end(last);
    // An upstream that answered before the request body was all sent (a 413, say) gets no further
    // requests on that connection: the rest of the body would be read as the next request.
    this.pool.release(this.connection!, this.requestSent && this.keepAlive && !this.reader.surplus);
  }

  /** The exchange cannot finish: 504/502 if nothing has been answered yet, otherwise the client's connection is cut. */
  private fail(): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.timer);
    if (this.connection) {
      this.connection.exchange = undefined;
      this.connection.socket.destroy();
    } else {
      this.pool.withdraw(this);
    }
    if (this.res.headersSent) {
      this.res.destroy();
      return;
    }
    const text = JSON.stringify({ message: this.timedOut ? 'Endpoint request timed out' : 'Bad Gateway' });
    this.res.writeHead(this.timedOut ? 504 : 502, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    this.res.end(text);
  }
}

function writeChunk(socket: Socket, chunk: Buffer): boolean {
  if (chunk.length === 0) return true;
  socket.cork();
  socket.write(`${chunk.length.toString(16)}\r\n`);
  socket.write(chunk);
  const flowing = socket.write('\r\n');
  process.nextTick(() => socket.uncork());
  return flowing;
}
