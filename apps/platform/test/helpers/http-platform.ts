import { createMyCardClient, MyCardApiError, type MyCardClient } from '@mycard/merchant';
import { type CodeType, createSignatureHeaders, withCheckDigit } from '@mycard/protocol';
import { afterAll, beforeAll } from 'vitest';
import { defined } from '../../../../test-support/defined.js';
import { freePort } from '../../../../test-support/free-port.js';
import type { PlatformConfigInput } from '../../src/config.js';
import { createProgram, type NewProgram } from '../../src/programs/program-repository.js';
import { type Dialect, startTestPlatform, type TestPlatform } from './platform.js';

export interface HttpPlatform extends TestPlatform {
  /** `http://127.0.0.1:<port>`: the platform's publicUrl, where it listens. */
  url: string;
  /** Registers a program (LIVE by default) and returns its credentials. */
  program(input?: Partial<NewProgram>): Promise<{ channelId: string; channelSecret: string }>;
  /** A wallet user signed in through `POST /v1/session/dev`. */
  wallet(userId: string): Promise<WalletClient>;
  /** Row counts of the binding area's tables, for "nothing was stored" checks. */
  counts(): Promise<Record<string, number>>;
}

/**
 * `startHttpPlatform` for a describe block: started before its tests, closed after them. The
 * object returned stands for that platform; use it in hooks and tests.
 */
export function httpPlatformForBlock(...args: Parameters<typeof startHttpPlatform>): HttpPlatform {
  let running: HttpPlatform | undefined;
  beforeAll(async () => {
    running = await startHttpPlatform(...args);
  });
  afterAll(async () => {
    await running?.close();
  });
  return new Proxy({} as HttpPlatform, {
    get(_target, key) {
      if (!running) throw new Error('the platform starts in beforeAll: use it in a hook or a test');
      return Reflect.get(running, key);
    },
  });
}

