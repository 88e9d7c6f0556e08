import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlatformApp, type PlatformApp } from '../../src/app.js';
import { openDatabase } from '../../src/store/database.js';
import { startTcpProxy, viaProxy } from '../helpers/tcp-proxy.js';

/**
 * Issue 9.8 and §10: PostgreSQL stops answering, or goes away, mid-run. The outage is simulated
 * with a TCP proxy the test controls between the platform and PostgreSQL — the machine's shared
 * PostgreSQL is never restarted (other suites use it). Requests fail cleanly with 503/9000 and
 * Retry-After, /readyz answers 503 within its own timeout, and everything recovers without
 * restarting the app.
 */
const url = process.env.MYCARD_TEST_DATABASE_URL;
describe.runIf(url)('PostgreSQL outage through a cut TCP proxy', () => {
  let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
  let platform: PlatformApp;
  let dataDir: string;
  const schema = `t_${Math.random().toString(36).slice(2, 12)}`;
  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    const target = new URL(url as string);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    dataDir = mkdtempSync(join(tmpdir(), 'mycard-outage-'));
    const database = openDatabase({
      databaseUrl: viaProxy(url as string, proxy.port),
      dataDir,
      pgSchema: schema,
      pgPoolSize: 4,
      pgConnectTimeoutMs: 1000,
    });
    platform = await createPlatformApp(
      { dataDir, webhookPollMs: 0, logLevel: 'silent' },
      { database, logger: false },
    );
  });
  afterAll(async () => {
    await platform?.close();
    await proxy?.close();
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const signIn = (userId: string) =>
    platform.app.inject({
      method: 'POST',
      url: '/v1/session/dev',
      payload: { userId, displayName: userId },
      headers: { origin: platform.config.publicUrl },
    });

  for (const how of ['blackhole', 'refuse'] as const) {
    it(`database ${how === 'blackhole' ? 'hangs' : 'is down'}: 503/9000 and readyz 503, then recovery without restart`, async () => {
      expect((await signIn(`before-${how}`)).statusCode).toBe(200);
      expect((await platform.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
      proxy.cut(how);
      const ready = await platform.app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json().checks.database).toBe(false);
      const res = await signIn(`during-${how}`);
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({ returnCode: '9000', returnMessage: expect.any(String) });
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      proxy.restore();
      let recovered = 0;
      for (let i = 0; i < 50 && recovered !== 200; i++) {
        recovered = (await platform.app.inject({ method: 'GET', url: '/readyz' })).statusCode;
        if (recovered !== 200) await new Promise((r) => setTimeout(r, 100));
      }
      expect(recovered).toBe(200);
      expect((await signIn(`after-${how}`)).statusCode).toBe(200);
      // Nothing half-written: the user refused during the outage does not exist.
      const users = await platform.ctx.db.selectFrom('wallet_users').select('id').execute();
      expect(users.map((u) => u.id)).not.toContain(`dev:during-${how}`);
    }, 30_000);
  }
});
