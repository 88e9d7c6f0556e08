import { MyCardApiError } from '@mycard/merchant';
import type { MerchantContext } from '../context.js';
import type { Member } from '../db/schema.js';
import { MerchantError } from '../errors.js';
import type { ScannedCode } from './scanned-code.js';

export interface ResolvedMember {
  member: Member;
  source: 'membership_code' | 'one_time_key';
}

/**
 * Finds the member behind what the till scanned ({@link readScannedCode}'s readings, in order): a
 * membership code, or an 18-digit wallet one-time key ("My Code", PROTOCOL.md §5) resolved through
 * the platform — which burns the key, so callers check idempotency first.
 */
export async function resolveMember(ctx: MerchantContext, readings: ScannedCode[]): Promise<ResolvedMember> {
  for (const reading of readings) {
    if (reading.kind !== 'membership_code') continue;
    const member = await findByCode(ctx, reading.code);
    if (member) return { member, source: 'membership_code' };
  }
  const key = readings.find((r) => r.kind === 'one_time_key');
  if (!key) throw new MerchantError('unknown_code');
  let membershipCode: string;
  try {
    ({ membershipCode } = await ctx.platform.resolveOneTimeKey(key.code));
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
  const member = await findByCode(ctx, membershipCode);
  if (!member) throw new MerchantError('unknown_code');
  return { member, source: 'one_time_key' };
}

function findByCode(ctx: MerchantContext, code: string): Promise<Member | undefined> {
  return ctx.db.selectFrom('members').selectAll().where('membership_code', '=', code).executeTakeFirst();
}
