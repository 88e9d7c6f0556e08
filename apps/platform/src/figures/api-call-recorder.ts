import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../store/schema.js';

/**
 * Counts merchant API calls per UTC day, channel and returnCode for the platform's figures. Counts
 * are summed in memory and added to `merchant_api_calls` by `flush()` (every few seconds, on close,
 * and before the figures are read), so a merchant call costs no extra write; several instances
 * add their own counts to the same rows. A crash loses at most the last few seconds of counts —
 * figures, not ledger entries.
 */
export interface ApiCallRecorder {
  record(channelId: string, returnCode: string, at: Date): void;
  flush(): Promise<void>;
  start(): () => Promise<void>;
}

/** Calls without an authenticated channel (malformed headers, unknown channel) are counted here. */
export const UNAUTHENTICATED_CHANNEL = '-';
const FLUSH_MS = 5000;

export function createApiCallRecorder(db: Kysely<Database>): ApiCallRecorder {
  let pending = new Map<string, number>();
  let flushing: Promise<void> = Promise.resolve();
  const flushOnce = async () => {
    const batch = pending;
    pending = new Map();
    for (const [key, n] of batch) {
      const [day, channelId, returnCode] = key.split('|') as [string, string, string];
      await db
        .insertInto('merchant_api_calls')
        .values({ day, channel_id: channelId, return_code: returnCode, calls: n })
        .onConflict((oc) =>
          oc
            .columns(['day', 'channel_id', 'return_code'])
            .doUpdateSet({ calls: sql<number>`merchant_api_calls.calls + ${n}` }),
        )
        .execute();
    }
  };
  const recorder: ApiCallRecorder = {
    record(channelId, returnCode, at) {
      const key = `${at.toISOString().slice(0, 10)}|${channelId}|${returnCode}`;
      pending.set(key, (pending.get(key) ?? 0) + 1);
    },
    flush() {
      // One flush at a time: a second caller waits for the running one, then flushes what came since.
      flushing = flushing.then(flushOnce, flushOnce);
      return flushing;
    },
    start() {
      const timer = setInterval(() => {
        recorder.flush().catch(() => undefined);
      }, FLUSH_MS);
      timer.unref();
      return async () => {
        clearInterval(timer);
        await recorder.flush();
      };
    },
  };
  return recorder;
}
