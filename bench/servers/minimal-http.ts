import * as http from 'node:http';
import { onStop, serverReady } from '../server-child.js';

/**
 * The limit model's "one HTTP request": a minimal node:http JSON handler (reads the body, parses it,
 * answers a small JSON object). Its CPU per request is what any route costs before its own work.
 */
const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
    const out = JSON.stringify({
      returnCode: '0000',
      returnMessage: 'OK',
      info: { seen: Object.keys(body).length },
    });
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(out),
    });
    res.end(out);
  });
});
server.keepAliveTimeout = 5000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  serverReady({ url: `http://127.0.0.1:${address.port}` });
});
onStop(() => new Promise<void>((resolve) => server.close(() => resolve())));
