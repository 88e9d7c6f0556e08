import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPlatformApp, createProgram, openDatabase } from '@mycard/platform';
import { sql } from 'kysely';
import { onStop, serverReady } from '../server-child.js';

/**
 * The My Card Server as the bench runs it over HTTP: its own process (the TypeScript sources through
 * tsx, or the built dist/ under plain node when started with `runtime: 'dist'`: everything comes from
 * the `@mycard/platform` package, whose `@mycard/source` condition picks the sources), a fresh SQLite database in a temp
 * folder (or a PostgreSQL schema the parent made), the shipped logger (info, to stdout → /dev/null),
 * one LIVE program, rate limits high enough never to refuse the bench, on 127.0.0.1 and a free port.
 *
 * argv[2]: JSON `{ publicUrl, databaseUrl?, pgSchema? }`.
 */
const options = JSON.parse(process.argv[2] ?? '{}') as {
  publicUrl: string;
  databaseUrl?: string;
  pgSchema?: string;
};
const dataDir = mkdtempSync(join(tmpdir(), 'mycard-bench-platform-'));
const database = options.databaseUrl
  ? openDatabase({ databaseUrl: options.databaseUrl, dataDir, pgSchema: options.pgSchema, pgPoolSize: 10 })
  : openDatabase({ databaseUrl: '', dataDir });
const platform = await createPlatformApp(
  {
    dataDir,
    publicUrl: options.publicUrl,
    webhookPollMs: 0,
    rateLimits: { sessionPerMinute: 1_000_000, reservePerMinute: 1_000_000 },
  },
  { database },
);
const { program, channelSecret } = await createProgram(platform.ctx, {
  name: 'Bench Mart',
  codeType: 'EAN13',
  bindingUrl: 'https://shop.example/mycard/bind',
  status: 'LIVE',
});
process.on('message', async (m: { type?: string; cards?: number; template?: string }) => {
  if (m?.type !== 'seed-cards' || !process.send) return;
  const t0 = performance.now();
  try {
    await seedCards(defined(m.template), defined(m.cards));
    process.send({ type: 'seeded', ms: performance.now() - t0 });
  } catch (err) {
    process.send({ type: 'seeded', error: String(err) });
  }
});
await platform.app.listen({ port: 0, host: '127.0.0.1' });
const address = platform.app.server.address();
if (!address || typeof address === 'string') throw new Error('no address');
serverReady({
  url: `http://127.0.0.1:${address.port}`,
  channelId: program.channelId,
  channelSecret,
});
onStop(async () => {
  try {
    await platform.close();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

function defined<T>(x: T | undefined): T {
  if (x === undefined) throw new Error('missing');
  return x;
}

/**
 * `cards` ACTIVE cards of other users, cloned from one real binding in one statement (a bulk insert,
 * bounded in time): the wallet's card list must not depend on how many cards the platform holds.
 */
async function seedCards(templateId: string, cards: number): Promise<void> {
  const db = platform.ctx.db;
  const series =
    platform.ctx.dialect === 'sqlite'
      ? sql`with recursive s(n) as (select 1 union all select n + 1 from s where n < ${cards}) select n from s`
      : sql`select generate_series(1, ${cards}) as n`;
  await sql`
    insert into bindings (id, channel_id, user_id, state, nonce, callback, browser_hash, membership_code,
      completion_hash, completion_expires_at, profile, profile_version, created_at, expires_at,
      applied_at, completed_at, ended_at, end_reason)
    select b.id || '-' || s.n, b.channel_id, 'seed-' || s.n, b.state, b.nonce, b.callback, b.browser_hash,
      'seed' || s.n, null, null, b.profile, b.profile_version, b.created_at, b.expires_at,
      b.applied_at, b.completed_at, null, null
    from bindings b, (${series}) s
    where b.id = ${templateId}`.execute(db);
}
