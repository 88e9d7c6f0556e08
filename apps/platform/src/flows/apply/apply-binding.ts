import {
  type BindingTokenClaims,
  isValidMembershipCode,
  mergeCardProfile,
  validateMembershipCode,
  verifyBindingToken,
} from '@mycard/protocol';
import type { ApplyBody, ApplyResult } from '@mycard/wire';
import type { QueryCreator, Transaction } from 'kysely';
import { findBinding } from '../../bindings/binding-repository.js';
import { successCallbackUrl } from '../../bindings/binding-urls.js';
import { endBindingIn } from '../../bindings/end-binding.js';
import type { PlatformContext } from '../../context.js';
import { nodeCryptoProvider } from '../../crypto/node-crypto-provider.js';
import { hashToken, randomToken } from '../../crypto/tokens.js';
import { fail } from '../../http/errors.js';
import { stateReason } from '../../http/refusal-reasons.js';
import { type PendingNonce, stepTransaction } from '../../merchant-auth/nonce-store.js';
import type { Program } from '../../programs/program-repository.js';
import { compiledOnce, slot } from '../../store/compiled-query.js';
import { isUniqueViolation } from '../../store/dialect.js';
import type { BindingTable, Database } from '../../store/schema.js';

/**
 * Apply API (PROTOCOL.md §4.5), as a table of steps:
 * verify the binding token with the platform's own keys (3001/3002; `aud` must be the
 * authenticated channel) → load the binding (3003) → check the code against the code type (2103)
 * → in one transaction: decide by state (same code again re-issues; 3004 otherwise), refuse a
 * second card (3006), release stale holders of the code, and move RESERVED → APPLIED with a
 * conditional update so that of parallel applies exactly one wins (3005 on a taken code). The
 * usual case — a well-formed code, a live RESERVED binding, no card and no other holder — is one
 * conditional update that holds all of these checks; only when it changes nothing are they taken
 * one by one, to say which failed.
 */
export async function applyBinding(
  ctx: PlatformContext,
  program: Program,
  input: ApplyBody,
  nonce?: PendingNonce,
): Promise<ApplyResult> {
  const claims = await verifyOwnBindingToken(ctx, program.channelId, input.token);
  try {
    return (
      (await applyWithNonceAtOnce(ctx, program, claims.jti, input, nonce)) ??
      (await applyInTransactions(ctx, program, claims.jti, input, nonce))
    );
  } catch (err) {
    if (isUniqueViolation(err, 'bindings_one_code_per_program')) throw fail('3005', 'membership_code_taken');
    throw err;
  }
}

/**
 * PostgreSQL: the usual case and the call's nonce in one statement on its own (one round trip);
 * undefined when it changed nothing but the nonce (the steps then say why, in their transaction).
 */
async function applyWithNonceAtOnce(
  ctx: PlatformContext,
  program: Program,
  bindingId: string,
  input: ApplyBody,
  nonce: PendingNonce | undefined,
): Promise<ApplyResult | undefined> {
  if (!nonce?.pending || ctx.dialect !== 'postgres') return undefined;
  const completionToken = randomToken();
  const values = atOnceValues(ctx, program, bindingId, input, completionToken);
  if (!values) return undefined;
  const { rows } = await nonce.inOneStatement((row) =>
    ctx.db.executeQuery(applyAtOnceWithNonce(ctx.db, [...values, ...row])),
  );
  return rows[0] && applyResult(program, rows[0], completionToken);
}

async function applyInTransactions(
  ctx: PlatformContext,
  program: Program,
  bindingId: string,
  input: ApplyBody,
  nonce: PendingNonce | undefined,
): Promise<ApplyResult> {
  // The first attempt's transaction also stores the call's nonce (unless it is stored already).
  const transaction = stepTransaction(ctx, nonce);
  // A lost race re-reads the binding once: the winner's APPLIED state then decides (same code or 3004).
  for (let attempt = 0; attempt < 3; attempt++) {
    const completionToken = randomToken();
    const outcome = await transaction((trx) =>
      applyInTransaction(ctx, trx, program, bindingId, input, completionToken),
    );
    if (outcome !== 'raced') return applyResult(program, outcome, completionToken);
  }
  throw fail('3004', 'binding_contended');
}

