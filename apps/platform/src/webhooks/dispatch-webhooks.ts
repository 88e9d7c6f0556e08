import { createSignatureHeaders } from '@mycard/protocol';
import type { PlatformContext } from '../context.js';
import { activeChannelSecrets, getProgram } from '../programs/program-repository.js';

/** Per delivery attempt (docs/protocol-notes.md, "Webhooks"). */
const DELIVERY_TIMEOUT_MS = 5000;
const FIRST_RETRY_SECONDS = 30;
const MAX_RETRY_SECONDS = 3600;
const GIVE_UP_AFTER_SECONDS = 24 * 3600;
/** Rows handled per poll: a backlog drains over several polls instead of one long one. */
const BATCH = 20;
/** Where an abandoned event's next attempt is parked (it stays in the outbox for inspection). */
const NEVER = '9999-12-31T23:59:59.999Z';

/** Seconds before attempt `attempts + 1`: 30 s, 1 min, 2 min … capped at 1 h. */
export function webhookBackoffSeconds(attempts: number): number {
  return Math.min(MAX_RETRY_SECONDS, FIRST_RETRY_SECONDS * 2 ** Math.max(0, attempts - 1));
}

export type WebhookFetch = (url: string, init: RequestInit) => Promise<Response>;

/**
 * Delivers the due outbox events once: each is POSTed to the program's webhook URL with the §3
 * headers (path = the webhook URL's pathname, payload = the exact body) under the channel's
 * current secret; a 2xx marks it delivered, anything else schedules the next attempt with
 * exponential backoff until 24 h after the event, then it is abandoned.
 */
export async function dispatchDueWebhooks(
  ctx: PlatformContext,
  fetchImpl: WebhookFetch = globalThis.fetch,
): Promise<{ delivered: number; failed: number }> {
  const now = ctx.now();
  const due = await ctx.db
    .selectFrom('webhook_outbox')
    .selectAll()
    .where('delivered_at', 'is', null)
    .where('next_attempt_at', '<=', now.toISOString())
    .orderBy('id')
    .limit(BATCH)
    .execute();
  let delivered = 0;
  let failed = 0;
  for (const row of due) {
    const error = await deliver(ctx, row.channel_id, row.payload, fetchImpl);
    const at = ctx.now();
    if (error === undefined) {
      delivered++;
      await ctx.db
        .updateTable('webhook_outbox')
        .set({ delivered_at: at.toISOString(), attempts: row.attempts + 1, last_error: null })
        .where('id', '=', row.id)
        .execute();
      continue;
    }
    failed++;
    const attempts = row.attempts + 1;
    const next = new Date(at.getTime() + webhookBackoffSeconds(attempts) * 1000);
    const giveUp = next.getTime() > Date.parse(row.created_at) + GIVE_UP_AFTER_SECONDS * 1000;
    await ctx.db
      .updateTable('webhook_outbox')
      .set({
        attempts,
        next_attempt_at: giveUp ? NEVER : next.toISOString(),
        last_error: giveUp ? `abandoned: ${error}` : error,
      })
      .where('id', '=', row.id)
      .execute();
  }
  return { delivered, failed };
}

/** One attempt; returns undefined on a 2xx, else a short reason for the outbox row. */
async function deliver(
  ctx: PlatformContext,
  channelId: string,
  payload: string,
  fetchImpl: WebhookFetch,
): Promise<string | undefined> {
  const program = await getProgram(ctx.db, channelId);
  if (!program?.webhookUrl) return 'no_webhook_url';
  const [secret] = await activeChannelSecrets(ctx, channelId);
  if (!secret) return 'no_channel_secret';
  const url = new URL(program.webhookUrl);
  const headers = await createSignatureHeaders({
    channelId,
    channelSecret: secret,
    path: url.pathname,
    payload,
    nonce: globalThis.crypto.randomUUID(),
  });
  try {
    const response = await fetchImpl(url.href, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', 'user-agent': 'MyCardWebhooks/1' },
      body: payload,
      redirect: 'manual',
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    await response.body?.cancel().catch(() => {});
    return response.status >= 200 && response.status < 300 ? undefined : `http_${response.status}`;
  } catch (err) {
    return (err as Error).name === 'TimeoutError' ? 'timeout' : 'network_error';
  }
}

/**
 * Starts the outbox poller (every `webhookPollMs`); returns a stop function. Polls never overlap.
 */
export function startWebhookDispatcher(
  ctx: PlatformContext,
  log: (err: unknown) => void,
): () => Promise<void> {
  let running: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = dispatchDueWebhooks(ctx)
      .catch(log)
      .finally(() => {
        running = undefined;
      });
  }, ctx.config.webhookPollMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
