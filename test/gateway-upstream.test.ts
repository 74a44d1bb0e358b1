import { createHash, randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, type Gateway } from '../src/gateway/gateway.js';
import { ResponseReader, UpstreamProtocolError, type ResponseHead } from '../src/gateway/upstream-response.js';

// The gateway's own HTTP/1.1 client for the upstream, against an upstream written byte by byte:
// every way a response can be framed, split at every possible point, answers that cannot be
// framed (502, never a misaligned next response), connections kept alive and reused only when
// that is safe, a stale connection retried only for a repeatable request, backpressure, and the
// connection cap. The token side of the gateway is tested in gateway.test.ts; routes here need none.

interface UpstreamRequest {
  head: string;
  body: Buffer;
  /** Which connection (0-based, in order of arrival) and which request on it. */
  connection: number;
  index: number;
}

type Script = (request: UpstreamRequest, socket: Socket) => void;

let script: Script;
let raw: Server;
let connections = 0;
let openConnections = 0;
const seen: UpstreamRequest[] = [];

/** Reads requests off each connection (Content-Length or chunked bodies) and hands them to `script`. */
function startRawUpstream(): Promise<string> {
  raw = createServer((socket) => {
    const connection = connections++;
    openConnections++;
    socket.on('close', () => openConnections--);
    socket.on('error', () => undefined);
    let buffered = Buffer.alloc(0);
    let index = 0;
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (;;) {
        const end = buffered.indexOf('\r\n\r\n');
        if (end === -1) return;
        const head = buffered.toString('latin1', 0, end);
        const length = /\r\ncontent-length: *(\d+)/i.exec(head);
        let body: Buffer;
        let consumed: number;
        if (length) {
          if (buffered.length < end + 4 + Number(length[1])) return;
          body = buffered.subarray(end + 4, end + 4 + Number(length[1]));
          consumed = end + 4 + Number(length[1]);
        } else if (/\r\ntransfer-encoding: *chunked/i.test(head)) {
          const decoded = dechunk(buffered.subarray(end + 4));
          if (!decoded) return;
          body = decoded.body;
          consumed = end + 4 + decoded.consumed;
        } else {
          body = Buffer.alloc(0);
          consumed = end + 4;
        }
        buffered = buffered.subarray(consumed);
        const request = { head, body, connection, index: index++ };
        seen.push(request);
        script(request, socket);
      }
    });
  });
  return new Promise((resolve) => raw.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(raw.address() as AddressInfo).port}`)));
}

function dechunk(bytes: Buffer): { body: Buffer; consumed: number } | undefined {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = bytes.indexOf('\r\n', at);
    if (lineEnd === -1) return undefined;
    const size = parseInt(bytes.toString('latin1', at, lineEnd), 16);
    if (size === 0) {
      if (bytes.length < lineEnd + 4) return undefined;
      return { body: Buffer.concat(parts), consumed: lineEnd + 4 };
    }
    if (bytes.length < lineEnd + 2 + size + 2) return undefined;
    parts.push(bytes.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}

/** Writes `bytes` to the socket one piece at a time, `step` bytes each, with a pause between. */
async function dribble(socket: Socket, bytes: string | Buffer, step = 1): Promise<void> {
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes, 'latin1');
  for (let at = 0; at < buffer.length; at += step) {
    socket.write(buffer.subarray(at, at + step));
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
}

const ok = (body: string, extra = '') => `HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`;

let gateway: Gateway;
let url: string;
let upstreamUrl: string;

beforeAll(async () => {
  upstreamUrl = await startRawUpstream();
  gateway = createGateway({
    listen: { host: '127.0.0.1', port: 0 },
    upstream: upstreamUrl,
    tokens: { issuer: 'http://127.0.0.1:1/unused' },
    upstreamTimeoutSeconds: 2,
    routes: [{ method: '*', path: '/*', auth: 'none' }],
  });
  url = await gateway.listen();
});

afterAll(async () => {
  await gateway?.close();
  await new Promise((resolve) => raw?.close(resolve));
});

afterEach(() => {
  seen.length = 0;
});

/** A fresh gateway (so the connection pool starts empty) for tests that count connections. */
async function withGateway<T>(options: { upstreamConnections?: number }, run: (base: string) => Promise<T>): Promise<T> {
  const own = createGateway({
    listen: { host: '127.0.0.1', port: 0 },
    upstream: upstreamUrl,
    tokens: { issuer: 'http://127.0.0.1:1/unused' },
    upstreamTimeoutSeconds: 2,
    routes: [{ method: '*', path: '/*', auth: 'none' }],
    ...options,
  });
  const base = await own.listen();
  try {
    return await run(base);
  } finally {
    await own.close();
  }
}

describe('the gateway’s upstream client', () => {
  it('reads a chunked response however it is split, and reuses the connection for the next request', async () => {
    const body = 'hello, chunked world';
    const chunked = `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nx-kind: chunked\r\n\r\n5;ext=1\r\nhello\r\n2\r\n, \r\nd\r\nchunked world\r\n0\r\nx-trailer: dropped\r\n\r\n`;
    script = (request, socket) => {
      if (request.head.startsWith('GET /chunked')) void dribble(socket, chunked);
      else socket.write(ok('next'));
    };
    await withGateway({}, async (base) => {
      const before = connections;
      const first = await fetch(`${base}/chunked`);
      expect(first.headers.get('x-kind')).toBe('chunked');
      expect(await first.text()).toBe(body);
      expect(await (await fetch(`${base}/after`)).text()).toBe('next');
      expect(connections - before).toBe(1);
    });
  });

  it('skips 1xx answers, frames HEAD, 204 and 304 without a body, and keeps the connection in step', async () => {
    script = (request, socket) => {
      const [method, path] = request.head.split(' ');
      if (path === '/early') socket.write('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nlink: </a.css>; rel=preload\r\n\r\n' + ok('final'));
      else if (method === 'HEAD') socket.write('HTTP/1.1 200 OK\r\ncontent-length: 1234\r\n\r\n');
      else if (path === '/none') socket.write('HTTP/1.1 204 No Content\r\nx-n: 1\r\n\r\n');
      else if (path === '/same') socket.write('HTTP/1.1 304 Not Modified\r\netag: "x"\r\ncontent-length: 99\r\n\r\n');
      else socket.write(ok(`echo ${path}`));
    };
    await withGateway({}, async (base) => {
      const before = connections;
      const early = await fetch(`${base}/early`);
      expect([early.status, await early.text()]).toEqual([200, 'final']);
      const head = await fetch(`${base}/doc`, { method: 'HEAD' });
      expect([head.status, head.headers.get('content-length')]).toEqual([200, '1234']);
      const none = await fetch(`${base}/none`);
      expect([none.status, none.headers.get('x-n'), await none.text()]).toEqual([204, '1', '']);
      const same = await fetch(`${base}/same`);
      expect([same.status, await same.text()]).toEqual([304, '']);
      expect(await (await fetch(`${base}/last`)).text()).toBe('echo /last');
      expect(connections - before).toBe(1);
    });
  });

  it('reads a body delimited by the connection closing, and does not reuse that connection', async () => {
    script = (request, socket) => {
      if (request.head.startsWith('GET /until-close')) {
        socket.write('HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\n\r\nall of it');
        setTimeout(() => socket.end(), 20);
      } else socket.write(ok('fresh'));
    };
    await withGateway({}, async (base) => {
      const before = connections;
      expect(await (await fetch(`${base}/until-close`)).text()).toBe('all of it');
      expect(await (await fetch(`${base}/next`)).text()).toBe('fresh');
      expect(connections - before).toBe(2);
    });
  });

  it('does not keep a connection the upstream says it will close within a second', async () => {
    script = (_request, socket) => socket.write(ok('brief', 'keep-alive: timeout=1\r\n'));
    await withGateway({}, async (base) => {
      const before = connections;
      expect(await (await fetch(`${base}/one`)).text()).toBe('brief');
      expect(await (await fetch(`${base}/two`)).text()).toBe('brief');
      expect(connections - before).toBe(2);
    });
  });

  it('answers 502 for a response it cannot frame, drops that connection, and goes on working', async () => {
    const broken: Record<string, string> = {
      '/status': 'HTTP/1.1 20 OK\r\ncontent-length: 0\r\n\r\n',
      '/space': 'HTTP/1.1 200 OK\r\ncontent-length : 2\r\n\r\nok',
      '/fold': 'HTTP/1.1 200 OK\r\nx-a: 1\r\n  folded\r\ncontent-length: 2\r\n\r\nok',
      '/lengths': 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\ncontent-length: 3\r\n\r\nok!',
      '/nul': 'HTTP/1.1 200 OK\r\nx-a: a\x00b\r\ncontent-length: 2\r\n\r\nok',
      '/huge': `HTTP/1.1 200 OK\r\n${'x-filler: '.concat('y'.repeat(1000), '\r\n').repeat(70)}content-length: 2\r\n\r\nok`,
      '/switch': 'HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\n\r\n',
    };
    script = (request, socket) => {
      const path = request.head.split(' ')[1]!;
      socket.write(broken[path] ?? ok('fine'));
    };
    for (const path of Object.keys(broken)) {
      const response = await fetch(`${url}${path}`);
      expect([path, response.status, await response.json()]).toEqual([path, 502, { message: 'Bad Gateway' }]);
      expect(await (await fetch(`${url}/fine`)).text()).toBe('fine');
    }
    // A body that goes wrong after the head has been passed on: the client's connection is cut.
    broken['/chunk'] = 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\nok\r\n0\r\n\r\n';
    await expect(fetch(`${url}/chunk`).then((r) => r.text())).rejects.toThrow();
    expect(await (await fetch(`${url}/fine`)).text()).toBe('fine');
  });

  it('cuts the client’s connection when the upstream dies mid-body', async () => {
    script = (_request, socket) => {
      socket.write('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nonly part');
      setTimeout(() => socket.destroy(), 20);
    };
    const response = await fetch(`${url}/partial`);
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
  });

  it('strips hop-by-hop response headers and those Connection names; keeps repeated ones', async () => {
    script = (_request, socket) =>
      socket.write(
        'HTTP/1.1 200 OK\r\nConnection: keep-alive, X-Internal\r\nKeep-Alive: timeout=30\r\nX-Internal: secret\r\nProxy-Authenticate: Basic\r\n' +
          'Set-Cookie: a=1\r\nSet-Cookie: b=2\r\nX-Kept: yes\r\ncontent-length: 2\r\n\r\nok',
      );
    const response = await fetch(`${url}/headers`);
    expect(response.headers.get('x-internal')).toBeNull();
    expect(response.headers.get('proxy-authenticate')).toBeNull();
    expect(response.headers.get('x-kept')).toBe('yes');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
  });

  it('sends the request head as the client sent it, minus hop-by-hop headers, and re-chunks a chunked body', async () => {
    script = (_request, socket) => socket.write(ok('done'));
    const body = randomBytes(200_000);
    await new Promise<void>((resolve, reject) => {
      const request = httpRequest(`${url}/upload?x=1`, {
        method: 'PUT',
        headers: { 'X-Multi': ['one', 'two'], connection: 'keep-alive, x-hop', 'x-hop': 'gone', expect: '100-continue', 'x-frontdesk-claims': '{"forged":true}' },
      });
      request.on('response', (response) => {
        response.resume();
        response.on('end', resolve);
      });
      request.on('error', reject);
      request.on('continue', () => {
        request.write(body.subarray(0, 70_000));
        setTimeout(() => request.end(body.subarray(70_000)), 10);
      });
    });
    const [upload] = seen;
    expect(upload!.head).toMatch(/^PUT \/upload\?x=1 HTTP\/1\.1\r\n/);
    expect(upload!.head).toMatch(/\r\nX-Multi: one\r\nX-Multi: two\r\n/);
    expect(upload!.head).toMatch(/\r\ntransfer-encoding: chunked(\r\n|$)/);
    expect(upload!.head).not.toMatch(/x-hop|expect|x-frontdesk-claims/i);
    expect(upload!.head.match(/^host: .*$/gim)).toEqual([`host: ${new URL(upstreamUrl).host}`]);
    expect(createHash('sha256').update(upload!.body).digest('hex')).toBe(createHash('sha256').update(body).digest('hex'));
  });

  it('answers 501 for a request body in a transfer coding it cannot pass on', async () => {
    script = (_request, socket) => socket.write(ok('reached'));
    const before = seen.length;
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(new URL(url).port), '127.0.0.1', () =>
        socket.write('POST /zipped HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n'),
      );
      let text = '';
      socket.on('data', (chunk) => {
        text += chunk;
        if (text.includes('}')) {
          socket.destroy();
          resolve(text);
        }
      });
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 501 /);
    expect(answer).toContain('{"message":"Not Implemented"}');
    expect(seen.length).toBe(before);
  });

  it('sends a repeatable request again on a fresh connection when a kept-alive one turns out closed, and nothing else', async () => {
    // The second request on a connection finds it closed by the upstream (the race between an
    // idle timeout and a new request): no answer, the socket just closes.
    script = (request, socket) => {
      if (request.index === 1) socket.destroy();
      else socket.write(ok(`served on ${request.connection}`));
    };
    await withGateway({}, async (base) => {
      const first = await (await fetch(`${base}/a`)).text();
      const retried = await fetch(`${base}/b`);
      expect(retried.status).toBe(200);
      expect(await retried.text()).not.toBe(first);
      // A request with a body is not repeated: the upstream may have acted on it.
      const post = await fetch(`${base}/c`, { method: 'POST', body: 'payload' });
      expect(post.status).toBe(502);
    });
    // A fresh connection that closes without answering is 502, not a retry loop.
    script = (_request, socket) => socket.destroy();
    const before = seen.length;
    expect((await fetch(`${url}/d`)).status).toBe(502);
    expect(seen.length - before).toBeLessThanOrEqual(2);
  });

  it('passes the upstream’s early answer on and does not reuse a connection with an unsent body', async () => {
    script = (request, socket) => {
      if (request.head.startsWith('POST')) return;
      socket.write(ok('small'));
    };
    // The raw upstream above only answers once a whole request has arrived; this one answers 413
    // as soon as it sees the head, as servers with a size limit do.
    const eager = createServer((socket) => {
      socket.once('data', () => socket.write('HTTP/1.1 413 Payload Too Large\r\ncontent-length: 8\r\n\r\ntoo big!'));
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => eager.listen(0, '127.0.0.1', resolve));
    const own = createGateway({
      listen: { host: '127.0.0.1', port: 0 },
      upstream: `http://127.0.0.1:${(eager.address() as AddressInfo).port}`,
      tokens: { issuer: 'http://127.0.0.1:1/unused' },
      routes: [{ method: '*', path: '/*', auth: 'none' }],
    });
    const base = await own.listen();
    try {
      const response = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const request = httpRequest(`${base}/upload`, { method: 'POST', headers: { 'content-length': String(10 * 1024 * 1024) } });
        request.on('response', (res) => {
          let text = '';
          res.on('data', (c) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode!, body: text }));
        });
        request.on('error', reject);
        request.write(randomBytes(64 * 1024));
      });
      expect(response).toEqual({ status: 413, body: 'too big!' });
    } finally {
      await own.close();
      await new Promise((resolve) => eager.close(resolve));
    }
  });

  it('streams a large response to a slow client intact', async () => {
    const big = randomBytes(8 * 1024 * 1024);
    script = (_request, socket) => {
      socket.write(`HTTP/1.1 200 OK\r\ncontent-length: ${big.length}\r\n\r\n`);
      socket.write(big);
    };
    const digest = await new Promise<string>((resolve, reject) => {
      httpRequest(`${url}/big`, (response) => {
        const hash = createHash('sha256');
        // Read slowly at first, so the gateway has to hold the upstream back.
        response.pause();
        setTimeout(() => response.resume(), 200);
        response.on('data', (chunk: Buffer) => hash.update(chunk));
        response.on('end', () => resolve(hash.digest('hex')));
        response.on('error', reject);
      })
        .on('error', reject)
        .end();
    });
    expect(digest).toBe(createHash('sha256').update(big).digest('hex'));
  });

  it('closes the upstream exchange of a client that goes away, and hands the next request a new connection', async () => {
    // The upstream never answers /hang; the gateway may open one connection.
    script = (request, socket) => {
      if (!request.head.startsWith('GET /hang')) socket.write(ok('served'));
    };
    await withGateway({ upstreamConnections: 1 }, async (base) => {
      const baseline = openConnections;
      const abandoned = new AbortController();
      const first = fetch(`${base}/hang`, { signal: abandoned.signal }).catch((error: Error) => error.name);
      await until(() => openConnections === baseline + 1);
      // This one waits for the only connection, which /hang holds.
      const queued = fetch(`${base}/queued`).then(async (r) => [r.status, await r.text()]);
      await new Promise((resolve) => setTimeout(resolve, 50));
      abandoned.abort();
      expect(await first).toBe('AbortError');
      expect(await queued).toEqual([200, 'served']);
      // The abandoned connection was closed, not handed on with a request still in it.
      expect(seen.filter((r) => r.head.startsWith('GET /queued')).map((r) => r.index)).toEqual([0]);
    });
  });

  it('answers 504 to a request still waiting for a connection when its time is up', async () => {
    script = () => undefined; // Never answers.
    await withGateway({ upstreamConnections: 1 }, async (base) => {
      const started = Date.now();
      const answers = await Promise.all([fetch(`${base}/a`), fetch(`${base}/b`)].map(async (p) => [(await p).status, await (await p).json()]));
      expect(answers).toEqual([
        [504, { message: 'Endpoint request timed out' }],
        [504, { message: 'Endpoint request timed out' }],
      ]);
      expect(Date.now() - started).toBeLessThan(4_000);
      expect(seen.length).toBe(1);
    });
  });

  it('opens no more upstream connections than configured; the rest wait their turn', async () => {
    script = (request, socket) => setTimeout(() => socket.write(ok(`r${request.index}`)), 30);
    await withGateway({ upstreamConnections: 2 }, async (base) => {
      const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => fetch(`${base}/q${i}`).then((r) => r.status)));
      expect(answers).toEqual(Array(10).fill(200));
    });
    // Ten requests at once, each answered after 30 ms: without the cap, ten connections.
    expect(new Set(seen.map((r) => r.connection)).size).toBe(2);
  });
});

