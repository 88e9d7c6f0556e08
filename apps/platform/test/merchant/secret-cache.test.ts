import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSignatureHeaders } from '@mycard/protocol';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPlatformApp, type PlatformApp } from '../../src/app.js';
import { rotateChannelSecret } from '../../src/programs/channel-secrets.js';
import { createProgram } from '../../src/programs/program-repository.js';
import { openDatabase } from '../../src/store/database.js';
import { createClock, DIALECTS, type Dialect } from '../helpers/platform.js';

/** A binding id of the right shape that names no binding: an authenticated call answers 3003. */
const UNKNOWN_BINDING = 'a'.repeat(32);
const OVERLAP = 3600;

/**
 * Two platform instances on one database (one SQLite file; one PostgreSQL schema), sharing the
 * master key and a clock, each with its own in-memory cache of decrypted channel secrets.
 */
async function startTwoInstances(dialect: Dialect, now: () => Date) {
  const dirs = [
    mkdtempSync(join(tmpdir(), 'mycard-secret-cache-')),
    mkdtempSync(join(tmpdir(), 'mycard-secret-cache-')),
  ];
  const masterKey = randomBytes(32).toString('base64');
  const url = process.env.MYCARD_TEST_DATABASE_URL ?? '';
  const schema = `t_${randomBytes(6).toString('hex')}`;
  if (dialect === 'postgres') {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
  }
  const apps: PlatformApp[] = [];
  for (const dataDir of dirs) {
    const database =
      dialect === 'postgres'
        ? openDatabase({ databaseUrl: url, dataDir, pgSchema: schema, pgPoolSize: 3 })
        : // Both SQLite instances open the same file (the first one's data folder).
          openDatabase({ databaseUrl: '', dataDir: dirs[0] as string });
    apps.push(
      await createPlatformApp(
        { dataDir, masterKey, webhookPollMs: 0, logLevel: 'silent', secretOverlap: OVERLAP },
        { database, logger: false, now },
      ),
    );
  }
  return {
    a: apps[0] as PlatformApp,
    b: apps[1] as PlatformApp,
    async close() {
      for (const app of apps) await app.close();
      if (dialect === 'postgres') {
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        await c.query(`DROP SCHEMA ${schema} CASCADE`);
        await c.end();
      }
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    },
  };
}

/** A signed merchant GET; the return code says whether the signature was accepted (3003) or not (1106). */
async function call(app: PlatformApp, channelId: string, channelSecret: string): Promise<string> {
  const path = `/v1/bindings/${UNKNOWN_BINDING}`;
  const headers = await createSignatureHeaders({
    channelId,
    channelSecret,
    path,
    payload: '',
    nonce: crypto.randomUUID(),
  });
  const res = await app.app.inject({ method: 'GET', url: path, headers });
  return res.json().returnCode as string;
}

async function nonceCount(app: PlatformApp): Promise<number> {
  const row = await app.ctx.db
    .selectFrom('merchant_nonces')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe.each(DIALECTS)(
  'channel secrets cached per instance, rotation seen by every instance (%s)',
  (dialect) => {
    let cluster: Awaited<ReturnType<typeof startTwoInstances>>;
    const clock = createClock();
    beforeEach(async () => {
      cluster = await startTwoInstances(dialect, clock.now);
    });
    afterEach(async () => {
      await cluster.close();
    });

    it('a rotation on A is honoured by B on its next call; the old secret verifies during the overlap, not after', async () => {
      const { a, b } = cluster;
      const { program, channelSecret: first } = await createProgram(a.ctx, {
        name: 'Cache Mart',
        codeType: 'EAN13',
        bindingUrl: 'https://shop.example/bind',
        status: 'LIVE',
      });
      const channelId = program.channelId;
      // Both instances now hold the first secret in their caches.
      expect(await call(a, channelId, first)).toBe('3003');
      expect(await call(b, channelId, first)).toBe('3003');
      const wrong = '0'.repeat(64);
      const before = await nonceCount(a);
      expect(await call(b, channelId, wrong)).toBe('1106');
      expect(await nonceCount(a)).toBe(before);

      const { channelSecret: second } = await rotateChannelSecret(a.ctx, channelId, OVERLAP);
      // B never saw the rotation happen; its next call reads the program row and sees the new version.
      expect(await call(b, channelId, second)).toBe('3003');
      expect(await call(a, channelId, second)).toBe('3003');
      // The overlap: the replaced secret still verifies on both.
      expect(await call(b, channelId, first)).toBe('3003');
      expect(await call(a, channelId, first)).toBe('3003');

      clock.advance(OVERLAP + 1);
      const afterOverlap = await nonceCount(a);
      // Revoked on both once the overlap ends, nothing stored for the refused calls.
      expect(await call(b, channelId, first)).toBe('1106');
      expect(await call(a, channelId, first)).toBe('1106');
      expect(await nonceCount(a)).toBe(afterOverlap);
      expect(await call(b, channelId, second)).toBe('3003');

      // A second rotation, this time on B: A follows; the first secret stays refused.
      const { channelSecret: third } = await rotateChannelSecret(b.ctx, channelId, OVERLAP);
      expect(await call(a, channelId, third)).toBe('3003');
      expect(await call(a, channelId, second)).toBe('3003');
      expect(await call(a, channelId, first)).toBe('1106');
      expect(await call(b, channelId, first)).toBe('1106');
    });

    it('a rotation inside an overlap ends the older overlap at once on the other instance too', async () => {
      const { a, b } = cluster;
      const { program, channelSecret: first } = await createProgram(a.ctx, {
        name: 'Cache Mart',
        codeType: 'EAN13',
        bindingUrl: 'https://shop.example/bind',
        status: 'LIVE',
      });
      const channelId = program.channelId;
      const { channelSecret: second } = await rotateChannelSecret(a.ctx, channelId, OVERLAP);
      expect(await call(b, channelId, first)).toBe('3003');
      const { channelSecret: third } = await rotateChannelSecret(a.ctx, channelId, OVERLAP);
      // Only one previous secret overlaps: the first is refused at once on B, whose cache held it.
      expect(await call(b, channelId, first)).toBe('1106');
      expect(await call(b, channelId, second)).toBe('3003');
      expect(await call(b, channelId, third)).toBe('3003');
    });
  },
);
