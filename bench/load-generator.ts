import { connect, type Socket } from 'node:net';

// A lean HTTP/1.1 load generator for latency benches: keep-alive connections over raw sockets,
// each request a pre-built buffer, each response framed by Content-Length or chunked encoding.
// It costs a fraction of a general HTTP client per request, so on a small machine the process
// being measured is not starved by the process measuring it (what wrk2 does, in Node).

export interface Lane {
  /** Sends one request; resolves with the status code once the whole response has arrived. */
  send(): Promise<number>;
  close(): void;
}

interface Pending {
  resolve(status: number): void;
  reject(error: Error): void;
}

const HEAD_END = Buffer.from('\r\n\r\n');
const CHUNKED_END = Buffer.from('0\r\n\r\n');

/** A keep-alive connection that runs one exchange at a time. */
class Connection {
  private buffered: Buffer = Buffer.alloc(0);
  private pending: Pending | undefined;
  constructor(
    private readonly socket: Socket,
    private readonly onIdle: (connection: Connection) => void,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new Error('connection closed')));
  }

  send(request: Buffer, pending: Pending): void {
    this.pending = pending;
    this.socket.write(request);
  }

  close(): void {
    this.socket.destroy();
  }

  private fail(error: Error): void {
    const pending = this.pending;
    this.pending = undefined;
    pending?.reject(error);
  }

  private onData(chunk: Buffer): void {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const headEnd = this.buffered.indexOf(HEAD_END);
    if (headEnd === -1) return;
    const head = this.buffered.toString('latin1', 0, headEnd);
    const status = Number(head.slice(9, 12));
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    const bodyStart = headEnd + 4;
    let complete: boolean;
    if (length) complete = this.buffered.length >= bodyStart + Number(length[1]);
    else if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) complete = this.buffered.subarray(-5).equals(CHUNKED_END);
    else return this.fail(new Error('response without a length'));
    if (!complete) return;
    this.buffered = Buffer.alloc(0);
    const pending = this.pending;
    this.pending = undefined;
    this.onIdle(this);
    pending?.resolve(status);
  }
}

/** Opens `connections` keep-alive connections to `origin` for one fixed request. */
export async function openLane(origin: string, request: { method: string; path: string; headers: Record<string, string> }, connections: number): Promise<Lane> {
  const url = new URL(origin);
  const lines = [`${request.method} ${request.path} HTTP/1.1`, `host: ${url.host}`, ...Object.entries(request.headers).map(([name, value]) => `${name}: ${value}`)];
  const bytes = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  const idle: Connection[] = [];
  const waiting: Pending[] = [];
  const all: Connection[] = [];
  const onIdle = (connection: Connection) => {
    const next = waiting.shift();
    if (next) connection.send(bytes, next);
    else idle.push(connection);
  };
  await Promise.all(
    Array.from({ length: connections }, () =>
      new Promise<void>((resolve, reject) => {
        const socket = connect(Number(url.port), url.hostname, () => {
          const connection = new Connection(socket, onIdle);
          all.push(connection);
          idle.push(connection);
          resolve();
        });
        socket.once('error', reject);
      }),
    ),
  );
  return {
    send: () =>
      new Promise<number>((resolve, reject) => {
        const connection = idle.pop();
        if (connection) connection.send(bytes, { resolve, reject });
        else waiting.push({ resolve, reject });
      }),
    close: () => all.forEach((connection) => connection.close()),
  };
}
