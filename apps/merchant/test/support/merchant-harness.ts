import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { defined } from '../../../../test-support/defined.js';
import { createMerchantApp, type MerchantApp, type MerchantAppOptions } from '../../src/app.js';
import type { MerchantConfigInput } from '../../src/config.js';
import { createMember } from '../../src/members/create-member.js';
import { createOperator } from '../../src/members/operators.js';

export type Dialect = 'sqlite' | 'postgres';

/** SQLite always; PostgreSQL too when MYCARD_TEST_DATABASE_URL is set (never silently skipped then). */
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

export interface TestStore {
  dataDir: string;
  config: MerchantConfigInput;
  /** Removes the temp folder and drops the PostgreSQL schema. */
  destroy(): Promise<void>;
}

/** A fresh data folder, and on PostgreSQL a fresh schema of its own. */
export function createTestStore(dialect: Dialect, overrides: MerchantConfigInput = {}): TestStore {
  const dataDir = mkdtempSync(join(tmpdir(), 'merchant-test-'));
  const schema = `merchant_t_${randomBytes(6).toString('hex')}`;
  const url = process.env.MYCARD_TEST_DATABASE_URL ?? '';
  if (dialect === 'postgres' && !url) throw new Error('MYCARD_TEST_DATABASE_URL is not set');
  const config: MerchantConfigInput = {
    port: 0,
    dataDir,
    logLevel: 'silent',
    // Passwords at the tests' scrypt cost (the same code at 1/32 of the work), except in
    // production mode, which refuses it.
    passwordCost: overrides.mode === 'production' ? 'standard' : 'test',
    sessionSecret: 'test-session-secret-test-session-secret',
    ...(dialect === 'postgres' ? { databaseUrl: url, databaseSchema: schema } : {}),
    ...overrides,
    sync: { pollMs: 0, ...overrides.sync },
    // Tests run the expiry job themselves (on their own clocks).
    expiryJob: { schedule: false, ...overrides.expiryJob },
  };
  return {
    dataDir,
    config,
    async destroy() {
      if (dialect === 'postgres') {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        await client.query(`drop schema if exists "${schema}" cascade`);
        await client.end();
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Builds a merchant app over a test store. */
export function buildMerchant(
  store: TestStore,
  options: MerchantAppOptions = {},
  extra: MerchantConfigInput = {},
) {
  return createMerchantApp(
    { ...store.config, ...extra, sync: { ...store.config.sync, ...extra.sync } },
    options,
  );
}

export async function addMember(merchant: MerchantApp, email: string, password = 'member-password-1') {
  const { config, context } = merchant;
  return createMember(
    context.db,
    { login: { kind: 'email', value: email }, password, displayName: defined(email.split('@')[0]) },
    { codeType: config.codeType, codePrefix: config.codePrefix, now: new Date() },
  );
}

/** A tiny cookie jar for app.inject / fetch. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(setCookie: string | string[] | undefined | null): void {
    const list = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
    for (const line of list) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  storeFrom(headers: Headers): void {
    this.store(headers.getSetCookie());
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }
}

/** A signed-in POS client driving /api/pos through app.inject. */
export async function posClient(merchant: MerchantApp, username = 'till1') {
  const password = 'operator-password';
  await createOperator(merchant.context.db, { username, password, displayName: 'Till' }, new Date());
  const jar = new CookieJar();
  const login = await merchant.app.inject({
    method: 'POST',
    url: '/api/pos/session',
    payload: { username, password },
  });
  if (login.statusCode !== 200) throw new Error(`POS login failed: ${login.body}`);
  jar.store(login.headers['set-cookie']);
  const csrf = login.json().csrfToken as string;
  const post = async (path: string, body: unknown) => {
    const res = await merchant.app.inject({
      method: 'POST',
      url: `/api/pos/${path}`,
      headers: { cookie: jar.header(), 'x-csrf-token': csrf, 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });
    return { status: res.statusCode, body: res.json(), headers: res.headers };
  };
  return { jar, csrf, post };
}

export type PosClient = Awaited<ReturnType<typeof posClient>>;

export interface PosMerchant {
  store: TestStore;
  merchant: MerchantApp;
  pos: PosClient;
}

/**
 * For the calling suite: before all its tests, a merchant over a fresh test store with a signed-in
 * POS client; after them, closes the merchant and removes the store. The fields are set once the
 * suite's first `beforeAll` has run: read them in tests and later hooks.
 */
export function usePosMerchant(dialect: Dialect): PosMerchant {
  const ctx = {} as PosMerchant;
  beforeAll(async () => {
    ctx.store = createTestStore(dialect);
    ctx.merchant = await buildMerchant(ctx.store);
    ctx.pos = await posClient(ctx.merchant);
  });
  afterAll(async () => {
    await ctx.merchant?.close();
    await ctx.store?.destroy();
  });
  return ctx;
}

/** Counts ledger entries (optionally of one member). */
export async function entryCount(merchant: MerchantApp, memberId?: number): Promise<number> {
  let q = merchant.context.db.selectFrom('ledger_entries').select((eb) => eb.fn.countAll<number>().as('n'));
  if (memberId !== undefined) q = q.where('member_id', '=', memberId);
  const row = await q.executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function balanceOf(merchant: MerchantApp, memberId: number): Promise<number> {
  const row = await merchant.context.db
    .selectFrom('balances')
    .select('points')
    .where('member_id', '=', memberId)
    .executeTakeFirstOrThrow();
  return row.points;
}
