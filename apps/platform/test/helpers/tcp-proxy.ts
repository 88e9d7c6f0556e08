import { createConnection, createServer, type Socket } from 'node:net';

/**
 * A TCP proxy on a free loopback port in front of `target` (PostgreSQL in the outage tests), under
 * the test's control — the machine's shared PostgreSQL is never stopped. `cut('blackhole')` drops
 * every open connection and then accepts new ones without ever answering (a database that hangs);
 * `cut('refuse')` drops them and refuses new ones (a database that is down); `restore()` forwards again.
 */
export async function startTcpProxy(target: { host: string; port: number }) {
  let mode: 'forward' | 'blackhole' | 'refuse' = 'forward';
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => {});
    if (mode === 'refuse') {
      client.destroy();
      return;
    }
    if (mode === 'blackhole') return;
    const upstream = createConnection(target);
    sockets.add(upstream);
    upstream.on('close', () => {
      sockets.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    cut(how: 'blackhole' | 'refuse' = 'refuse') {
      mode = how;
      for (const s of sockets) s.destroy();
    },
    restore() {
      mode = 'forward';
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** `url` with its host and port replaced by the proxy's. */
export function viaProxy(url: string, port: number): string {
  const u = new URL(url);
  u.hostname = '127.0.0.1';
  u.port = String(port);
  return u.toString();
}
