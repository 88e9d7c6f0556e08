import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createPlatformApp, type PlatformApp, type PlatformAppOptions } from '../../src/app.js';
import type { PlatformConfigInput } from '../../src/config.js';
import { rotateSigningKeys } from '../../src/keys/signing-key-store.js';
import { openDatabase, type StatementObserver } from '../../src/store/database.js';
import type { BindingTable } from '../../src/store/schema.js';
import { createDeclaredCodesWatch } from './declared-codes.js';

export type Dialect = 'sqlite' | 'postgres';

/**
 * The dialects every platform suite runs on: SQLite always; PostgreSQL when
 * MYCARD_TEST_DATABASE_URL is set (CI sets it, so there the PostgreSQL suites never skip).
 */
export const DIALECTS: Dialect[] = process.env.MYCARD_TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];

/**
 * The title of a concurrency test on `dialect`. better-sqlite3 is synchronous, so on SQLite the
 * "parallel" requests run one after another: the test checks the outcome (functional), it cannot
 * race. On PostgreSQL they run in concurrent transactions: that is the race test (CI sets
 * MYCARD_TEST_DATABASE_URL, so it always runs there; without it vitest.config.ts says NOT RUN).
 */
export function concurrencyTitle(dialect: Dialect, what: string): string {
  return dialect === 'postgres'
    ? `race (concurrent PostgreSQL transactions): ${what}`
    : `functional, not a race (SQLite runs them one at a time): ${what}`;
}

/** A clock tests can move. */
export function createClock(start = new Date('2026-11-27T10:00:00.000Z')) {
  let t = start.getTime();
  return {
    now: () => new Date(t),
    advance(seconds: number) {
      t += seconds * 1000;
    },
    set(d: Date) {
      t = d.getTime();
    },
  };
}

export interface TestPlatform extends PlatformApp {
  dataDir: string;
}

/**
 * A platform on a fresh database of `dialect` (a new temp folder for SQLite; a new schema for
 * PostgreSQL, dropped on close) with its own data folder. Drive it with `app.inject()` or listen.
 */
export async function startTestPlatform(
  dialect: Dialect,
  config: PlatformConfigInput = {},
  options: {
    now?: () => Date;
    logger?: PlatformAppOptions['logger'];
    /** Replaces the declared-codes watch (its own tests). */
    onRefusal?: PlatformAppOptions['onRefusal'];
    /** Sees every SQL statement with its connection (round-trip counting tests). */
    observe?: StatementObserver;
  } = {},
): Promise<TestPlatform> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mycard-platform-test-'));
  let dropSchema: (() => Promise<void>) | undefined;
  let database: ReturnType<typeof openDatabase>;
  if (dialect === 'postgres') {
    const url = process.env.MYCARD_TEST_DATABASE_URL;
    if (!url) throw new Error('MYCARD_TEST_DATABASE_URL is not set');
    const schema = `t_${Math.random().toString(36).slice(2, 12)}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    database = openDatabase({
      databaseUrl: url,
      dataDir,
      pgSchema: schema,
      pgPoolSize: 5,
      ...(options.observe ? { observe: options.observe } : {}),
    });
    dropSchema = async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP SCHEMA ${schema} CASCADE`);
      await c.end();
    };
  } else {
    database = openDatabase({
      databaseUrl: '',
      dataDir,
      ...(options.observe ? { observe: options.observe } : {}),
    });
  }
  const watch = createDeclaredCodesWatch();
  const platform = await createPlatformApp(
    {
      dataDir,
      webhookPollMs: 0,
      logLevel: 'silent',
      // Console passwords at the tests' scrypt cost (the same code at 1/96 of the work), except
      // in production mode, which refuses it.
      passwordCost: config.mode === 'production' ? 'standard' : 'test',
      ...config,
    },
    {
      database,
      onRefusal: options.onRefusal ?? watch.observe,
      logger: options.logger ?? false,
      ...(options.now ? { now: options.now } : {}),
    },
  );
  return {
    ...platform,
    dataDir,
    async close() {
      await platform.close();
      await dropSchema?.();
      rmSync(dataDir, { recursive: true, force: true });
      // Every platform test also checks that what the routes answered is what they document.
      watch.assertAllDeclared();
    },
  };
}

/**
 * A platform in production mode as an operator runs it: LINE sign-in, a master key, an https
 * publicUrl and its own signing keys (made in a temp folder that close removes); `config` adds the
 * rest (sign-up, rate limits, proxies).
 */
export async function startProductionPlatform(
  dialect: Dialect,
  config: PlatformConfigInput = {},
): Promise<TestPlatform> {
  const keysDir = mkdtempSync(join(tmpdir(), 'mycard-keys-'));
  const remove = () => rmSync(keysDir, { recursive: true, force: true });
  try {
    const signingKeysFile = join(keysDir, 'signing-keys.json');
    await rotateSigningKeys(signingKeysFile, 720);
    const platform = await startTestPlatform(dialect, {
      mode: 'production',
      identity: 'line',
      line: { channelId: '1234567890' },
      masterKey: Buffer.alloc(32, 7).toString('base64'),
      publicUrl: 'https://platform.example',
      signingKeysFile,
      ...config,
    });
    return {
      ...platform,
      async close() {
        await platform.close();
        remove();
      },
    };
  } catch (err) {
    remove();
    throw err;
  }
}

/**
 * A `bindings` row to insert directly: the given fields over placeholders (nonce `n`, callback `c`,
 * browser hash `h`, created 2026-01-01T00:00Z and expiring ten minutes later, the rest null).
 */
export function bindingRow(
  row: Pick<BindingTable, 'id' | 'channel_id' | 'user_id' | 'state'> & Partial<BindingTable>,
): BindingTable {
  return {
    nonce: 'n',
    callback: 'c',
    browser_hash: 'h',
    membership_code: null,
    completion_hash: null,
    completion_expires_at: null,
    profile: null,
    profile_version: null,
    created_at: '2026-01-01T00:00:00.000Z',
    expires_at: '2026-01-01T00:10:00.000Z',
    applied_at: null,
    completed_at: null,
    ended_at: null,
    end_reason: null,
    ...row,
  };
}
