import type { ProgramListing } from '@mycard/wire';
import { sql } from 'kysely';
import { channelsWithLogo, toProgramView } from '../../bindings/card-view.js';
import type { PlatformContext } from '../../context.js';
import { toProgram } from '../../programs/program-repository.js';

/** At most this many programs per answer; the wallet narrows with `query`. */
const LIMIT = 100;

/**
 * Programs the user can add (`GET /v1/programs?query=`): LIVE ones and DRAFT / IN_REVIEW ones
 * where the user is a tester (never SUSPENDED ones), optionally filtered by a case-insensitive substring of the name, by name.
 */
export async function listPrograms(
  ctx: PlatformContext,
  userId: string,
  query = '',
): Promise<ProgramListing[]> {
  let q = ctx.db
    .selectFrom('programs')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('status', '=', 'LIVE'),
        eb.and([
          eb('status', 'in', ['DRAFT', 'IN_REVIEW']),
          eb.exists(
            eb
              .selectFrom('program_testers')
              .select('program_testers.user_id')
              .whereRef('program_testers.channel_id', '=', 'programs.channel_id')
              .where('program_testers.user_id', '=', userId),
          ),
        ]),
      ]),
    );
  if (query) {
    const pattern = `%${query.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    // Both dialects: lower() for case-insensitivity, an explicit ESCAPE so % and _ match themselves.
    q = q.where(sql<boolean>`lower(name) like ${pattern} escape '\\'`);
  }
  const rows = await q.orderBy('name').limit(LIMIT).execute();
  const channelIds = rows.map((r) => r.channel_id);
  const logos = await channelsWithLogo(ctx.db, channelIds);
  const held = new Set(
    channelIds.length === 0
      ? []
      : (
          await ctx.db
            .selectFrom('bindings')
            .select('channel_id')
            .where('user_id', '=', userId)
            .where('state', '=', 'ACTIVE')
            .where('channel_id', 'in', channelIds)
            .execute()
        ).map((r) => r.channel_id),
  );
  return rows.map((r) => ({
    ...toProgramView(toProgram(r), logos.get(r.channel_id)),
    cardHeld: held.has(r.channel_id),
  }));
}
