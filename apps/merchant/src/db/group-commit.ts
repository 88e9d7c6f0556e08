import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.js';

/** Work that runs inside a transaction and resolves with its result. */
export type TransactionWork<T> = (trx: Transaction<Database>) => Promise<T>;

/**
 * Runs ledger transactions durably. `run(work)` resolves only after the transaction holding
 * `work` has committed (on SQLite with `synchronous=FULL`: after its fsync), or rejects with what
 * `work` threw — then nothing of `work` is stored.
 */
export interface Committer {
  run<T>(work: TransactionWork<T>): Promise<T>;
  /** Commits the group in flight, if any, and refuses new work. */
  close(): Promise<void>;
  /** Groups committed and the requests they carried, since start (for the bench and metrics). */
  stats(): { commits: number; requests: number };
  /** Counts a ledger write committed by one statement of its own, outside `run` (PostgreSQL). */
  autocommitted(): void;
}

/** The most requests one group commit carries. */
export const MAX_GROUP = 256;

/** The savepoint statements of the i-th request of a group, made once. */
const savepoints: Array<{ begin: CompiledQuery; release: CompiledQuery; rollback: CompiledQuery }> = [];
function savepoint(i: number) {
  let sp = savepoints[i];
  if (!sp) {
    sp = {
      begin: CompiledQuery.raw(`savepoint g${i}`),
      release: CompiledQuery.raw(`release g${i}`),
      rollback: CompiledQuery.raw(`rollback to g${i}`),
    };
    savepoints[i] = sp;
  }
  return sp;
}

/** One transaction per `run` (PostgreSQL: concurrent transactions already share its WAL flushes). */
export function transactionPerRun(db: Kysely<Database>): Committer {
  let commits = 0;
  return {
    async run(work) {
      const result = await db.transaction().execute(work);
      commits++;
      return result;
    },
    async close() {},
    stats: () => ({ commits, requests: commits }),
    autocommitted: () => {
      commits++;
    },
  };
}

interface Pending {
  work: TransactionWork<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * Group commit on SQLite (one writer, one fsync per COMMIT): the requests that arrive while a
 * group is being written are committed together by the next one — one `BEGIN … COMMIT`, one
 * fsync, a `SAVEPOINT` per request. A request that throws is rolled back to its savepoint and
 * leaves the others in; every request is answered (either way) only after the shared COMMIT
 * returned, so an acknowledged request is on disk and a refusal never rests on work that was
 * later lost. If the COMMIT itself fails, every request of the group fails.
 *
 * The work of a request must use only `trx` (the single connection is held by the group) and
 * must not wait on anything but the database: it runs while the others of its group wait.
 */
export function groupCommit(db: Kysely<Database>, options: { maxGroup?: number } = {}): Committer {
  const maxGroup = options.maxGroup ?? MAX_GROUP;
  const queue: Pending[] = [];
  let scheduled = false;
  let flushing: Promise<void> | undefined;
  let closed = false;
  let commits = 0;
  let requests = 0;

  function schedule(): void {
    if (scheduled || flushing || queue.length === 0) return;
    scheduled = true;
    // After the I/O callbacks of this loop turn: the requests read from the sockets meanwhile
    // join this group.
    setImmediate(() => {
      scheduled = false;
      flushing = flush().finally(() => {
        flushing = undefined;
        schedule();
      });
    });
  }

  async function flush(): Promise<void> {
    const group = queue.splice(0, maxGroup);
    const outcomes: Outcome[] = [];
    try {
      if (group.length === 1) {
        // Alone: a plain transaction (a failure rolls it all back).
        const only = group[0] as Pending;
        try {
          outcomes.push({ ok: true, value: await db.transaction().execute(only.work) });
        } catch (error) {
          outcomes.push({ ok: false, error });
        }
      } else {
        await db.transaction().execute(async (trx) => {
          for (const [i, pending] of group.entries()) {
            const sp = savepoint(i);
            await trx.executeQuery(sp.begin);
            try {
              const value = await pending.work(trx);
              await trx.executeQuery(sp.release);
              outcomes.push({ ok: true, value });
            } catch (error) {
              await trx.executeQuery(sp.rollback);
              await trx.executeQuery(sp.release);
              outcomes.push({ ok: false, error });
            }
          }
        });
      }
    } catch (error) {
      // BEGIN or COMMIT failed: nothing of the group is stored.
      for (const pending of group) pending.reject(error);
      return;
    }
    commits++;
    requests += group.length;
    for (const [i, pending] of group.entries()) {
      const outcome = outcomes[i] as Outcome;
      if (outcome.ok) pending.resolve(outcome.value);
      else pending.reject(outcome.error);
    }
  }

  return {
    run<T>(work: TransactionWork<T>): Promise<T> {
      if (closed) return Promise.reject(new Error('the ledger is closed'));
      return new Promise<T>((resolve, reject) => {
        queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
        schedule();
      });
    },
    async close() {
      closed = true;
      while (scheduled || flushing || queue.length > 0) {
        await (flushing ?? new Promise((r) => setImmediate(r)));
      }
    },
    stats: () => ({ commits, requests }),
    autocommitted: () => {
      commits++;
      requests++;
    },
  };
}
