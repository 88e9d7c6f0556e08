import { sql } from 'kysely';
import type { PlatformContext } from '../context.js';
import type { ProgramStatus } from '../store/schema.js';

export const PROGRAM_STATUSES: readonly ProgramStatus[] = ['DRAFT', 'IN_REVIEW', 'LIVE', 'SUSPENDED'];
/** Where the webhook dispatcher parks an abandoned event (webhooks/dispatch-webhooks.ts). */
const ABANDONED_AT = '9999-12-31T23:59:59.999Z';

export interface BindingDay {
  day: string;
  started: number;
  completed: number;
  cancelled: number;
  expired: number;
}

export interface PlatformFigures {
  generatedAt: string;
  /** The UTC days covered by the per-day series, oldest first (inclusive). */
  from: string;
  to: string;
  programs: Record<ProgramStatus, number>;
  pendingRevisions: number;
  openReports: number;
  /** Cards (ACTIVE bindings) now, and those of SUSPENDED programs (shown as paused). */
  activeCards: number;
  pausedCards: number;
  bindingsPerDay: BindingDay[];
  merchantApi: {
    calls: number;
    errors: number;
    /** errors / calls, 0 when there were no calls. */
    errorRate: number;
    byReturnCode: { returnCode: string; calls: number }[];
    perDay: { day: string; calls: number; errors: number }[];
  };
  webhooks: {
    channelId: string;
    name: string;
    delivered: number;
    pending: number;
    retrying: number;
    abandoned: number;
  }[];
}

/** The UTC days from `days - 1` days before `now` to `now`, as YYYY-MM-DD. */
export function dayRange(now: Date, days: number): string[] {
  const out: string[] = [];
  const start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - (days - 1) * 86_400_000;
  for (let i = 0; i < days; i++) out.push(new Date(start + i * 86_400_000).toISOString().slice(0, 10));
  return out;
}

/**
 * The platform's figures (issue 14), computed from the database at request time: programs by
 * state, pending revisions and open reports, cards, bindings per day by outcome (started = reserved
 * that day, completed, cancelled and expired by the day they ended), merchant API calls by
 * returnCode (counted by the merchant routes, flushed first so this instance's latest calls are
 * in), and webhook delivery health per program from the outbox.
 */
export async function computeFigures(ctx: PlatformContext, days: number): Promise<PlatformFigures> {
  await ctx.apiCalls.flush();
  const db = ctx.db;
  const range = dayRange(ctx.now(), days);
  const from = range[0] ?? '';
  const fromTime = `${from}T00:00:00.000Z`;

  const programs = Object.fromEntries(PROGRAM_STATUSES.map((s) => [s, 0])) as Record<ProgramStatus, number>;
  for (const r of await db
    .selectFrom('programs')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute()) {
    programs[r.status] = Number(r.n);
  }
  const pendingRevisions = n(
    await db
      .selectFrom('program_reviews')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('state', '=', 'PENDING')
      .where('kind', '=', 'revision')
      .executeTakeFirst(),
  );
  const openReports = n(
    await db
      .selectFrom('program_reports')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('state', '=', 'OPEN')
      .executeTakeFirst(),
  );
  const activeCards = n(
    await db
      .selectFrom('bindings')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('state', '=', 'ACTIVE')
      .executeTakeFirst(),
  );
  const pausedCards = n(
    await db
      .selectFrom('bindings')
      .innerJoin('programs', 'programs.channel_id', 'bindings.channel_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('bindings.state', '=', 'ACTIVE')
      .where('programs.status', '=', 'SUSPENDED')
      .executeTakeFirst(),
  );

  const perDay = new Map<string, BindingDay>(
    range.map((day) => [day, { day, started: 0, completed: 0, cancelled: 0, expired: 0 }]),
  );
  const add = (rows: { day: string; n: number }[], key: keyof Omit<BindingDay, 'day'>) => {
    for (const r of rows) {
      const entry = perDay.get(r.day);
      if (entry) entry[key] = Number(r.n);
    }
  };
  const byDay = async (
    column: 'created_at' | 'completed_at' | 'ended_at',
    state?: 'CANCELLED' | 'EXPIRED',
  ) => {
    let q = db
      .selectFrom('bindings')
      .select([
        sql<string>`substr(${sql.ref(column)}, 1, 10)`.as('day'),
        (eb) => eb.fn.countAll<number>().as('n'),
      ])
      .where(column, '>=', fromTime);
    if (state) q = q.where('state', '=', state);
    return q.groupBy(sql`substr(${sql.ref(column)}, 1, 10)`).execute();
  };
  add(await byDay('created_at'), 'started');
  add(await byDay('completed_at'), 'completed');
  add(await byDay('ended_at', 'CANCELLED'), 'cancelled');
  add(await byDay('ended_at', 'EXPIRED'), 'expired');

  const calls = await db
    .selectFrom('merchant_api_calls')
    .select(['day', 'return_code', 'calls'])
    .where('day', '>=', from)
    .execute();
  const byCode = new Map<string, number>();
  const apiDays = new Map(range.map((day) => [day, { day, calls: 0, errors: 0 }]));
  let total = 0;
  let errors = 0;
  for (const r of calls) {
    const n = Number(r.calls);
    total += n;
    byCode.set(r.return_code, (byCode.get(r.return_code) ?? 0) + n);
    const d = apiDays.get(r.day);
    if (d) d.calls += n;
    if (r.return_code !== '0000') {
      errors += n;
      if (d) d.errors += n;
    }
  }

  const webhookRows = await db
    .selectFrom('webhook_outbox')
    .innerJoin('programs', 'programs.channel_id', 'webhook_outbox.channel_id')
    .select([
      'webhook_outbox.channel_id',
      'programs.name',
      sql<number>`sum(case when delivered_at is not null then 1 else 0 end)`.as('delivered'),
      sql<number>`sum(case when delivered_at is null and attempts = 0 then 1 else 0 end)`.as('pending'),
      sql<number>`sum(case when delivered_at is null and attempts > 0 and next_attempt_at <> ${ABANDONED_AT} then 1 else 0 end)`.as(
        'retrying',
      ),
      sql<number>`sum(case when delivered_at is null and next_attempt_at = ${ABANDONED_AT} then 1 else 0 end)`.as(
        'abandoned',
      ),
    ])
    .groupBy(['webhook_outbox.channel_id', 'programs.name'])
    .orderBy('programs.name')
    .execute();

  return {
    generatedAt: ctx.now().toISOString(),
    from,
    to: range.at(-1) ?? from,
    programs,
    pendingRevisions,
    openReports,
    activeCards,
    pausedCards,
    bindingsPerDay: [...perDay.values()],
    merchantApi: {
      calls: total,
      errors,
      errorRate: total === 0 ? 0 : errors / total,
      byReturnCode: [...byCode.entries()]
        .map(([returnCode, n]) => ({ returnCode, calls: n }))
        .sort((a, b) => a.returnCode.localeCompare(b.returnCode)),
      perDay: [...apiDays.values()],
    },
    webhooks: webhookRows.map((r) => ({
      channelId: r.channel_id,
      name: r.name,
      delivered: Number(r.delivered),
      pending: Number(r.pending),
      retrying: Number(r.retrying),
      abandoned: Number(r.abandoned),
    })),
  };
}

function n(row: { n: number | string } | undefined): number {
  return Number(row?.n ?? 0);
}
