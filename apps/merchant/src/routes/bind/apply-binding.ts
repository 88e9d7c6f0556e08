import { MyCardApiError } from '@mycard/merchant';
import type { MerchantContext } from '../../context.js';
import type { Member } from '../../db/schema.js';
import { beginLink, setLinkState } from '../../links/begin-link.js';
import type { MessageKey } from '../../web/messages/en.js';
import { type BindContext, isUnderCallback } from './bind-context.js';

export type ApplyOutcome =
  | { ok: true; callbackUrl: string }
  | { ok: false; expired: true }
  | { ok: false; expired: false; reason: MessageKey; status: number };

/**
 * Apply (PROTOCOL.md §4 step 5): record the link and the profile under the member's balance lock,
 * send the membership code with that profile, and accept only a callbackUrl that points at the
 * verified callback. Every failure is mapped to a sentence the member can act on.
 */
export async function applyBinding(
  ctx: MerchantContext,
  bind: BindContext,
  member: Member,
): Promise<ApplyOutcome> {
  if (bind.exp <= ctx.now().getTime()) return { ok: false, expired: true };
  const profile = await beginLink(ctx, member, bind);
  if (!profile) return { ok: false, expired: false, reason: 'apply_state', status: 409 };
  try {
    const result = await ctx.platform.apply({
      token: bind.token,
      membershipCode: member.membership_code,
      profile,
    });
    if (!isUnderCallback(bind, result.callbackUrl)) {
      // Never redirect anywhere the verified claims do not name.
      await setLinkState(ctx, bind.bindingId, 'failed', null, member.id);
      return { ok: false, expired: false, reason: 'apply_refused', status: 502 };
    }
    await setLinkState(ctx, bind.bindingId, 'applied', null, member.id);
    ctx.nudgeSync();
    return { ok: true, callbackUrl: result.callbackUrl };
  } catch (err) {
    await setLinkState(ctx, bind.bindingId, 'failed', null, member.id);
    if (!(err instanceof MyCardApiError))
      return { ok: false, expired: false, reason: 'apply_unavailable', status: 502 };
    switch (err.returnCode) {
      case '3002':
        return { ok: false, expired: true };
      case '3005':
        return { ok: false, expired: false, reason: 'apply_taken', status: 409 };
      case '3006':
        return { ok: false, expired: false, reason: 'apply_held', status: 409 };
      case '3003':
      case '3004':
        return { ok: false, expired: false, reason: 'apply_state', status: 409 };
      case '9000':
      case '4029':
        return { ok: false, expired: false, reason: 'apply_unavailable', status: 502 };
      default:
        return { ok: false, expired: false, reason: 'apply_refused', status: 400 };
    }
  }
}
