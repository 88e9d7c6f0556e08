import type { Actor } from '../audit/actor.js';
import { appendAudit } from '../audit/audit-log.js';
import type { PlatformContext } from '../context.js';
import { newChannelSecret } from '../crypto/tokens.js';
import { fail } from '../http/errors.js';

type SecretsContext = Pick<PlatformContext, 'db' | 'secrets' | 'now'>;

/** What the console shows about a channel's secrets without revealing them. */
export interface ChannelSecretInfo {
  /** When the current secret was issued. */
  createdAt: string;
  /** Until when the previous secret still verifies (rotation overlap), or null. */
  previousExpiresAt: string | null;
}

export async function channelSecretInfo(ctx: SecretsContext, channelId: string): Promise<ChannelSecretInfo> {
  const rows = await ctx.db
    .selectFrom('program_secrets')
    .select(['created_at', 'expires_at'])
    .where('channel_id', '=', channelId)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', ctx.now().toISOString())]))
    .orderBy('id', 'desc')
    .execute();
  const current = rows.find((r) => r.expires_at === null);
  if (!current) throw fail('9000', 'channel_secret_missing');
  const previous = rows.find((r) => r.expires_at !== null);
  return { createdAt: current.created_at, previousExpiresAt: previous?.expires_at ?? null };
}

/**
 * The current channel secret in clear text, for the console's "reveal" (PROTOCOL.md §3). With an
 * actor, the reveal is audited (PROTOCOL.md §7) in the transaction that reads the secret: no secret
 * leaves without its entry.
 */
export async function revealChannelSecret(
  ctx: SecretsContext,
  channelId: string,
  actor?: Actor,
): Promise<{ channelSecret: string; createdAt: string }> {
  const now = ctx.now();
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('program_secrets')
      .select(['secret_enc', 'created_at'])
      .where('channel_id', '=', channelId)
      .where('expires_at', 'is', null)
      .executeTakeFirst();
    if (!row) throw fail('9000', 'channel_secret_missing');
    const channelSecret = ctx.secrets.open(row.secret_enc, channelId);
    if (actor) {
      await appendAudit(trx, now, {
        actorKind: actor.kind,
        actorId: actor.id,
        action: 'secret.revealed',
        targetType: 'program',
        targetId: channelId,
        details: { secretCreatedAt: row.created_at },
        sourceAddress: actor.sourceAddress,
      });
    }
    return { channelSecret, createdAt: row.created_at };
  });
}

/**
 * Issues a new channel secret. The secret it replaces keeps verifying until now + `overlapSeconds`
 * (PROTOCOL.md §3: both are accepted during the overlap), so merchants can redeploy without
 * downtime. Only one previous secret overlaps: any older one still inside an earlier overlap ends
 * now. All in one transaction.
 */
export async function rotateChannelSecret(
  ctx: SecretsContext,
  channelId: string,
  overlapSeconds: number,
  actor?: Actor,
): Promise<{ channelSecret: string; createdAt: string; previousExpiresAt: string }> {
  const now = ctx.now();
  const nowIso = now.toISOString();
  const previousExpiresAt = new Date(now.getTime() + overlapSeconds * 1000).toISOString();
  const channelSecret = newChannelSecret();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('program_secrets')
      .set({ expires_at: nowIso })
      .where('channel_id', '=', channelId)
      .where('expires_at', '>', nowIso)
      .execute();
    const replaced = await trx
      .updateTable('program_secrets')
      .set({ expires_at: previousExpiresAt })
      .where('channel_id', '=', channelId)
      .where('expires_at', 'is', null)
      .executeTakeFirst();
    if (Number(replaced.numUpdatedRows) !== 1) throw fail('4004', 'program_not_found');
    // Every instance's cached secrets of this channel are stale from this commit on.
    await trx
      .updateTable('programs')
      .set((eb) => ({ secrets_version: eb('secrets_version', '+', 1) }))
      .where('channel_id', '=', channelId)
      .execute();
    // …or of a group participant's channel (PROTOCOL.md §8), whose secrets are kept the same way.
    await trx
      .updateTable('program_participants')
      .set((eb) => ({ secrets_version: eb('secrets_version', '+', 1) }))
      .where('channel_id', '=', channelId)
      .execute();
    await trx
      .insertInto('program_secrets')
      .values({
        channel_id: channelId,
        secret_enc: ctx.secrets.seal(channelSecret, channelId),
        created_at: nowIso,
        expires_at: null,
      })
      .execute();
    if (actor) {
      await appendAudit(trx, now, {
        actorKind: actor.kind,
        actorId: actor.id,
        action: 'secret.rotated',
        targetType: 'program',
        targetId: channelId,
        details: { previousExpiresAt },
        sourceAddress: actor.sourceAddress,
      });
    }
  });
  return { channelSecret, createdAt: nowIso, previousExpiresAt };
}
