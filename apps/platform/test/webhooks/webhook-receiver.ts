import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';

/** A webhook endpoint on loopback that records every request (event id, headers) and answers `status`. */
export async function startRecorder(path = '/mycard/webhook') {
  const events: { id: string; type: string; channelId: string; bindingId?: string }[] = [];
  let status = 200;
  let location: string | undefined;
  let requests = 0;
  const server: Server = createServer((req, res) => {
    requests++;
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        if (status >= 200 && status < 300) {
          events.push({
            id: body.id,
            type: body.type,
            channelId: body.channelId,
            bindingId: body.data?.bindingId,
          });
        }
      } catch {
        // not JSON: counted as a request only
      }
      res.writeHead(status, location ? { location } : {}).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    url: `http://127.0.0.1:${port}${path}`,
    events,
    requests: () => requests,
    setStatus(s: number, redirectTo?: string) {
      status = s;
      location = redirectTo;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A tarpit: accepts connections and never answers. Records the sockets it holds. */
export async function startTarpit() {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createTcpServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/hook`,
    port,
    open: () => sockets.size,
    accepted: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Waits until `probe` is true (or fails after `timeoutMs`). */
export async function until(probe: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