describe('ResponseReader', () => {
  function read(bytes: string, method = 'GET', step = Infinity) {
    const heads: ResponseHead[] = [];
    const body: Buffer[] = [];
    const reader = new ResponseReader(method, { onHead: (head) => heads.push(head), onBody: (chunk) => body.push(chunk) });
    const buffer = Buffer.from(bytes, 'latin1');
    for (let at = 0; at < buffer.length; at += Math.min(step, buffer.length)) reader.push(buffer.subarray(at, at + step));
    return { heads, body: Buffer.concat(body).toString('latin1'), reader };
  }

  it('frames by Content-Length and by chunks, at every split point', () => {
    const chunked = 'HTTP/1.1 200 OK\r\ntransfer-encoding: gzip, chunked\r\n\r\n3\r\nabc\r\n1;x=y\r\nd\r\n0\r\nt: 1\r\n\r\n';
    for (let step = 1; step <= chunked.length; step++) {
      const { body, reader } = read(chunked, 'GET', step);
      expect([step, body, reader.done, reader.surplus]).toEqual([step, 'abcd', true, false]);
    }
    const { heads, body, reader } = read('HTTP/1.1 201 Created\r\nContent-Length: 3, 3\r\n\r\nxyzEXTRA');
    expect([heads[0]!.status, heads[0]!.reason, body, reader.done, reader.surplus]).toEqual([201, 'Created', 'xyz', true, true]);
  });

  it('says when the connection may be reused', () => {
    expect(read('HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n').heads[0]!.keepAlive).toBe(true);
    expect(read('HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 0\r\n\r\n').heads[0]!.keepAlive).toBe(false);
    expect(read('HTTP/1.0 200 OK\r\ncontent-length: 0\r\n\r\n').heads[0]!.keepAlive).toBe(false);
    expect(read('HTTP/1.0 200 OK\r\nconnection: keep-alive\r\ncontent-length: 0\r\n\r\n').heads[0]!.keepAlive).toBe(true);
    // Both framings: chunked wins, and the connection is not trusted again.
    const both = read('HTTP/1.1 200 OK\r\ncontent-length: 50\r\ntransfer-encoding: chunked\r\n\r\n1\r\na\r\n0\r\n\r\n');
    expect([both.body, both.heads[0]!.keepAlive]).toEqual(['a', false]);
    expect(read('HTTP/1.1 200 OK\r\nkeep-alive: timeout=7, max=100\r\ncontent-length: 0\r\n\r\n').heads[0]!.keepAliveTimeoutMs).toBe(7000);
  });

  it('refuses what it cannot frame with certainty', () => {
    for (const bad of [
      'HTTP/2 200 OK\r\n\r\n',
      'HTTP/1.1 200 OK\r\nbad header\r\n\r\n',
      'HTTP/1.1 200 OK\r\ncontent-length: -1\r\n\r\n',
      'HTTP/1.1 200 OK\r\ncontent-length: 1, 2\r\n\r\n',
      'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n1\r\nab\r\n',
      'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n-1\r\n',
    ]) {
      expect(() => read(bad), bad).toThrow(UpstreamProtocolError);
    }
    const { reader } = read('HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nabc');
    expect(() => reader.closed()).toThrow(UpstreamProtocolError);
    const close = read('HTTP/1.1 200 OK\r\n\r\nuntil the end');
    close.reader.closed();
    expect([close.body, close.reader.done]).toEqual(['until the end', true]);
  });
});
