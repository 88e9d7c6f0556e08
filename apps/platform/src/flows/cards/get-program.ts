import type { ProgramListing } from '@mycard/wire';
import { findActiveCard } from '../../bindings/binding-repository.js';
import { channelsWithLogo, toProgramView } from '../../bindings/card-view.js';
import type { PlatformContext } from '../../context.js';
import { walletParticipantsOf } from '../../groups/participant-repository.js';
import { fail } from '../../http/errors.js';
import { getProgram, isProgramAvailableTo } from '../../programs/program-repository.js';

/**
 * One program the user can add (`GET /v1/programs/{channelId}`), in the shape of the items of
 * `GET /v1/programs`: load it → available to this user (LIVE, or DRAFT and the user is a tester)
 * → the view with `cardHeld`. Unknown and unavailable are the same 4004, so a non-tester cannot
 * tell a DRAFT program from a channel id that does not exist.
 */
export async function getProgramListing(
  ctx: PlatformContext,
  userId: string,
  channelId: string,
): Promise<ProgramListing> {
  const program = await getProgram(ctx.db, channelId);
  if (!program || !(await isProgramAvailableTo(ctx.db, program, userId))) {
    throw fail('4004', 'program_unknown');
  }
  const logos = await channelsWithLogo(ctx.db, [channelId]);
  const held = await findActiveCard(ctx.db, channelId, userId);
  const participants = await walletParticipantsOf(ctx.db, [channelId]);
  return {
    ...toProgramView(program, logos.get(channelId), participants.get(channelId)),
    cardHeld: held !== undefined,
  };
}
