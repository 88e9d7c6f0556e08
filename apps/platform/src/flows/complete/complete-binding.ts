import { type CardView, toCardView, toProgramView } from '../../bindings/card-view.js';
import { endBinding } from '../../bindings/end-binding.js';
import type { PlatformContext } from '../../context.js';
import { hashToken } from '../../crypto/tokens.js';
import { walletParticipantsOf } from '../../groups/participant-repository.js';
import { fail } from '../../http/errors.js';
import { toProgram } from '../../programs/program-repository.js';
import { isUniqueViolation } from '../../store/dialect.js';
import { enqueueWebhook } from '../../webhooks/enqueue-webhook.js';
import { type CompletionRequest, checkCompletionToken } from './check-completion.js';

/**
 * Verify and complete binding, status SUCCESS (PROTOCOL.md §4.7), as a table of steps:
 * check the completion token (3003/3004/3002) → refuse and cancel a binding of another user or
 * another browser (3007) → refuse a second card (3006, the binding is cancelled: it can never
 * complete) → in one transaction: APPLIED → ACTIVE by a conditional update on the token hash
 * (single use) and the `card.completed` webhook in the outbox.
 */
export async function completeBinding(ctx: PlatformContext, request: CompletionRequest): Promise<CardView> {
  const { ok, binding } = await checkCompletionToken(ctx, request);
  const now = ctx.now().toISOString();
  // One read: the program, its logo's version (update time), and whether the user already holds its card.
  const row = await ctx.db
    .selectFrom('programs as p')
    .selectAll('p')
    .select((eb) => [
      eb
        .selectFrom('program_logos as l')
        .select('l.updated_at')
        .whereRef('l.channel_id', '=', 'p.channel_id')
        .as('logo_updated_at'),
      eb
        .exists(
          eb
            .selectFrom('bindings as c')
            .select('c.id')
            .whereRef('c.channel_id', '=', 'p.channel_id')
            .where('c.user_id', '=', binding.user_id)
            .where('c.state', '=', 'ACTIVE'),
        )
        .as('card_held'),
    ])
    .where('p.channel_id', '=', binding.channel_id)
    .executeTakeFirst();
  // The binding's program exists (foreign key): a miss is a broken invariant (9000).
  if (!row) throw new Error(`program ${binding.channel_id} vanished`);
  if (!ok) {
    await endBinding(ctx, {
      id: binding.id,
      to: 'CANCELLED',
      reason: 'foreign_completion',
      from: ['APPLIED'],
    });
    throw fail('3007', 'binding_foreign');
  }
  if (row.card_held) {
    await endBinding(ctx, {
      id: binding.id,
      to: 'CANCELLED',
      reason: 'card_already_held',
      from: ['APPLIED'],
    });
    throw fail('3006', 'card_already_held');
  }
  const program = toProgram(row);
  // A binding in flight of a suspended program is refused (and kept: reinstating lets it finish).
  if (program.status === 'SUSPENDED') throw fail('1102', 'program_suspended');
  try {
    await ctx.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('bindings')
        .set({ state: 'ACTIVE', completed_at: now })
        .where('id', '=', binding.id)
        .where('state', '=', 'APPLIED')
        .where('completion_hash', '=', hashToken(request.token))
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) throw fail('3004', 'completion_raced');
      await enqueueWebhook(ctx, trx, program, {
        type: 'card.completed',
        data: { bindingId: binding.id, membershipCode: binding.membership_code ?? '' },
      });
    });
  } catch (err) {
    if (isUniqueViolation(err, 'bindings_one_card_per_user')) throw fail('3006', 'card_already_held');
    throw err;
  }
  const participants = await walletParticipantsOf(ctx.db, [program.channelId]);
  return toCardView(
    { ...binding, state: 'ACTIVE', completed_at: now },
    toProgramView(program, row.logo_updated_at ?? undefined, participants.get(program.channelId)),
  );
}
