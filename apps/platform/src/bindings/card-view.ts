import type { Card, CardProfile, ProgramView, WalletParticipant } from '@mycard/wire';
import type { Kysely } from 'kysely';
import { logoPath } from '../programs/program-logo.js';
import type { Program } from '../programs/program-repository.js';
import type { BindingTable, Database } from '../store/schema.js';

/** The wallet's card object (the `Card` wire shape; docs/protocol-notes.md, "Card object"). */
export type CardView = Card;

/**
 * The relative URL of a program's logo (served by routes/public/logo.ts), versioned by the logo's
 * update time (`logoUpdatedAt`, from {@link channelsWithLogo}); null without a logo.
 */
export function logoUrlOf(channelId: string, logoUpdatedAt: string | undefined): string | null {
  return logoUpdatedAt === undefined ? null : logoPath(channelId, logoUpdatedAt);
}

/** `participants`: a group program's ACTIVE participants (PROTOCOL.md §8); absent for other programs. */
export function toProgramView(
  program: Program,
  logoUpdatedAt: string | undefined,
  participants?: WalletParticipant[],
): ProgramView {
  return {
    channelId: program.channelId,
    name: program.name,
    codeType: program.codeType,
    logoUrl: logoUrlOf(program.channelId, logoUpdatedAt),
    colors: program.colors,
    detail: program.detail,
    ...(participants ? { participants } : {}),
  };
}

/**
 * `paused`: the program is suspended (issue 14). `muted`: the holder muted the card's messages
 * (PROTOCOL.md §11; a card just completed never is: its id is new).
 */
export function toCardView(
  binding: BindingTable,
  program: ProgramView,
  paused = false,
  muted = false,
): CardView {
  return {
    bindingId: binding.id,
    channelId: binding.channel_id,
    state: binding.state,
    membershipCode: binding.membership_code ?? '',
    boundAt: binding.completed_at ?? binding.applied_at ?? binding.created_at,
    profile: binding.profile ? (JSON.parse(binding.profile) as CardProfile) : null,
    program,
    paused,
    muted,
  };
}

/** The binding ids among `bindingIds` whose holder muted their messages (PROTOCOL.md §11). */
export async function mutedCards(db: Kysely<Database>, bindingIds: string[]): Promise<Set<string>> {
  if (bindingIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('card_mutes')
    .select('binding_id')
    .where('binding_id', 'in', [...new Set(bindingIds)])
    .execute();
  return new Set(rows.map((r) => r.binding_id));
}

/** The channel ids among `channelIds` that have a logo, each with the logo's update time (its version). */
export async function channelsWithLogo(
  db: Kysely<Database>,
  channelIds: string[],
): Promise<Map<string, string>> {
  if (channelIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('program_logos')
    .select(['channel_id', 'updated_at'])
    .where('channel_id', 'in', [...new Set(channelIds)])
    .execute();
  return new Map(rows.map((r) => [r.channel_id, r.updated_at]));
}