function applyResult(
  program: Program,
  binding: Pick<BindingTable, 'id' | 'callback'>,
  completionToken: string,
): ApplyResult {
  return {
    bindingId: binding.id,
    completionToken,
    callbackUrl: successCallbackUrl(binding.callback, completionToken, program.channelId),
  };
}

/** Verifies a binding token the platform issued: our keys, our issuer, the caller's channel. */
export async function verifyOwnBindingToken(
  ctx: PlatformContext,
  channelId: string,
  token: string,
  now: () => Date = ctx.now,
): Promise<BindingTokenClaims> {
  return verifyBindingToken(token, {
    keys: async (kid) => ctx.keys.publicKey(kid),
    issuer: ctx.config.publicUrl,
    audience: channelId,
    now,
    // The platform checks its own tokens by its own clock: no skew.
    maxSkewSeconds: 0,
    crypto: nodeCryptoProvider,
  });
}

/**
 * The values of the one-statement apply, or undefined when the code is not well-formed (the steps
 * then say 3003 or 2103, in that order): binding id, channel id, membership code, now, completion
 * hash, completion expiry, profile, profile version.
 */
type AtOnceValues = [string, string, string, string, string, string, string | null, number | null];

function atOnceValues(
  ctx: PlatformContext,
  program: Program,
  bindingId: string,
  input: ApplyBody,
  completionToken: string,
): AtOnceValues | undefined {
  if (!isValidMembershipCode(program.codeType, input.membershipCode)) return undefined;
  const now = ctx.now();
  return [
    bindingId,
    program.channelId,
    input.membershipCode,
    now.toISOString(),
    hashToken(completionToken),
    new Date(now.getTime() + ctx.config.completionTtl * 1000).toISOString(),
    // A RESERVED binding has no profile yet.
    input.profile ? JSON.stringify(mergeCardProfile(null, input.profile)) : null,
    input.profile ? input.profile.version : null,
  ];
}

/** RESERVED → APPLIED when every check of the steps holds (AtOnceValues in slots 0–7). */
function applyAtOnceQuery(db: QueryCreator<Database>) {
  return db
    .updateTable('bindings')
    .set({
      completion_hash: slot(4),
      completion_expires_at: slot(5),
      profile: slot(6),
      profile_version: slot(7),
      state: 'APPLIED',
      membership_code: slot(2),
      applied_at: slot(3),
    })
    .where('id', '=', slot<string>(0))
    .where('channel_id', '=', slot<string>(1))
    .where('state', '=', 'RESERVED')
    .where('expires_at', '>', slot<string>(3))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('bindings as o')
            .select('o.id')
            .where('o.channel_id', '=', slot<string>(1))
            .where('o.id', '!=', slot<string>(0))
            .where((o) =>
              o.or([
                o.and([o('o.user_id', '=', o.ref('bindings.user_id')), o('o.state', '=', 'ACTIVE')]),
                o.and([o('o.membership_code', '=', slot<string>(2)), o('o.state', '=', 'APPLIED')]),
              ]),
            ),
        ),
      ),
    )
    .returning(['id', 'callback']);
}

const applyAtOnce = compiledOnce<Pick<BindingTable, 'id' | 'callback'>, AtOnceValues>((db) =>
  applyAtOnceQuery(db),
);

/** PostgreSQL: the same with the call's nonce inserted by the statement (channel id, nonce, time in 8–10). */
const applyAtOnceWithNonce = compiledOnce<
  Pick<BindingTable, 'id' | 'callback'>,
  [...AtOnceValues, string, string, string]
>((db) =>
  applyAtOnceQuery(
    // The CTE's name is a table the update never reads: the plain QueryCreator type serves.
    db.with('nonce_used', (w) =>
      w.insertInto('merchant_nonces').values({ channel_id: slot(8), nonce: slot(9), created_at: slot(10) }),
    ) as unknown as QueryCreator<Database>,
  ),
);

