/**
 * The platform side of the merchant SDK tests: a real `node:http` server on 127.0.0.1 that checks
 * every merchant API call's HMAC signature with @mycard/protocol, records what it received, and
 * answers with envelopes the test scripts. It also serves a JWKS and counts its fetches.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SIGNATURE_HEADERS, verifyRequestSignature } from '@mycard/protocol';

export const CHANNEL_ID = '1234567890';
export const CHANNEL_SECRET = 'a3f1c2d4e5b6a7980112233445566778899aabbccddeeff00112233445566778';

export interface RecordedRequest {
  method: string;
  /** Pathname as received. */
  path: string;
  /** Query string without `?`. */
  query: string;
  headers: IncomingMessage['headers'];
  rawBody: Buffer;
  /** The signature checked with verifyRequestSignature over the path and payload received. */
  signatureValid: boolean;
  nonce: string | undefined;
}

export interface Reply {
  status: number;
  /** An object is sent as JSON; a string as is. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Destroy the socket instead of answering (after the request was read). */
  destroy?: boolean;
  /** Never answer (the socket closes with the fake platform). */
  hang?: boolean;
}

export type Responder = (request: RecordedRequest, attempt: number) => Reply;

export interface FakePlatform {
  url: string;
  /** Merchant API calls (the JWKS fetches are only counted). */
  requests: RecordedRequest[];
  jwks: { keys: JsonWebKey[] };
  jwksFetches: number;
  /** Overrides the JWKS answer (e.g. an error), `undefined` to serve `jwks` again. */
  jwksReply: Reply | undefined;
  /** Scripts the answer of `METHOD /pathname` (attempt counts from 0 per route). */
  on(route: string, responder: Responder): void;
  close(): Promise<void>;
}

export function ok(info: unknown, status = 200): Reply {
  return { status, body: { returnCode: '0000', returnMessage: 'Success.', info } };
}

export function fail(returnCode: string, status: number, headers?: Record<string, string>): Reply {
  return {
    status,
    body: { returnCode, returnMessage: `error ${returnCode}` },
    ...(headers ? { headers } : {}),
  };
}

export async function startFakePlatform(secret = CHANNEL_SECRET): Promise<FakePlatform> {
  const responders = new Map<string, Responder>();
  const attempts = new Map<string, number>();
  const sockets = new Set<import('node:net').Socket>();

  const platform: FakePlatform = {
    url: '',
    requests: [],
    jwks: { keys: [] },
    jwksFetches: 0,
    jwksReply: undefined,
    on(route, responder) {
      responders.set(route, responder);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };

  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');

    if (url.pathname.endsWith('/.well-known/jwks.json')) {
      platform.jwksFetches++;
      return answer(res, platform.jwksReply ?? { status: 200, body: platform.jwks });
    }

    const nonce = header(req, SIGNATURE_HEADERS.nonce);
    const signature = header(req, SIGNATURE_HEADERS.signature) ?? '';
    const query = url.search.replace(/^\?/, '');
    const signatureValid =
      header(req, SIGNATURE_HEADERS.channelId) === CHANNEL_ID &&
      nonce !== undefined &&
      (await verifyRequestSignature({
        channelSecrets: [secret],
        path: url.pathname,
        payload: req.method === 'GET' ? query : rawBody,
        nonce,
        signature,
      })) === 0;
    const recorded: RecordedRequest = {
      method: req.method ?? '',
      path: url.pathname,
      query,
      headers: req.headers,
      rawBody,
      signatureValid,
      nonce,
    };
    platform.requests.push(recorded);
    if (!signatureValid) return answer(res, fail('1106', 401));

    const route = `${req.method} ${url.pathname.replace(/^\/api(?=\/v1\/)/, '')}`;
    const responder = [...responders.entries()].find(([pattern]) => matches(pattern, route))?.[1];
    if (!responder) return answer(res, fail('4004', 404));
    const attempt = attempts.get(route) ?? 0;
    attempts.set(route, attempt + 1);
    return answer(res, responder(recorded, attempt));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  platform.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return platform;
}

/** `GET /v1/onetimekeys/*` matches any key. */
function matches(pattern: string, route: string): boolean {
  return pattern.endsWith('*') ? route.startsWith(pattern.slice(0, -1)) : pattern === route;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return typeof value === 'string' ? value : undefined;
}

async function answer(res: ServerResponse, reply: Reply): Promise<void> {
  if (reply.hang) return;
  if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
  if (reply.destroy) {
    res.socket?.destroy();
    return;
  }
  const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {});
  res.writeHead(reply.status, {
    'content-type': typeof reply.body === 'string' ? 'text/html' : 'application/json',
    ...reply.headers,
  });
  res.end(text);
}

/** A port nothing listens on: bound, then released. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A UUIDv7 nonce carrying the time `ms`. */
export function uuidv7(ms: number): string {
  const time = ms.toString(16).padStart(12, '0');
  const rand = crypto.randomUUID().replace(/-/g, '');
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${rand.slice(13, 16)}-8${rand.slice(17, 20)}-${rand.slice(20, 32)}`;
}

/** Runs `fn` and returns what it threw (fails the test when it does not throw). */
export async function rejection(fn: () => Promise<unknown> | unknown): Promise<any> {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}
