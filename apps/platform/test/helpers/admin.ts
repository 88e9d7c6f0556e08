import { ensurePlatformAdmin } from '../../src/operators/platform-admins.js';
import { createProgram, type NewProgram } from '../../src/programs/program-repository.js';
import { type ConsoleOperator, call, signUp } from '../console/console-client.js';
import type { TestPlatform } from './platform.js';

/** A signed-in platform administrator: signs up, then gets the role as `mycard admin create` gives it. */
export async function signUpAdmin(platform: TestPlatform, email: string): Promise<ConsoleOperator> {
  const op = await signUp(platform, email);
  await ensurePlatformAdmin(platform.ctx, { email, displayName: 'Admin' });
  return op;
}

/** A program owned by `op`, registered directly in the given status. */
export async function programOf(
  platform: TestPlatform,
  op: ConsoleOperator,
  input: Partial<NewProgram> = {},
): Promise<{ channelId: string; channelSecret: string }> {
  const { program, channelSecret } = await createProgram(platform.ctx, {
    name: 'Demo Mart',
    codeType: 'EAN13',
    bindingUrl: 'https://shop.example/mycard/bind',
    operatorId: op.id,
    ...input,
  });
  return { channelId: program.channelId, channelSecret };
}

/** The operator asks to go live; returns the review id (review must be required). */
export async function requestGoLive(platform: TestPlatform, op: ConsoleOperator, channelId: string) {
  const res = await call(platform, op, 'POST', `/programs/${channelId}/status`, { status: 'LIVE' });
  if (res.statusCode !== 200) throw new Error(`go-live request failed: ${res.body}`);
  return res.json().info.review.pending.reviewId as string;
}

/** Rows of every table the admin area writes, for "nothing changed" checks. */
export async function adminDump(platform: TestPlatform): Promise<string> {
  const db = platform.ctx.db;
  const out = {
    programs: await db.selectFrom('programs').selectAll().orderBy('channel_id').execute(),
    logos: await db
      .selectFrom('program_logos')
      .select(['channel_id', 'updated_at'])
      .orderBy('channel_id')
      .execute(),
    reviews: await db.selectFrom('program_reviews').selectAll().orderBy('id').execute(),
    notices: await db.selectFrom('console_notices').selectAll().orderBy('id').execute(),
    audit: await db.selectFrom('audit_log').selectAll().orderBy('id').execute(),
    reports: await db.selectFrom('program_reports').selectAll().orderBy('id').execute(),
    operators: await db.selectFrom('operators').select(['id', 'platform_role']).orderBy('id').execute(),
    bundles: await db.selectFrom('bundles').selectAll().orderBy('id').execute(),
    bundleBanners: await db
      .selectFrom('bundle_banners')
      .select(['bundle_id', 'updated_at'])
      .orderBy('bundle_id')
      .execute(),
    bundlePrograms: await db
      .selectFrom('bundle_programs')
      .selectAll()
      .orderBy('bundle_id')
      .orderBy('channel_id')
      .execute(),
  };
  return JSON.stringify(out);
}
