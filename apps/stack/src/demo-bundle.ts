import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWalletUrl, createBundle, decideMembership, type PlatformContext } from '@mycard/platform';

/** In the platform's data folder: the demo bundle's id, so later starts reuse it. */
export const DEMO_BUNDLE_FILE = 'demo-bundle.json';

const SYSTEM = { kind: 'system' as const, id: null, sourceAddress: null };

/**
 * Development only: a campaign bundle (PROTOCOL.md §9) of the demo programs, running from the first
 * start for a year, every program already joined (as if each organization had accepted). Returns
 * its wallet link, which the banner prints.
 */
export async function ensureDemoBundle(ctx: PlatformContext, channelIds: string[]): Promise<string> {
  const file = join(ctx.config.dataDir, DEMO_BUNDLE_FILE);
  const saved = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as { bundleId?: string }).bundleId
    : undefined;
  const known = saved
    ? await ctx.db.selectFrom('bundles').select('id').where('id', '=', saved).executeTakeFirst()
    : undefined;
  if (known) return bundleWalletUrl(ctx.config.publicUrl, known.id);
  const now = ctx.now();
  const bundleId = await createBundle(ctx, SYSTEM, {
    name: 'Night market',
    description: `${channelIds.length} shops in one go: add every card and collect double points this week.`,
    startsAt: now.toISOString(),
    endsAt: new Date(now.getTime() + 365 * 86_400_000).toISOString(),
    channelIds,
  });
  for (const channelId of channelIds) await decideMembership(ctx, SYSTEM, bundleId, channelId, 'accept');
  mkdirSync(ctx.config.dataDir, { recursive: true });
  writeFileSync(file, `${JSON.stringify({ bundleId }, null, 2)}\n`);
  return bundleWalletUrl(ctx.config.publicUrl, bundleId);
}
