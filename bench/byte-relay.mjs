// The floor for any proxy on this machine: a relay that copies bytes between client and upstream
// without reading them. The gateway bench runs it in the gateway's place (BENCH_RELAY=1) to show
// how much of the added latency is the extra process hop itself. Prints its port as one JSON line.
import { connect, createServer } from 'node:net';

const [host, port] = process.argv[2].split(':');
const server = createServer((client) => {
  const upstream = connect(Number(port), host);
  client.setNoDelay(true);
  upstream.setNoDelay(true);
  client.pipe(upstream).pipe(client);
  client.on('error', () => upstream.destroy());
  upstream.on('error', () => client.destroy());
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`));
