import type { MerchantContext } from '../context.js';
import { MerchantError } from '../errors.js';
import type { Store } from '../stores/stores.js';
import type { LedgerResult } from './accrue.js';
import { appendEntry } from './append-entry.js';
import { entryResult } from './entry-result.js';
import { requestFingerprint } from './fingerprint.js';
import { checkOrderId, checkPoints } from './rules.js';
import { readScannedCode } from './scanned-code.js';
import { spendOneTimeKey } from './spend-one-time-key.js';

export interface RedeemInput {
  /** Membership code or 18-digit wallet one-time key. */
  code: string;
  points: number;
  orderId: string;
}

/** Redeem: spend points on an order; refused with `insufficient_points` when the balance is short. */
export async function redeem(
  ctx: MerchantContext,
  input: RedeemInput,
  operatorId: number | null,
  /** The till's store, at a group's shop (PROTOCOL.md §8). */
  store?: Store,
): Promise<LedgerResult> {
  checkOrderId(input.orderId);
  checkPoints(input.points, ctx.config.maxPoints);

  const readings = readScannedCode(ctx.config.codeType, input.code);
  const idempotencyKey = `redeem:${input.orderId}`;
  const fingerprint = requestFingerprint({
    op: 'redeem',
    code: readings.map((r) => r.code).join('|'),
    points: input.points,
  });
  const { entry, member, replayed } = await appendEntry(ctx, {
    member: { readings, ...(store ? { store } : {}) },
    idempotencyKey,
    fingerprint,
    decide: async (balance, trx, source) => {
      if (balance.points < input.points) throw new MerchantError('insufficient_points');
      if (source === 'one_time_key')
        await spendOneTimeKey(trx, readings, idempotencyKey, ctx.now().toISOString());
      return {
        kind: 'redeem',
        points: -input.points,
        amount: null,
        currency: null,
        order_id: input.orderId,
        reverses_entry_id: null,
        source,
        operator_id: operatorId,
        store_id: store?.storeId ?? null,
      };
    },
  });
  return { result: entryResult(entry, member), replayed };
}
