import { MyCardError } from '@mycard/protocol';
import type { Transaction } from 'kysely';
import type { PlatformContext } from '../context.js';
import { fail } from '../http/errors.js';
import { compiledOnce, slot } from '../store/compiled-query.js';
import { isUniqueViolation } from '../store/dialect.js';
import type { Database } from '../store/schema.js';

type NonceContext = Pick<PlatformContext, 'db' | 'now'>;
type Db = NonceContext['db'] | Transaction<Database>;

/**
 * Records a merchant nonce once per channel (PROTOCOL.md §3): the primary key (channel_id, nonce)
 * makes the database itself refuse a replay, even between concurrent requests (1108).
 */
export async function recordNonce(ctx: NonceContext, channelId: string, nonce: string): Promise<void> {
  await insertNonce(ctx.db, channelId, nonce, ctx.now().toISOString());
}

/** channel id, nonce, time */
const nonceInsert = compiledOnce<unknown, [string, string, string]>((db) =>
  db.insertInto('merchant_nonces').values({ channel_id: slot(0), nonce: slot(1), created_at: slot(2) }),
);

async function insertNonce(db: Db, channelId: string, nonce: string, at: string): Promise<void> {
  try {
    await db.executeQuery(nonceInsert(db, [channelId, nonce, at]));
  } catch (err) {
    if (isUniqueViolation(err, 'merchant_nonces_pk')) throw fail('1108', 'nonce_replayed');
    throw err;
  }
}

/** Runs a step's work in one transaction (`PendingNonce.transaction`, or a plain one). */
export type StepTransaction = <T>(work: (trx: Transaction<Database>) => Promise<T>) => Promise<T>;

/** The step's transaction: with the call's pending nonce stored in it when there is one. */
export function stepTransaction(ctx: NonceContext, nonce: PendingNonce | undefined): StepTransaction {
  return nonce ? (work) => nonce.transaction(work) : (work) => ctx.db.transaction().execute(work);
}

/**
 * The nonce of a merchant call that passed the signature check, on a route that stores it in its
 * step's own transaction (route config `nonceInStep`): one durable commit for the nonce and the
 * step's writes instead of two. Whatever the call's outcome, the nonce ends up stored once or the
 * call is refused with 1108 — as when the hook stored it first:
 * - the step's transaction inserts it first (`spendIn`); a replay fails there (1108) and the
 *   transaction, so nothing of the step, is kept;
 * - a call refused or failed after the hook (schema 2101, a refusal or an error of the step, whose
 *   transaction then rolled back) stores it on its own before the refusal is answered (`settle`,
 *   from the merchant scope's error handler); if another call with the same nonce stored it in the
 *   meantime, the answer is 1108.
 */
export class PendingNonce {
  private state: 'pending' | 'in-transaction' | 'spent' | 'replayed' = 'pending';
  private readonly at: string;

  constructor(
    private readonly ctx: NonceContext,
    readonly channelId: string,
    readonly nonce: string,
  ) {
    this.at = ctx.now().toISOString();
  }

  /** True once the nonce is stored (committed), or known to be a replay. */
  get settled(): boolean {
    return this.state === 'spent' || this.state === 'replayed';
  }

  /**
   * Runs `work` in one transaction that first stores the nonce (1108 on a replay, and nothing of
   * `work` is stored). After the nonce is stored, a further call is a plain transaction (a step
   * that retries a lost race).
   */
  async transaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    if (this.state !== 'pending') return this.ctx.db.transaction().execute(work);
    try {
      const result = await this.ctx.db.transaction().execute(async (trx) => {
        this.state = 'in-transaction';
        await insertNonce(trx, this.channelId, this.nonce, this.at);
        return work(trx);
      });
      this.state = 'spent';
      return result;
    } catch (err) {
      // Rolled back: the nonce is stored by `settle`, or was a replay.
      this.state = isReplay(err) ? 'replayed' : 'pending';
      throw err;
    }
  }

  /** True while nothing has stored the nonce nor tried to. */
  get pending(): boolean {
    return this.state === 'pending';
  }

  /**
   * PostgreSQL: runs one statement that also inserts the nonce (a data-modifying `WITH`, given the
   * channel id, nonce and time to insert) on its own: one round trip and one commit for the call.
   * A replay fails on the primary key (1108) and nothing of the statement is kept.
   */
  async inOneStatement<T>(run: (row: [string, string, string]) => Promise<T>): Promise<T> {
    if (this.state !== 'pending') throw new Error('the nonce was already used');
    try {
      const result = await run([this.channelId, this.nonce, this.at]);
      this.state = 'spent';
      return result;
    } catch (err) {
      if (!isUniqueViolation(err, 'merchant_nonces_pk')) throw err;
      this.state = 'replayed';
      throw fail('1108', 'nonce_replayed');
    }
  }

  /**
   * For a call answered with an error: stores the nonce unless a committed step already did.
   * Resolves with the 1108 refusal to answer instead when the nonce was used meanwhile.
   */
  async settle(): Promise<Error | undefined> {
    if (this.state === 'replayed') return fail('1108', 'nonce_replayed');
    if (this.state === 'spent') return undefined;
    try {
      await insertNonce(this.ctx.db, this.channelId, this.nonce, this.at);
      this.state = 'spent';
      return undefined;
    } catch (err) {
      if (!isReplay(err)) throw err;
      this.state = 'replayed';
      return err as Error;
    }
  }
}

function isReplay(err: unknown): boolean {
  return err instanceof MyCardError && err.returnCode === '1108';
}

/** Deletes nonces older than the retention (≥ 7 days, config.nonceRetention). */
export async function purgeExpiredNonces(ctx: PlatformContext): Promise<number> {
  const cutoff = new Date(ctx.now().getTime() - ctx.config.nonceRetention * 1000).toISOString();
  const result = await ctx.db
    .deleteFrom('merchant_nonces')
    .where('created_at', '<', cutoff)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
