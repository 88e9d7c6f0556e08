import { maskMembershipCode } from '@mycard/protocol';
import type { ProgramView } from '@mycard/wire';
import { channelsWithLogo, toProgramView } from '../../bindings/card-view.js';
import type { PlatformContext } from '../../context.js';
import { fail } from '../../http/errors.js';
import { requireProgram } from '../../programs/program-repository.js';
import { type CompletionRequest, checkCompletionToken } from './check-completion.js';

export interface BindingPreview {
  bindingId: string;
  program: Omit<ProgramView, 'detail'>;
  maskedMembershipCode: string;
  expiresAt: string;
}

/**
 * What the wallet shows before the user confirms (PROTOCOL.md §4.7: "the wallet first shows the
 * merchant and the masked membership code"). Same checks as completion; consumes nothing and
 * changes nothing (a mismatch is 3007 without cancelling: only a completion attempt cancels).
 */
export async function previewBinding(
  ctx: PlatformContext,
  request: CompletionRequest,
): Promise<BindingPreview> {
  const { ok, binding, expiresAt } = await checkCompletionToken(ctx, request);
  if (!ok) throw fail('3007', 'binding_foreign');
  const program = await requireProgram(ctx.db, binding.channel_id);
  if (program.status === 'SUSPENDED') throw fail('1102', 'program_suspended');
  const logos = await channelsWithLogo(ctx.db, [program.channelId]);
  const { detail: _detail, ...view } = toProgramView(program, logos.get(program.channelId));
  return {
    bindingId: binding.id,
    program: view,
    maskedMembershipCode: maskMembershipCode(binding.membership_code ?? ''),
    expiresAt,
  };
}
