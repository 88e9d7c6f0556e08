import type { Kysely } from 'kysely';
import { type CardView, toCardView, toProgramView } from '../../bindings/card-view.js';
import { endBinding } from '../../bindings/end-binding.js';
import type { PlatformContext } from '../../context.js';
import { hashToken } from '../../crypto/tokens.js';
import { walletParticipantsOf } from '../../groups/participant-repository.js';
import { fail } from '../../http/errors.js';
import { type Program, toProgram } from '../../programs/program-repository.js';
import { compiledOnce, slot } from '../../store/compiled-query.js';
import { isUniqueViolation } from '../../store/dialect.js';
import type { BindingTable, Database, ProgramTable } from '../../store/schema.js';
import { enqueueWebhook } from '../../webhooks/enqueue-webhook.js';
import { type CompletionRequest, checkCompletionToken } from './check-completion.js';

/**
 * Verify and complete binding, status SUCCESS (PROTOCOL.md §4.7), as a table of steps:
 * check the completion token (3003/3004/3002) → refuse and cancel a binding of another user or
 * another browser (3007) → refuse a second card (3006, the binding is cancelled: it can never
 * complete) → a binding of a suspended program waits (1102) → in one transaction: APPLIED → ACTIVE
 * by a conditional update on the token hash (single use) and the `card.completed` webhook in the
 * outbox.
 *
 * The usual case takes two statements: the program of the channel the wallet names, then one
 * conditional update that holds every check of the steps at once. Only when that update changes
 * nothing are the steps taken one by one, to say which check failed (and cancel where they say so).
 */
export async function completeBinding(ctx: PlatformContext, request: CompletionRequest): Promise<CardView> {
  return (await completeAtOnce(ctx, request)) ?? (await completeStepByStep(ctx, request));
}

/** Every check in one conditional update; undefined when it changed nothing. */
async function completeAtOnce(
  ctx: PlatformContext,
  request: CompletionRequest,
): Promise<CardView | undefined> {
  const { verifier } = request;
  if (verifier === undefined) return undefined;
  const [row] = (await ctx.db.executeQuery(programForCard(ctx.db, [request.channelId, request.userId]))).rows;
  if (!row || row.card_held) return undefined;
  const program = toProgram(row);
  if (program.status === 'SUSPENDED') return undefined;
  const now = ctx.now().toISOString();
  const checks: CompletionChecks = [
    hashToken(request.token),
    request.channelId,
    request.userId,
    hashToken(verifier),
    now,
  ];
  const activate = async (db: Kysely<Database>) =>
    (await db.executeQuery(completeAtOnceUpdate(db, checks))).rows[0];
  const binding = await activated(async () => {
    // The webhook goes with the change, in its transaction; without a webhook URL there is none.
    if (!program.webhookUrl) return activate(ctx.db);
    return ctx.db.transaction().execute(async (trx) => {
      const done = await activate(trx);
      if (done) await cardCompleted(ctx, trx, program, done);
      return done;
    });
  });
  if (!binding) return undefined;
  return cardView(ctx, binding, program, row);
}

/** The steps one by one, each with its refusal. */
async function completeStepByStep(ctx: PlatformContext, request: CompletionRequest): Promise<CardView> {
  const { ok, binding } = await checkCompletionToken(ctx, request);
  const now = ctx.now().toISOString();
  const [row] = (await ctx.db.executeQuery(programForCard(ctx.db, [binding.channel_id, binding.user_id])))
    .rows;
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
  await activated(() =>
    ctx.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('bindings')
        .set({ state: 'ACTIVE', completed_at: now })
        .where('id', '=', binding.id)
        .where('state', '=', 'APPLIED')
        .where('completion_hash', '=', hashToken(request.token))
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) throw fail('3004', 'completion_raced');
      await cardCompleted(ctx, trx, program, binding);
    }),
  );
  return cardView(ctx, { ...binding, state: 'ACTIVE', completed_at: now }, program, row);
}

/**
 * One read: the program, its logo's version (update time), whether the user already holds its
 * card, and whether it is a group (its participants go into the card view, PROTOCOL.md §8).
 * Channel id, user id.
 */
const programForCard = compiledOnce<
  ProgramTable & { logo_updated_at: string | null; card_held: unknown; is_group: unknown },
  [string, string]
>((db) =>
  db
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
            .where('c.user_id', '=', slot<string>(1))
            .where('c.state', '=', 'ACTIVE'),
        )
        .as('card_held'),
      eb
        .exists(
          eb
            .selectFrom('group_programs as g')
            .select('g.channel_id')
            .whereRef('g.channel_id', '=', 'p.channel_id'),
        )
        .as('is_group'),
    ])
    .where('p.channel_id', '=', slot<string>(0)),
);

/** Completion token hash, channel id, user id, browser (reservation verifier) hash, now. */
type CompletionChecks = [string, string, string, string, string];

/** APPLIED → ACTIVE when every check of the steps holds: the token, the user, the browser, the time. */
const completeAtOnceUpdate = compiledOnce<BindingTable, CompletionChecks>((db) =>
  db
    .updateTable('bindings')
    .set({ state: 'ACTIVE', completed_at: slot(4) })
    .where('completion_hash', '=', slot<string>(0))
    .where('state', '=', 'APPLIED')
    .where('channel_id', '=', slot<string>(1))
    .where('user_id', '=', slot<string>(2))
    .where('browser_hash', '=', slot<string>(3))
    .where('completion_expires_at', '>', slot<string>(4))
    .returningAll(),
);

/** The update to ACTIVE, with a second card of the user found by the unique index as 3006. */
async function activated<T>(update: () => Promise<T>): Promise<T> {
  try {
    return await update();
  } catch (err) {
    if (isUniqueViolation(err, 'bindings_one_card_per_user')) throw fail('3006', 'card_already_held');
    throw err;
  }
}

function cardCompleted(
  ctx: PlatformContext,
  trx: Parameters<typeof enqueueWebhook>[1],
  program: Program,
  binding: BindingTable,
): Promise<void> {
  return enqueueWebhook(ctx, trx, program, {
    type: 'card.completed',
    data: { bindingId: binding.id, membershipCode: binding.membership_code ?? '' },
  });
}

async function cardView(
  ctx: PlatformContext,
  binding: BindingTable,
  program: Program,
  row: { logo_updated_at: string | null; is_group: unknown },
): Promise<CardView> {
  const participants = row.is_group
    ? (await walletParticipantsOf(ctx.db, [program.channelId])).get(program.channelId)
    : undefined;
  return toCardView(binding, toProgramView(program, row.logo_updated_at ?? undefined, participants));
}
