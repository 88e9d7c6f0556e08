import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

export interface ClaimRequest {
  job: string;
  /** What one run covers, e.g. the UTC day of a daily job. */
  runKey: string;
  /** Who claims (host, process, random): shown to operators, compared on finish. */
  owner: string;
  now: Date;
  leaseSeconds: number;
  /** Take a finished run again (an operator's explicit run); never a live claim of another owner. */
  again?: boolean;
}

/**
 * Claims one run of a job among every instance on the database, in one statement each (so the
 * same on SQLite and PostgreSQL, where the row lock of a conditional UPDATE decides between two
 * instances): the first claim inserts the row; later a claim takes it only when its lease ran out
 * without the run finishing (the claimer died) — or, with `again`, once it finished. True when
 * this owner now holds the run.
 */
export async function claimRun(db: Kysely<Database>, request: ClaimRequest): Promise<boolean> {
  const now = request.now.toISOString();
  const until = new Date(request.now.getTime() + request.leaseSeconds * 1000).toISOString();
  const inserted = await db
    .insertInto('job_claims')
    .values({
      job: request.job,
      run_key: request.runKey,
      owner: request.owner,
      claimed_until: until,
      finished_at: null,
    })
    .onConflict((oc) => oc.columns(['job', 'run_key']).doNothing())
    .executeTakeFirst();
  if (inserted.numInsertedOrUpdatedRows === 1n) return true;
  const taken = await db
    .updateTable('job_claims')
    .set({ owner: request.owner, claimed_until: until, finished_at: null })
    .where('job', '=', request.job)
    .where('run_key', '=', request.runKey)
    .where((eb) =>
      request.again
        ? eb.or([eb('finished_at', 'is not', null), eb('claimed_until', '<', now)])
        : eb.and([eb('finished_at', 'is', null), eb('claimed_until', '<', now)]),
    )
    .executeTakeFirst();
  return taken.numUpdatedRows === 1n;
}

/** Marks this owner's run finished (a later claim of the same run then skips it). */
export async function finishRun(
  db: Kysely<Database>,
  job: string,
  runKey: string,
  owner: string,
  now: Date,
): Promise<void> {
  await db
    .updateTable('job_claims')
    .set({ finished_at: now.toISOString() })
    .where('job', '=', job)
    .where('run_key', '=', runKey)
    .where('owner', '=', owner)
    .execute();
}

/** Gives a failed run back at once (its lease ends now), so the next attempt need not wait. */
export async function releaseRun(
  db: Kysely<Database>,
  job: string,
  runKey: string,
  owner: string,
  now: Date,
): Promise<void> {
  await db
    .updateTable('job_claims')
    .set({ claimed_until: now.toISOString() })
    .where('job', '=', job)
    .where('run_key', '=', runKey)
    .where('owner', '=', owner)
    .where('finished_at', 'is', null)
    .execute();
}
