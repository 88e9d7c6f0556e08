import { buildBindingClaims, signBindingToken } from '@mycard/protocol';
import { type Kysely, sql } from 'kysely';
import { findActiveCard } from '../../bindings/binding-repository.js';
import {
  bindingRedirectUrl,
  newBindingId,
  newBindingNonce,
  pairwiseSubject,
  walletCallbackUrl,
} from '../../bindings/binding-urls.js';
import { checkBundleOffers, recordBundleReservation } from '../../bundles/bundle-repository.js';
import type { PlatformContext } from '../../context.js';
import { nodeCryptoProvider } from '../../crypto/node-crypto-provider.js';
import { hashToken } from '../../crypto/tokens.js';
import { fail } from '../../http/errors.js';
import { getProgram, isProgramAvailableTo, type Program } from '../../programs/program-repository.js';
import { compiledOnce, slot } from '../../store/compiled-query.js';
import type { BindingTable, Database } from '../../store/schema.js';

export interface ReserveInput {
  userId: string;
  channelId: string;
  /** The campaign bundle the card is added from (PROTOCOL.md §9), counted in its figures. */
  bundleId?: string;
  /** The browser's reservation verifier (the cookie value). */
  verifier: string;
}

export interface ReserveResult {
  bindingId: string;
  redirectUrl: string;
  expiresAt: string;
}

/**
 * Binding Reserve (PROTOCOL.md §4.1–§4.3), as a table of steps:
 * load the program (1101) → check it is available to the user (1102) → refuse a second card
 * (3006) → when a bundle is named, check it offers this program to this user (4004) → sign the
 * binding token → store the RESERVED binding with the browser's verifier hash (and the bundle's
 * reservation record, in the same transaction). The store is one INSERT … SELECT that writes
 * nothing when the user holds the card (3006): the check and the write cannot drift apart.
 */
export async function reserveBinding(ctx: PlatformContext, input: ReserveInput): Promise<ReserveResult> {
  const program = await loadProgram(ctx, input.channelId);
  await checkAvailable(ctx, program, input.userId);
  if (input.bundleId) {
    // 3006 before 4004, as the steps say (without a bundle the INSERT itself checks the card).
    await checkNoCardHeld(ctx, program, input.userId);
    await checkBundleOffers(ctx, input.bundleId, program.channelId, input.userId);
  }
  return createReservation(ctx, program, input);
}

async function loadProgram(ctx: PlatformContext, channelId: string): Promise<Program> {
  const program = await getProgram(ctx.db, channelId);
  if (!program) throw fail('1101', 'channel_unknown');
  return program;
}

async function checkAvailable(ctx: PlatformContext, program: Program, userId: string): Promise<void> {
  if (!(await isProgramAvailableTo(ctx.db, program, userId))) throw fail('1102', 'program_not_available');
}

async function checkNoCardHeld(ctx: PlatformContext, program: Program, userId: string): Promise<void> {
  if (await findActiveCard(ctx.db, program.channelId, userId)) throw fail('3006', 'card_already_held');
}

async function createReservation(
  ctx: PlatformContext,
  program: Program,
  input: ReserveInput,
): Promise<ReserveResult> {
  const now = ctx.now();
  const bindingId = newBindingId();
  const nonce = newBindingNonce();
  const callback = walletCallbackUrl(ctx.config);
  const claims = buildBindingClaims({
    issuer: ctx.config.publicUrl,
    channelId: program.channelId,
    subject: pairwiseSubject(ctx.pairwiseKey, program.channelId, input.userId),
    bindingId,
    nonce,
    callback,
    now,
    lifetimeSeconds: ctx.config.bindingTtl,
  });
  const token = await signBindingToken(claims, ctx.keys.current(), { crypto: nodeCryptoProvider });
  const expiresAt = new Date(claims.exp * 1000).toISOString();
  const row: BindingTable = {
    id: bindingId,
    channel_id: program.channelId,
    user_id: input.userId,
    state: 'RESERVED',
    nonce,
    callback,
    browser_hash: hashToken(input.verifier),
    membership_code: null,
    completion_hash: null,
    completion_expires_at: null,
    profile: null,
    profile_version: null,
    created_at: now.toISOString(),
    expires_at: expiresAt,
    applied_at: null,
    completed_at: null,
    ended_at: null,
    end_reason: null,
  };
  const { bundleId } = input;
  if (bundleId) {
    await ctx.db.transaction().execute(async (trx) => {
      await insertUnlessCardHeld(trx, row);
      await recordBundleReservation(trx, {
        bindingId,
        bundleId,
        channelId: program.channelId,
        userId: input.userId,
        at: row.created_at,
      });
    });
  } else {
    await insertUnlessCardHeld(ctx.db, row);
  }
  return {
    bindingId,
    redirectUrl: bindingRedirectUrl(program.bindingUrl, { nonce, callback, token }),
    expiresAt,
  };
}

/** Every column of a new reservation (the INSERT below names them all). */
const COLUMNS: readonly (keyof BindingTable)[] = [
  'id',
  'channel_id',
  'user_id',
  'state',
  'nonce',
  'callback',
  'browser_hash',
  'membership_code',
  'completion_hash',
  'completion_expires_at',
  'profile',
  'profile_version',
  'created_at',
  'expires_at',
  'applied_at',
  'completed_at',
  'ended_at',
  'end_reason',
];

/**
 * The reservation unless the user already holds the program's card, in one statement (built once).
 * Arguments: the row's values in COLUMNS order (profile_version is always null).
 */
const reservationInsert = compiledOnce<unknown, unknown[]>((db) =>
  db
    .insertInto('bindings')
    .columns([...COLUMNS])
    .expression(
      db
        .selectNoFrom(
          COLUMNS.map((c, i) =>
            // Typed: PostgreSQL reads an untyped parameter in a SELECT list as text.
            c === 'profile_version' ? sql<null>`cast(null as bigint)`.as(c) : sql`${slot(i)}`.as(c),
          ),
        )
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('bindings')
                .select('id')
                .where('channel_id', '=', slot<string>(COLUMNS.indexOf('channel_id')))
                .where('user_id', '=', slot<string>(COLUMNS.indexOf('user_id')))
                .where('state', '=', 'ACTIVE'),
            ),
          ),
        ),
    ),
);

/** Stores the reservation unless the user already holds the program's card (3006). */
async function insertUnlessCardHeld(db: Kysely<Database>, row: BindingTable): Promise<void> {
  const inserted = await db.executeQuery(
    reservationInsert(
      db,
      COLUMNS.map((c) => row[c]),
    ),
  );
  if (Number(inserted.numAffectedRows ?? 0) !== 1) throw fail('3006', 'card_already_held');
}
