import { findBinding } from '../../bindings/binding-repository.js';
import {
  type CardView,
  channelsWithLogo,
  mutedCards,
  toCardView,
  toProgramView,
} from '../../bindings/card-view.js';
import type { PlatformContext } from '../../context.js';
import { walletParticipantsOf } from '../../groups/participant-repository.js';
import { fail } from '../../http/errors.js';
import { requireProgram, toProgram } from '../../programs/program-repository.js';
import type { BindingTable } from '../../store/schema.js';
import { unbindCard } from './unbind-card.js';

/** The user's ACTIVE cards, newest first (`GET /v1/cards`). */
export async function listCards(ctx: PlatformContext, userId: string): Promise<CardView[]> {
  const rows = await ctx.db
    .selectFrom('bindings')
    .innerJoin('programs', 'programs.channel_id', 'bindings.channel_id')
    .selectAll('bindings')
    .select([
      'programs.operator_id',
      'programs.organization_id',
      'programs.name',
      'programs.code_type',
      'programs.binding_url',
      'programs.webhook_url',
      'programs.status',
      'programs.colors',
      'programs.detail',
      'programs.created_at as program_created_at',
      'programs.updated_at as program_updated_at',
    ])
    .where('bindings.user_id', '=', userId)
    .where('bindings.state', '=', 'ACTIVE')
    .orderBy('bindings.completed_at', 'desc')
    .execute();
  const logos = await channelsWithLogo(
    ctx.db,
    rows.map((r) => r.channel_id),
  );
  const muted = await mutedCards(
    ctx.db,
    rows.map((r) => r.id),
  );
  const participants = await walletParticipantsOf(
    ctx.db,
    rows.map((r) => r.channel_id),
  );
  return rows.map((r) => {
    const program = toProgram({
      channel_id: r.channel_id,
      operator_id: r.operator_id,
      organization_id: r.organization_id,
      name: r.name,
      code_type: r.code_type,
      binding_url: r.binding_url,
      webhook_url: r.webhook_url,
      status: r.status,
      colors: r.colors,
      detail: r.detail,
      created_at: r.program_created_at,
      updated_at: r.program_updated_at,
    });
    return toCardView(
      r,
      toProgramView(program, logos.get(r.channel_id), participants.get(r.channel_id)),
      program.status === 'SUSPENDED',
      muted.has(r.id),
    );
  });
}

/** One card of the user (`GET /v1/cards/{bindingId}`): 4004 unknown or never a card, 4003 another user's. */
export async function getCard(ctx: PlatformContext, userId: string, bindingId: string): Promise<CardView> {
  const binding = await loadOwnCard(ctx, userId, bindingId);
  return viewOf(ctx, binding);
}

/** The user ends a card (`DELETE /v1/cards/{bindingId}`): UNBOUND + `card.unbound`; idempotent. */
export async function deleteCard(ctx: PlatformContext, userId: string, bindingId: string): Promise<CardView> {
  const binding = await loadOwnCard(ctx, userId, bindingId);
  const program = await requireProgram(ctx.db, binding.channel_id);
  const ended = await unbindCard(ctx, program, binding, 'user');
  return viewOf(ctx, ended);
}

/** The user's card by id: 4004 unknown or never a card, 4003 another user's. */
export async function loadOwnCard(
  ctx: PlatformContext,
  userId: string,
  bindingId: string,
): Promise<BindingTable> {
  const binding = await findBinding(ctx.db, bindingId);
  // Bindings that never became a card are not cards: the same 4004 as an unknown id.
  if (!binding || binding.completed_at === null) throw fail('4004', 'card_unknown');
  if (binding.user_id !== userId) throw fail('4003', 'card_foreign');
  return binding;
}

async function viewOf(ctx: PlatformContext, binding: BindingTable): Promise<CardView> {
  const program = await requireProgram(ctx.db, binding.channel_id);
  const logos = await channelsWithLogo(ctx.db, [program.channelId]);
  const muted = await mutedCards(ctx.db, [binding.id]);
  const participants = await walletParticipantsOf(ctx.db, [program.channelId]);
  return toCardView(
    binding,
    toProgramView(program, logos.get(program.channelId), participants.get(program.channelId)),
    program.status === 'SUSPENDED',
    muted.has(binding.id),
  );
}
