import { createSignatureHeaders } from '@mycard/protocol';
import type { PlatformContext } from '../context.js';
import { nodeCryptoProvider } from '../crypto/node-crypto-provider.js';
import { activeChannelSecrets, getProgram } from '../programs/program-repository.js';
import { claimDueWebhooks, type OutboxRow, releaseWebhook } from './claim-webhooks.js';
import { createEndpointBreakers, type EndpointBreakers } from './endpoint-breaker.js';
import { type PostWebhookResult, postWebhook } from './post-webhook.js';
import { allowsPrivateWebhooks } from './webhook-destination.js';

/** Delivery settings (docs/protocol-notes.md, "Webhooks"). */
export const WEBHOOK_DELIVERY = {
  /** Attempts in flight per instance, all endpoints together. */
  concurrency: 16,
  /** Attempts in flight per endpoint (a program's webhook URL). */
  perEndpoint: 2,
  /** TCP/TLS connect timeout (ms). */
  connectTimeoutMs: 2000,
  /** Whole attempt until the response status (ms). */
  timeoutMs: 5000,
  /** How long a claim holds an event: well above one attempt, so only a dead instance loses it (ms). */
  leaseMs: 60_000,
};
const FIRST_RETRY_SECONDS = 30;
const MAX_RETRY_SECONDS = 3600;
const GIVE_UP_AFTER_SECONDS = 24 * 3600;
/** Where an abandoned event's next attempt is parked (it stays in the outbox for inspection). */
const NEVER = '9999-12-31T23:59:59.999Z';

/** Seconds before attempt `attempts + 1`: 30 s, 1 min, 2 min … capped at 1 h. */
export function webhookBackoffSeconds(attempts: number): number {
  return Math.min(MAX_RETRY_SECONDS, FIRST_RETRY_SECONDS * 2 ** Math.max(0, attempts - 1));
}

export interface WebhookDispatcher {
  /** Claims what this instance can start now and starts it; does not wait for the attempts. */
  tick(): Promise<void>;
  /** Waits for every attempt in flight; the counts of attempts finished since the last drain. */
  drain(): Promise<{ delivered: number; failed: number }>;
  readonly breakers: EndpointBreakers;
}

/**
 * The outbox dispatcher of one instance (issue 9.3/9.4). Each tick claims due events with a lease
 * (never those of an endpoint that is busy or whose breaker is open), and starts each attempt
 * without waiting for the others: at most `concurrency` in flight, `perEndpoint` per endpoint, so a
 * slow or dead endpoint holds two slots for at most `timeoutMs` and never delays another program.
 * Each attempt is POSTed with the §3 headers (path = the webhook URL's pathname, payload = the
 * exact body) under the channel's current secret; a 2xx marks it delivered, anything else sets
 * the next attempt with exponential backoff until 24 h after the event, then it is abandoned.
 */
export function createWebhookDispatcher(
  ctx: PlatformContext,
  options: Partial<typeof WEBHOOK_DELIVERY> & { owner?: string } = {},
): WebhookDispatcher {
  const settings = { ...WEBHOOK_DELIVERY, ...options };
  const owner = options.owner ?? ctx.instanceId;
  const breakers = createEndpointBreakers({ now: () => ctx.now().getTime() });
  const busy = new Map<string, number>();
  const inFlight = new Set<Promise<void>>();
  let counts = { delivered: 0, failed: 0 };
  const allowPrivate = allowsPrivateWebhooks(ctx.config);

  const attempt = async (row: OutboxRow, url: URL | undefined): Promise<void> => {
    const result: PostWebhookResult = url
      ? await send(ctx, row, url, settings, allowPrivate)
      : { error: 'no_webhook_url' };
    const ok = 'status' in result && result.status >= 200 && result.status < 300;
    if (url) (ok ? breakers.success : breakers.failure)(row.channel_id);
    counts = ok ? { ...counts, delivered: counts.delivered + 1 } : { ...counts, failed: counts.failed + 1 };
    await recordAttempt(ctx, row, owner, result, ok);
  };

  const start = (row: OutboxRow, url: URL | undefined) => {
    busy.set(row.channel_id, (busy.get(row.channel_id) ?? 0) + 1);
    const run = attempt(row, url)
      .catch(() => {
        // The row keeps its lease until it runs out; another attempt follows then.
      })
      .finally(() => {
        const n = (busy.get(row.channel_id) ?? 1) - 1;
        if (n <= 0) busy.delete(row.channel_id);
        else busy.set(row.channel_id, n);
        inFlight.delete(run);
      });
    inFlight.add(run);
  };

  return {
    breakers,
    async tick() {
      const free = settings.concurrency - inFlight.size;
      if (free <= 0) return;
      const full = [...busy].filter(([, n]) => n >= settings.perEndpoint).map(([c]) => c);
      const rows = await claimDueWebhooks(ctx, {
        owner,
        limit: free,
        leaseMs: settings.leaseMs,
        skipChannels: [...new Set([...full, ...breakers.openEndpoints()])],
      });
      const urls = new Map<string, URL | undefined>();
      for (const row of rows) {
        if (!urls.has(row.channel_id)) {
          const program = await getProgram(ctx.db, row.channel_id);
          urls.set(row.channel_id, program?.webhookUrl ? new URL(program.webhookUrl) : undefined);
        }
        const url = urls.get(row.channel_id);
        const room = (busy.get(row.channel_id) ?? 0) < settings.perEndpoint;
        if (room && (!url || breakers.allows(row.channel_id))) start(row, url);
        else await releaseWebhook(ctx, row.id, owner);
      }
    },
    async drain() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
      const out = counts;
      counts = { delivered: 0, failed: 0 };
      return out;
    },
  };
}

