import { MyCardApiError } from '@mycard/merchant';
import type { MerchantContext } from '../context.js';
import { MerchantError } from '../errors.js';
import type { Store } from '../stores/stores.js';
import type { ScannedCode } from './scanned-code.js';

/**
 * The membership code behind a scanned 18-digit wallet one-time key ("My Code", PROTOCOL.md §5), resolved
 * through the platform — which burns the key, so callers check idempotency first. Membership
 * codes are looked up in the entry's own transaction (`appendEntry`); this is the way for
 * a scan that none of them matched. At a group's store the key is resolved through the store's own
 * participant channel (PROTOCOL.md §8).
 */
export async function resolveOnPlatform(
  ctx: MerchantContext,
  readings: ScannedCode[],
  store?: Store,
): Promise<string> {
  const key = readings.find((r) => r.kind === 'one_time_key');
  if (!key) throw new MerchantError('unknown_code');
  let membershipCode: string;
  try {
    ({ membershipCode } = await (store ?? ctx.platform).resolveOneTimeKey(key.code));
  } catch (err) {
    if (err instanceof MerchantError) throw err;
    if (err instanceof MyCardApiError && err.returnCode === '3010') {
      throw new MerchantError('one_time_key_invalid', undefined, { cause: err });
    }
    if (err instanceof MyCardApiError && err.returnCode === '3011') {
      throw new MerchantError('one_time_key_no_card', undefined, { cause: err });
    }
    throw new MerchantError('platform_unavailable', undefined, { cause: err });
  }
  return membershipCode;
}
