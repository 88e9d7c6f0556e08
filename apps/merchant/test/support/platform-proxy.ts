import { createServer, request } from 'node:http';

export interface ProxiedCall {
  method: string;
  path: string;
  body: string;
  status: number;
}

/**
 * An HTTP proxy in front of the platform that the merchant is pointed at: it forwards every request
 * unchanged (the SDK's signatures cover path and body, which pass through byte for byte), records
 * each call with the platform's status, and lets a test act between the platform's answer and the
 * merchant's receipt of it (`onAnswer`: return `'drop'` to cut the connection instead of answering).
 */
export async function startPlatformProxy(target: string) {
  const calls: ProxiedCall[] = [];
  const state: { onAnswer?: (call: ProxiedCall) => Promise<'drop' | undefined> | 'drop' | undefined } = {};
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const out = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: upstream.host },
        },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (c: Buffer) => parts.push(c));
          answer.on('end', async () => {
            const call: ProxiedCall = {
              method: req.method ?? '',
              path: req.url ?? '',
              body: body.toString('utf8'),
              status: answer.statusCode ?? 0,
            };
            calls.push(call);
            const action = await state.onAnswer?.(call);
            if (action === 'drop') {
              req.socket.destroy();
              return;
            }
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(Buffer.concat(parts));
          });
        },
      );
      out.on('error', () => {
        res.writeHead(502).end();
      });
      out.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
