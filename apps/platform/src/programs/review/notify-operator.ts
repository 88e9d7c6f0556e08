import type { FastifyBaseLogger } from 'fastify';
import type { Kysely, Transaction } from 'kysely';
import type { PlatformContext } from '../../context.js';
import type { Database } from '../../store/schema.js';

export type NoticeKind =
  | 'go-live.approved'
  | 'go-live.rejected'
  | 'revision.approved'
  | 'revision.rejected'
  | 'program.suspended'
  | 'program.reinstated';

export interface Notice {
  noticeId: number;
  channelId: string;
  kind: NoticeKind;
  reasons: string[];
  createdAt: string;
  read: boolean;
}

/** Records a notice for the program's operator, in the transaction of the decision. */
export async function addNotice(
  db: Kysely<Database> | Transaction<Database>,
  at: Date,
  notice: { operatorId: string; channelId: string; kind: NoticeKind; reasons: string[] },
): Promise<void> {
  await db
    .insertInto('console_notices')
    .values({
      operator_id: notice.operatorId,
      channel_id: notice.channelId,
      kind: notice.kind,
      reasons: JSON.stringify(notice.reasons),
      created_at: at.toISOString(),
      read_at: null,
    })
    .execute();
}

/** The operator's notices, newest first. */
export async function listNotices(db: Kysely<Database>, operatorId: string, limit = 50): Promise<Notice[]> {
  const rows = await db
    .selectFrom('console_notices')
    .selectAll()
    .where('operator_id', '=', operatorId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    noticeId: r.id,
    channelId: r.channel_id,
    kind: r.kind as NoticeKind,
    reasons: JSON.parse(r.reasons) as string[],
    createdAt: r.created_at,
    read: r.read_at !== null,
  }));
}

/** Marks one of the operator's notices read; false when it is not theirs or does not exist. */
export async function markNoticeRead(
  ctx: Pick<PlatformContext, 'db' | 'now'>,
  operatorId: string,
  noticeId: number,
): Promise<boolean> {
  const result = await ctx.db
    .updateTable('console_notices')
    .set({ read_at: ctx.now().toISOString() })
    .where('id', '=', noticeId)
    .where('operator_id', '=', operatorId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

const OUTCOMES: Record<NoticeKind, string> = {
  'go-live.approved': 'approved: the program is live',
  'go-live.rejected': 'not approved: the program is back in draft',
  'revision.approved': 'your changes were approved and are live',
  'revision.rejected': 'your changes were not approved; the live version is unchanged',
  'program.suspended': 'suspended by the platform',
  'program.reinstated': 'reinstated: the program is live again',
};

/**
 * E-mails the decision to the operator when an SMTP URL is configured. Called after the decision
 * committed; a mail failure is logged, never undoes or fails the decision.
 */
export async function mailNotice(
  ctx: Pick<PlatformContext, 'db' | 'mailer' | 'config'>,
  log: FastifyBaseLogger | undefined,
  notice: { operatorId: string; programName: string; channelId: string; kind: NoticeKind; reasons: string[] },
): Promise<void> {
  if (!ctx.mailer) return;
  const operator = await ctx.db
    .selectFrom('operators')
    .select('email')
    .where('id', '=', notice.operatorId)
    .executeTakeFirst();
  if (!operator) return;
  const lines = [
    `Your My Card program "${notice.programName}" (channel ${notice.channelId}): ${OUTCOMES[notice.kind]}.`,
    ...(notice.reasons.length ? ['', 'Reasons:', ...notice.reasons.map((r) => `- ${r}`)] : []),
    '',
    `Open the console: ${ctx.config.publicUrl}/console/#/programs/${notice.channelId}`,
  ];
  try {
    await ctx.mailer.send({
      to: operator.email,
      subject: `My Card: "${notice.programName}" — ${OUTCOMES[notice.kind]}`,
      text: lines.join('\n'),
    });
  } catch (err) {
    log?.warn({ err, kind: notice.kind }, 'decision e-mail not sent');
  }
}
