import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { MerchantError } from '../errors.js';
import type { ScannedCode } from './scanned-code.js';

/**
 * Inside the entry's transaction: records that the scanned My Code paid for this operation. The
 * platform resolves a key again while it is valid (so a till may retry, PROTOCOL.md §6); the shop's
 * own record keeps one key to one sale — the same key for another order is `one_time_key_invalid`.
 * A replay of the same operation never gets here (it is answered from the ledger first). Stored as
 * SHA-256: the table holds no usable key.
 */
export async function spendOneTimeKey(
  trx: Transaction<Database>,
  readings: ScannedCode[],
  idempotencyKey: string,
  now: string,
): Promise<void> {
  const key = readings.find((r) => r.kind === 'one_time_key');
  if (!key) return;
  const keyHash = createHash('sha256').update(key.code).digest('base64url');
  const inserted = await trx
    .insertInto('spent_one_time_keys')
    .values({ key_hash: keyHash, idempotency_key: idempotencyKey, created_at: now })
    .onConflict((oc) => oc.column('key_hash').doNothing())
    .executeTakeFirst();
  if (inserted.numInsertedOrUpdatedRows === 0n) throw new MerchantError('one_time_key_invalid');
}
