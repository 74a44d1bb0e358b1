// The gateway bench's upstream: a small JSON API on node:http that reads the body and answers 200.
// Plain JavaScript, so it runs without the TypeScript loader (whose worker thread would share the
// machine's two cores with what is being measured). Prints its port as one JSON line.
import { createServer } from 'node:http';

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.setHeader('content-type', 'application/json');
    res.end('{"ok":true,"items":[1,2,3]}');
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`));