/** A platform on `dialect`, listening on a loopback port, with generous limits unless given. */
export async function startHttpPlatform(
  dialect: Dialect,
  config: PlatformConfigInput = {},
  options: Parameters<typeof startTestPlatform>[2] = {},
): Promise<HttpPlatform> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const platform = await startTestPlatform(
    dialect,
    {
      publicUrl: url,
      port,
      ...config,
      rateLimits: { sessionPerMinute: 1000, reservePerMinute: 1000, ...config.rateLimits },
    },
    options,
  );
  await platform.app.listen({ port, host: '127.0.0.1' });
  return {
    ...platform,
    url,
    async program(input = {}) {
      const { program, channelSecret } = await createProgram(platform.ctx, {
        name: 'Demo Mart',
        codeType: 'EAN13',
        bindingUrl: 'https://shop.example/mycard/bind?campaign=winter',
        status: 'LIVE',
        ...input,
      });
      return { channelId: program.channelId, channelSecret };
    },
    async wallet(userId) {
      const client = new WalletClient(url);
      const res = await client.post('/v1/session/dev', { userId, displayName: `User ${userId}` });
      if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${JSON.stringify(res.body)}`);
      return client;
    },
    async counts() {
      const db = platform.ctx.db;
      const out: Record<string, number> = {};
      for (const table of ['bindings', 'webhook_outbox', 'one_time_key_uses', 'one_time_keys'] as const) {
        const row = await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        out[table] = Number(row.n);
      }
      const states = await db.selectFrom('bindings').select(['state']).execute();
      for (const s of states) out[`state:${s.state}`] = (out[`state:${s.state}`] ?? 0) + 1;
      return out;
    },
  };
}

export interface ApiResponse {
  status: number;
  body: any;
  headers: Headers;
}

/** A browser of a wallet user: a cookie jar, the platform's Origin, JSON bodies. */
export class WalletClient {
  readonly cookies = new Map<string, string>();
  constructor(
    readonly baseUrl: string,
    public origin: string | undefined = baseUrl,
  ) {}

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const h: Record<string, string> = { ...headers };
    if (this.origin !== undefined && h.origin === undefined) h.origin = this.origin;
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (cookie) h.cookie = cookie;
    let payload: string | undefined;
    if (body !== undefined) {
      payload = typeof body === 'string' ? body : JSON.stringify(body);
      h['content-type'] ??= 'application/json';
    }
    const res = await fetch(this.baseUrl + path, { method, headers: h, body: payload });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const i = defined(pair).indexOf('=');
      const name = defined(pair).slice(0, i);
      const value = defined(pair).slice(i + 1);
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await res.text();
    return {
      status: res.status,
      body: text ? JSON.parse(text) : undefined,
      headers: res.headers,
    } as ApiResponse;
  }
  get(path: string) {
    return this.request('GET', path);
  }
  post(path: string, body: unknown = {}, headers?: Record<string, string>) {
    return this.request('POST', path, body, headers);
  }
  delete(path: string) {
    return this.request('DELETE', path);
  }
  /** Reserve, returning the redirect URL's query. */
  async reserve(channelId: string) {
    const res = await this.post('/v1/bindings', { channelId });
    if (res.status !== 201) throw new Error(`reserve failed: ${res.status} ${JSON.stringify(res.body)}`);
    const query = new URL(res.body.info.redirectUrl).searchParams;
    return {
      bindingId: res.body.info.bindingId as string,
      redirectUrl: res.body.info.redirectUrl as string,
      query,
      token: defined(query.get('token')),
    };
  }
}

/**
 * A listening platform on `dialect` whose clock is `now`, with one program registered (LIVE unless
 * `program` says otherwise) and the merchant SDK client of that program.
 */
export async function startProgramPlatform(
  dialect: Dialect,
  now: () => Date,
  program: Partial<NewProgram> = {},
): Promise<{
  platform: HttpPlatform;
  creds: { channelId: string; channelSecret: string };
  client: MyCardClient;
}> {
  const platform = await startHttpPlatform(dialect, {}, { now });
  const creds = await platform.program(program);
  return { platform, creds, client: merchantClient(platform, creds) };
}

/** The merchant SDK client of a program on `platform`, without retries. */
export function merchantClient(
  platform: { url: string },
  creds: { channelId: string; channelSecret: string },
): MyCardClient {
  return createMyCardClient({ baseUrl: platform.url, ...creds, maxRetries: 0 });
}

/** The `[status, returnCode]` of the {@link MyCardApiError} a merchant SDK call rejects with. */
export async function apiError(promise: Promise<unknown>): Promise<[number, string]> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof MyCardApiError) return [err.status, err.returnCode];
    throw err;
  }
  throw new Error('expected an API error');
}

/** A signed merchant call built by hand (for the negative cases the SDK would never send). */
export async function merchantCall(
  baseUrl: string,
  creds: { channelId: string; channelSecret: string },
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  tweak: {
    nonce?: string;
    rawBody?: string;
    signedBody?: string;
    query?: string;
    headers?: Record<string, string>;
    omit?: string[];
  } = {},
): Promise<ApiResponse> {
  const raw = tweak.rawBody ?? (method === 'POST' ? JSON.stringify(body ?? {}) : undefined);
  const query = tweak.query ?? '';
  const headers: Record<string, string> = {
    ...(await createSignatureHeaders({
      channelId: creds.channelId,
      channelSecret: creds.channelSecret,
      path,
      payload: method === 'POST' ? (tweak.signedBody ?? raw ?? '') : query,
      nonce: tweak.nonce ?? crypto.randomUUID(),
    })),
    ...(raw !== undefined ? { 'content-type': 'application/json' } : {}),
    ...tweak.headers,
  };
  for (const name of tweak.omit ?? []) delete headers[name];
  const res = await fetch(`${baseUrl}${path}${query ? `?${query}` : ''}`, { method, headers, body: raw });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

/** Valid membership codes of a code type, distinct per `n`. */
export function code(n: number, type: CodeType = 'EAN13'): string {
  if (type === 'EAN13') return withCheckDigit(String(490000000000 + n));
  return `M-${n}`;
}
