import type { MerchantContext } from '../context.js';
import { MerchantError } from '../errors.js';
import type { Store } from '../stores/stores.js';
import { appendEntry } from './append-entry.js';
import { type EntryResult, entryResult } from './entry-result.js';
import { requestFingerprint } from './fingerprint.js';
import { checkAmount, checkOrderId, pointsForAmount } from './rules.js';
import { readScannedCode } from './scanned-code.js';
import { spendOneTimeKey } from './spend-one-time-key.js';

export interface AccrueInput {
  /** Membership code or 18-digit wallet one-time key. */
  code: string;
  /** Purchase amount in the till's currency unit. */
  amount: number;
  currency: string;
  orderId: string;
}

export interface LedgerResult {
  result: EntryResult;
  replayed: boolean;
}

/**
 * Accrue: earn points for a purchase (seed: "accumulate membership points"). Steps: check the
 * input → in one transaction: the member by membership code, an earlier identical request's
 * result (before a one-time key is burned), the entry under the member's lock (a one-time key is
 * resolved through the platform between two transactions, see `appendEntry`).
 */
export async function accrue(
  ctx: MerchantContext,
  input: AccrueInput,
  operatorId: number | null,
  /** The till's store, at a group's shop (PROTOCOL.md §8). */
  store?: Store,
  /** The till's operator session (cookie hash): checked again in the entry's transaction. */
  session?: string,
): Promise<LedgerResult> {
  checkOrderId(input.orderId);
  checkAmount(input.amount, ctx.config.maxAmount);
  if (input.currency !== ctx.config.currency) throw new MerchantError('currency_not_accepted');

  const readings = readScannedCode(ctx.config.codeType, input.code);
  const idempotencyKey = `accrue:${input.orderId}`;
  const fingerprint = requestFingerprint({
    op: 'accrue',
    code: readings.map((r) => r.code).join('|'),
    amount: input.amount,
    currency: input.currency,
  });
  const points = pointsForAmount(input.amount, ctx.config.earning);
  const sale = {
    kind: 'accrue' as const,
    points,
    amount: input.amount,
    currency: input.currency,
    order_id: input.orderId,
    reverses_entry_id: null,
    source: 'membership_code' as const,
    operator_id: operatorId,
    store_id: store?.storeId ?? null,
  };
  const { entry, member, replayed } = await appendEntry(ctx, {
    member: { readings, ...(store ? { store } : {}) },
    idempotencyKey,
    fingerprint,
    ...(session !== undefined ? { session } : {}),
    sale,
    decide: async (_balance, trx, source) => {
      if (source === 'one_time_key')
        await spendOneTimeKey(trx, readings, idempotencyKey, ctx.now().toISOString());
      return { ...sale, source };
    },
  });
  return { result: entryResult(entry, member), replayed };
}
