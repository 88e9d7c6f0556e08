import type { UnbindBody, UnbindResult } from '@mycard/wire';
import { findBinding } from '../../bindings/binding-repository.js';
import type { PlatformContext } from '../../context.js';
import { fail } from '../../http/errors.js';
import type { Program } from '../../programs/program-repository.js';
import { unbindCard } from '../cards/unbind-card.js';

/**
 * `POST /v1/cards/unbind` (PROTOCOL.md §6): the merchant ends one of its cards. Idempotent: an
 * UNBOUND card answers success again. A binding that is not this channel's card is 3003.
 */
export async function merchantUnbind(
  ctx: PlatformContext,
  program: Program,
  input: UnbindBody,
): Promise<UnbindResult> {
  const binding = await findBinding(ctx.db, input.bindingId);
  if (!binding || binding.channel_id !== program.channelId) throw fail('3003', 'card_unknown');
  if (binding.state !== 'ACTIVE' && binding.state !== 'UNBOUND') throw fail('3003', 'card_unknown');
  const ended = await unbindCard(ctx, program, binding, 'merchant', input.reason);
  return { bindingId: ended.id, state: ended.state };
}