async function applyInTransaction(
  ctx: PlatformContext,
  trx: Transaction<Database>,
  program: Program,
  bindingId: string,
  input: ApplyBody,
  completionToken: string,
): Promise<Pick<BindingTable, 'id' | 'callback'> | 'raced'> {
  const now = ctx.now().toISOString();
  const applied = {
    completion_hash: hashToken(completionToken),
    completion_expires_at: new Date(ctx.now().getTime() + ctx.config.completionTtl * 1000).toISOString(),
    ...(input.profile
      ? {
          profile: JSON.stringify(mergeCardProfile(null, input.profile)),
          profile_version: input.profile.version,
        }
      : {}),
  };
  // The usual case in one statement: a well-formed code for this channel's live RESERVED binding
  // whose user holds no card of the program and that no other binding holds. Anything else is
  // decided step by step below (the same transaction: a miss here changed nothing).
  const values = atOnceValues(ctx, program, bindingId, input, completionToken);
  if (values) {
    const { rows } = await trx.executeQuery(applyAtOnce(trx, values));
    if (rows[0]) return rows[0];
  }
  // Read once, in the step's transaction (3003 before the code's format, as the steps say).
  const binding = await findBinding(trx, bindingId);
  if (!binding || binding.channel_id !== program.channelId) throw fail('3003', 'binding_unknown');
  validateMembershipCode(program.codeType, input.membershipCode);
  if (binding.state === 'APPLIED') {
    if (binding.membership_code !== input.membershipCode) throw fail('3004', 'applied_with_other_code');
    // The same apply again (a merchant retry): a fresh completion token; the old one dies.
    const result = await trx
      .updateTable('bindings')
      .set({ ...applied, applied_at: now })
      .where('id', '=', binding.id)
      .where('state', '=', 'APPLIED')
      .where('membership_code', '=', input.membershipCode)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1 ? binding : 'raced';
  }
  if (binding.state !== 'RESERVED') throw fail('3004', stateReason('binding', binding.state));
  if (binding.expires_at <= now) throw fail('3002', 'reservation_expired');
  // One read for both: the user's ACTIVE card of the program (3006) and the other APPLIED holders
  // of the code.
  const others = await trx
    .selectFrom('bindings')
    .select(['id', 'user_id', 'state', 'completion_expires_at'])
    .where('channel_id', '=', binding.channel_id)
    .where('id', '!=', binding.id)
    .where((eb) =>
      eb.or([
        eb.and([eb('user_id', '=', binding.user_id), eb('state', '=', 'ACTIVE')]),
        eb.and([eb('membership_code', '=', input.membershipCode), eb('state', '=', 'APPLIED')]),
      ]),
    )
    .execute();
  if (others.some((o) => o.state === 'ACTIVE' && o.user_id === binding.user_id))
    throw fail('3006', 'card_already_held');
  const holders = others.filter((o) => o.state === 'APPLIED');
  await releaseStaleHolders(ctx, trx, binding, holders, now);
  const result = await trx
    .updateTable('bindings')
    .set({ ...applied, state: 'APPLIED', membership_code: input.membershipCode, applied_at: now })
    .where('id', '=', binding.id)
    .where('state', '=', 'RESERVED')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1 ? binding : 'raced';
}

/**
 * Frees the code from bindings that can never complete: the same user's abandoned APPLIED
 * binding (a second attempt in another tab) is cancelled; another user's APPLIED binding whose
 * completion token has expired is marked EXPIRED. A live holder stays, and the unique index says 3005.
 */
async function releaseStaleHolders(
  ctx: PlatformContext,
  trx: Transaction<Database>,
  binding: BindingTable,
  holders: { id: string; user_id: string; completion_expires_at: string | null }[],
  now: string,
): Promise<void> {
  for (const holder of holders) {
    if (holder.user_id === binding.user_id) {
      await endBindingIn(ctx, trx, {
        id: holder.id,
        to: 'CANCELLED',
        reason: 'superseded',
        from: ['APPLIED'],
      });
    } else if (holder.completion_expires_at !== null && holder.completion_expires_at <= now) {
      await endBindingIn(ctx, trx, {
        id: holder.id,
        to: 'EXPIRED',
        reason: 'completion_expired',
        from: ['APPLIED'],
      });
    }
  }
}
