import { MyCardApiError } from '@mycard/merchant';
import type { FastifyBaseLogger } from 'fastify';
import type { MerchantContext } from '../context.js';
import type { MessageOutboxTable } from '../db/schema.js';
import { MerchantError } from '../errors.js';
import { backoffMs } from '../sync/classify-failure.js';

export interface MessageSender {
  start(): void;
  stop(): Promise<void>;
  /** One round: sends every due message; resolves with how many the platform took. */
  runOnce(): Promise<number>;
}

/** A failed send: retry (when), or give up. */
function classify(err: unknown): { action: 'retry' | 'dead'; afterMs?: number } {
  if (err instanceof MyCardApiError) {
    // At most 3 messages per card in 24 hours (§11): the platform says when the next one fits.
    if (err.returnCode === '4029') return { action: 'retry', afterMs: (err.retryAfter ?? 3600) * 1000 };
    // The card is not (or no longer) an active card of ours; the request is malformed.
    if (['3003', '2101', '2102', '4004'].includes(err.returnCode)) return { action: 'dead' };
  }
  return { action: 'retry' };
}

/**
 * Delivers `message_outbox` through the SDK's `sendMessage`, oldest first, retrying with the
 * outbox's backoff (and the platform's Retry-After on its daily limit) until `sync.giveUpAfter`.
 * Each message keeps its message id across every retry and every instance: if two instances (or a
 * retry after a lost answer) send one, the platform stores it once.
 */
export function createMessageSender(ctx: MerchantContext, log: FastifyBaseLogger): MessageSender {
  const { pollMs } = ctx.config.sync;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let stopped = true;

  const round = async (): Promise<number> => {
    const now = ctx.now().toISOString();
    const due = await ctx.db
      .selectFrom('message_outbox')
      .selectAll()
      .where('state', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .orderBy('created_at')
      .orderBy('message_id')
      .limit(100)
      .execute();
    let sent = 0;
    for (const row of due) if (await send(row)) sent++;
    return sent;
  };

  const send = async (row: MessageOutboxTable): Promise<boolean> => {
    try {
      await ctx.platform.sendMessage({
        bindingId: row.binding_id,
        messageId: row.message_id,
        title: row.title,
        body: row.body,
      });
      await ctx.db
        .updateTable('message_outbox')
        .set({ state: 'sent', sent_at: ctx.now().toISOString(), last_error: null })
        .where('message_id', '=', row.message_id)
        .execute();
      return true;
    } catch (err) {
      const now = ctx.now();
      const reason = describe(err);
      const { action, afterMs } = classify(err);
      const old = now.getTime() - Date.parse(row.created_at) > ctx.config.sync.giveUpAfter * 1000;
      if (action === 'dead' || old) {
        await ctx.db
          .updateTable('message_outbox')
          .set({ state: 'dead', last_error: reason })
          .where('message_id', '=', row.message_id)
          .execute();
        log.warn({ messageId: row.message_id, reason }, 'card message given up');
        return false;
      }
      const attempts = row.attempts + 1;
      const wait = afterMs ?? backoffMs(attempts, ctx.config.sync.baseDelayMs, ctx.config.sync.maxDelayMs);
      await ctx.db
        .updateTable('message_outbox')
        .set({ attempts, next_attempt_at: new Date(now.getTime() + wait).toISOString(), last_error: reason })
        .where('message_id', '=', row.message_id)
        .execute();
      return false;
    }
  };

  const runOnce = async (): Promise<number> => {
    while (running) await running.catch(() => 0);
    running = round();
    try {
      return await running;
    } finally {
      running = undefined;
    }
  };

  const schedule = () => {
    if (stopped || pollMs <= 0) return;
    timer = setTimeout(
      () =>
        void runOnce()
          .catch((err) => log.error({ err }, 'card message round failed'))
          .finally(schedule),
      pollMs,
    );
    timer.unref();
  };

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      schedule();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => undefined);
    },
    runOnce,
  };
}

function describe(err: unknown): string {
  if (err instanceof MerchantError) return err.code;
  if (err && typeof err === 'object') {
    const e = err as { returnCode?: string; code?: string; message?: string };
    return [e.returnCode, e.code, e.message].filter(Boolean).join(' ').slice(0, 300);
  }
  return String(err).slice(0, 300);
}
