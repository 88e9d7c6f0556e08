import { createSignatureHeaders, withCheckDigit } from '@mycard/protocol';
import {
  atLeast,
  type BenchContext,
  expectHttp,
  fmtUs,
  type GoalRow,
  type GoalRowProducer,
  type HttpClient,
  httpClient,
  measureLoad,
  type ServerProcess,
  startServer,
} from './harness.js';

/**
 * The live card's cost (issue 11 item 6, PROTOCOL.md §11): an open card in the wallet asks every
 * LIVE_POLL_MS (apps/wallet/src/lib/use-live.ts: 3 s) whether it changed, with If-None-Match; while
 * nothing changed the platform answers 304 without a body. Measured over real HTTP against the
 * platform in its own pinned process (bench/servers/platform.ts, SQLite): server CPU per poll of one
 * card and of the card list, and what that makes per open card per minute.
 */
const PUBLIC_URL = 'http://127.0.0.1:39999';
const CONCURRENCY = 8;
/** The wallet's poll interval (apps/wallet/src/lib/use-live.ts LIVE_POLL_MS). */
const POLL_MS = 3000;
const POLLS_PER_MINUTE = 60_000 / POLL_MS;

type Wallet = {
  get(path: string, headers?: Record<string, string>): ReturnType<HttpClient['request']>;
  post(path: string, body: unknown): ReturnType<HttpClient['request']>;
};

/** A wallet browser: its session cookie and the platform's Origin. */
function walletOf(client: HttpClient): Wallet {
  let cookie = '';
  const send = async (method: string, path: string, body?: unknown, extra: Record<string, string> = {}) => {
    const res = await client.request(method, path, {
      headers: {
        origin: PUBLIC_URL,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(cookie ? { cookie } : {}),
        ...extra,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const set = (res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).filter(Boolean);
    if (set.length) cookie = [...new Set([...(cookie ? cookie.split('; ') : []), ...set])].join('; ');
    return res;
  };
  return {
    get: (path, headers) => send('GET', path, undefined, headers),
    post: (path, body) => send('POST', path, body),
  };
}

/** One wallet user holding one ACTIVE card: sign-in, reserve, the merchant's apply (HMAC), complete. */
async function userWithCard(server: ServerProcess, client: HttpClient, n: number) {
  const channelId = String(server.info.channelId);
  const channelSecret = String(server.info.channelSecret);
  const wallet = walletOf(client);
  expectHttp(
    await wallet.post('/v1/session/dev', { userId: `live-${n}`, displayName: 'Live' }),
    200,
    'sign-in',
  );
  const reserve = expectHttp(await wallet.post('/v1/bindings', { channelId }), 201, 'reserve');
  const { bindingId, redirectUrl } = JSON.parse(reserve.body).info as {
    bindingId: string;
    redirectUrl: string;
  };
  const path = '/v1/bindings/apply';
  const payload = JSON.stringify({
    token: new URL(redirectUrl).searchParams.get('token'),
    membershipCode: withCheckDigit(String(480_000_000_000 + n)),
  });
  const headers = await createSignatureHeaders({
    channelId,
    channelSecret,
    path,
    payload,
    nonce: crypto.randomUUID(),
  });
  const apply = expectHttp(
    await client.request('POST', path, {
      headers: { ...headers, 'content-type': 'application/json' },
      body: payload,
    }),
    200,
    'apply',
  );
  const completionToken = JSON.parse(apply.body).info.completionToken as string;
  expectHttp(
    await wallet.post('/v1/bindings/complete', { token: completionToken, channelId, status: 'SUCCESS' }),
    200,
    'complete',
  );
  return { wallet, bindingId };
}

export const liveCardRows: GoalRowProducer = {
  name: 'live card (ETag/304 polling)',
  async rows(ctx: BenchContext): Promise<GoalRow[]> {
    const window = ctx.quick ? 2000 : 5000;
    const server = await startServer({
      script: './servers/platform.ts',
      args: [JSON.stringify({ publicUrl: PUBLIC_URL })],
    });
    const client = httpClient(server.url, { connections: 64 });
    try {
      const users: { wallet: Wallet; bindingId: string }[] = [];
      for (let i = 0; i < CONCURRENCY; i++) users.push(await userWithCard(server, client, i + 1));
      const etags = new Map<string, { card: string; list: string }>();
      for (const u of users) {
        const card = expectHttp(await u.wallet.get(`/v1/cards/${u.bindingId}`), 200, 'card');
        const list = expectHttp(await u.wallet.get('/v1/cards'), 200, 'cards');
        etags.set(u.bindingId, { card: String(card.headers.etag), list: String(list.headers.etag) });
      }
      const poller = (what: 'card' | 'list' | 'full') => {
        let next = 0;
        return async () => {
          const u = users[next++ % users.length] as { wallet: Wallet; bindingId: string };
          const tags = etags.get(u.bindingId) as { card: string; list: string };
          if (what === 'full')
            return expectHttp(await u.wallet.get(`/v1/cards/${u.bindingId}`), 200, 'card (200)');
          const path = what === 'card' ? `/v1/cards/${u.bindingId}` : '/v1/cards';
          return expectHttp(await u.wallet.get(path, { 'if-none-match': tags[what] }), 304, `${path} (304)`);
        };
      };
      const load = (what: 'card' | 'list' | 'full') =>
        measureLoad(server, {
          concurrency: CONCURRENCY,
          durationMs: window,
          maxOps: 100_000,
          warmupMs: 500,
          op: poller(what),
        });
      const card = await load('card');
      const list = await load('list');
      const full = await load('full');

      const minimal = ctx.limits.httpRequestCpuUs;
      const ratio = minimal / card.serverCpuUsPerOp;
      const perCardMinuteUs = card.serverCpuUsPerOp * POLLS_PER_MINUTE;
      const cardsPerCore = 60e6 / perCardMinuteUs;
      return [
        {
          figure: `live card poll (GET /v1/cards/{id}, If-None-Match → 304), server CPU: minimal request ÷ measured, c=${CONCURRENCY}`,
          measured: `${fmtUs(card.serverCpuUsPerOp)} CPU/poll, ${card.opsPerSec.toFixed(0)} polls/s, p99 ${fmtUs(card.p99Us)}`,
          model: `${fmtUs(minimal)} (a minimal node:http JSON request)`,
          ratio,
          // A poll is one request, the session and card reads and a SHA-256 of the body: at most
          // 5 minimal requests' worth of CPU.
          goal: '≥ 0.2',
          met: atLeast(ratio, 0.2),
          note: `200 with body: ${fmtUs(full.serverCpuUsPerOp)} CPU; list 304: ${fmtUs(list.serverCpuUsPerOp)} CPU`,
        },
        {
          figure: `live card, one open card: server CPU per minute (a poll every ${POLL_MS / 1000} s)`,
          measured: `${fmtUs(perCardMinuteUs)} CPU/card/min → ${Math.round(cardsPerCore).toLocaleString('en')} open cards per core`,
          // An open card costs at most 0.1 % of a core.
          ratio: cardsPerCore / 1000,
          goal: '≥ 1 000 open cards per core',
          met: atLeast(cardsPerCore / 1000, 1),
          note: 'the list screen costs the same with the list poll',
        },
      ];
    } finally {
      client.close();
      await server.stop();
    }
  },
};