async function send(
  ctx: PlatformContext,
  row: OutboxRow,
  url: URL,
  settings: typeof WEBHOOK_DELIVERY,
  allowPrivate: boolean,
): Promise<PostWebhookResult> {
  const [secret] = await activeChannelSecrets(ctx, row.channel_id);
  if (!secret) return { error: 'no_channel_secret' };
  const headers = await createSignatureHeaders({
    channelId: row.channel_id,
    channelSecret: secret,
    path: url.pathname,
    payload: row.payload,
    nonce: globalThis.crypto.randomUUID(),
    crypto: nodeCryptoProvider,
  });
  return postWebhook(
    url,
    { ...headers, 'content-type': 'application/json', 'user-agent': 'MyCardWebhooks/1' },
    row.payload,
    { allowPrivate, connectTimeoutMs: settings.connectTimeoutMs, timeoutMs: settings.timeoutMs },
  );
}

/** Writes an attempt's outcome and ends the lease — only while this instance still holds it. */
async function recordAttempt(
  ctx: PlatformContext,
  row: OutboxRow,
  owner: string,
  result: PostWebhookResult,
  ok: boolean,
): Promise<void> {
  const at = ctx.now();
  const attempts = row.attempts + 1;
  const common = {
    attempts,
    lease_owner: null,
    lease_until: null,
    last_status: 'status' in result ? result.status : null,
    last_attempt_at: at.toISOString(),
  };
  const update = ctx.db
    .updateTable('webhook_outbox')
    .where('id', '=', row.id)
    .where('lease_owner', '=', owner);
  if (ok) {
    await update.set({ ...common, delivered_at: at.toISOString(), last_error: null }).execute();
    return;
  }
  const error = 'status' in result ? `http_${result.status}` : result.error;
  const next = new Date(at.getTime() + webhookBackoffSeconds(attempts) * 1000);
  const giveUp = next.getTime() > Date.parse(row.created_at) + GIVE_UP_AFTER_SECONDS * 1000;
  await update
    .set({
      ...common,
      next_attempt_at: giveUp ? NEVER : next.toISOString(),
      last_error: giveUp ? `abandoned: ${error}` : error,
    })
    .execute();
}

/**
 * Delivers the due events once and waits for the attempts (tests, tools). A fresh dispatcher each
 * call: no breaker memory between calls.
 */
export async function dispatchDueWebhooks(
  ctx: PlatformContext,
  options: Partial<typeof WEBHOOK_DELIVERY> = {},
): Promise<{ delivered: number; failed: number }> {
  const dispatcher = createWebhookDispatcher(ctx, options);
  await dispatcher.tick();
  return dispatcher.drain();
}

/**
 * Starts the outbox poller (every `webhookPollMs`); returns a stop function that waits for the
 * attempts in flight. Ticks never overlap; attempts run across ticks.
 */
export function startWebhookDispatcher(
  ctx: PlatformContext,
  log: (err: unknown) => void,
): () => Promise<void> {
  const dispatcher = createWebhookDispatcher(ctx);
  let ticking: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    if (ticking) return;
    ticking = dispatcher
      .tick()
      .catch(log)
      .finally(() => {
        ticking = undefined;
      });
  }, ctx.config.webhookPollMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await ticking;
    await dispatcher.drain();
  };
}
