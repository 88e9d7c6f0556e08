import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSignatureHeaders, withCheckDigit } from '@mycard/protocol';
import pg from 'pg';
import { createPlatformApp, type PlatformApp } from '../apps/platform/src/app.js';
import { createProgram } from '../apps/platform/src/programs/program-repository.js';
import { openDatabase } from '../apps/platform/src/store/database.js';
import { type BenchResult, runGroup } from './harness.js';

/** The platform's publicUrl (`iss`, the wallet's Origin); nothing listens there: requests are injected. */
const PUBLIC_URL = 'http://127.0.0.1:39999';

interface BenchPlatform extends PlatformApp {
  creds: { channelId: string; channelSecret: string };
}

/**
 * A platform on a fresh SQLite database in a temp folder, or on PostgreSQL in a schema of its own
 * (dropped on close), with one LIVE program and rate limits high enough never to refuse the bench.
 */
async function startPlatform(dialect: 'sqlite' | 'postgres'): Promise<BenchPlatform> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mycard-bench-platform-'));
  let dropSchema: (() => Promise<void>) | undefined;
  try {
    let database: ReturnType<typeof openDatabase>;
    if (dialect === 'postgres') {
      const url = process.env.MYCARD_TEST_DATABASE_URL ?? '';
      const schema = `bench_${randomBytes(6).toString('hex')}`;
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`CREATE SCHEMA ${schema}`);
      await admin.end();
      dropSchema = async () => {
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await c.end();
      };
      database = openDatabase({ databaseUrl: url, dataDir, pgSchema: schema, pgPoolSize: 5 });
    } else {
      database = openDatabase({ databaseUrl: '', dataDir });
    }
    const platform = await createPlatformApp(
      {
        dataDir,
        publicUrl: PUBLIC_URL,
        webhookPollMs: 0,
        logLevel: 'silent',
        rateLimits: { sessionPerMinute: 1_000_000, reservePerMinute: 1_000_000 },
      },
      { database, logger: false },
    );
    const { program, channelSecret } = await createProgram(platform.ctx, {
      name: 'Bench Mart',
      codeType: 'EAN13',
      bindingUrl: 'https://shop.example/mycard/bind',
      status: 'LIVE',
    });
    await platform.app.ready();
    return {
      ...platform,
      creds: { channelId: program.channelId, channelSecret },
      async close() {
        try {
          await platform.close();
        } finally {
          await dropSchema?.();
          rmSync(dataDir, { recursive: true, force: true });
        }
      },
    };
  } catch (err) {
    await dropSchema?.();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
}

/** Checks an injected response's status, so a refused call can never count as a fast one. */
function expectStatus(res: { statusCode: number; body: string }, status: number, what: string) {
  if (res.statusCode !== status) throw new Error(`${what}: HTTP ${res.statusCode} ${res.body.slice(0, 300)}`);
}

/** A signed merchant POST (HMAC over channelSecret + path + body + nonce, fresh nonce). */
async function merchantPost(p: BenchPlatform, path: string, body: unknown) {
  const payload = JSON.stringify(body);
  const headers = await createSignatureHeaders({
    ...p.creds,
    path,
    payload,
    nonce: crypto.randomUUID(),
  });
  return p.app.inject({
    method: 'POST',
    url: path,
    headers: { ...headers, 'content-type': 'application/json' },
    payload,
  });
}

/** A wallet browser over app.inject: a cookie jar (paths ignored) and the platform's Origin. */
function walletOf(p: BenchPlatform) {
  const jar = new Map<string, string>();
  return async (path: string, body: unknown) => {
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await p.app.inject({
      method: 'POST',
      url: path,
      headers: {
        origin: PUBLIC_URL,
        'content-type': 'application/json',
        ...(cookie ? { cookie } : {}),
      },
      payload: JSON.stringify(body),
    });
    for (const c of res.cookies as { name: string; value: string }[]) jar.set(c.name, c.value);
    return res;
  };
}

let userSeq = 0;
let codeSeq = 0;

/** Sign-in of a fresh wallet user, then reserve → apply (merchant, HMAC) → complete. Returns the binding id. */
async function bindFreshUser(p: BenchPlatform): Promise<string> {
  const post = walletOf(p);
  const userId = `bench-${process.pid}-${++userSeq}`;
  expectStatus(await post('/v1/session/dev', { userId, displayName: 'Bench' }), 200, 'sign-in');
  const reserve = await post('/v1/bindings', { channelId: p.creds.channelId });
  expectStatus(reserve, 201, 'reserve');
  const info = reserve.json().info as { bindingId: string; redirectUrl: string };
  const token = new URL(info.redirectUrl).searchParams.get('token');
  const membershipCode = withCheckDigit(String(490_000_000_000 + ++codeSeq));
  const apply = await merchantPost(p, '/v1/bindings/apply', { token, membershipCode });
  expectStatus(apply, 200, 'apply');
  const completionToken = apply.json().info.completionToken as string;
  const complete = await post('/v1/bindings/complete', {
    token: completionToken,
    channelId: p.creds.channelId,
    status: 'SUCCESS',
  });
  expectStatus(complete, 200, 'complete');
  return info.bindingId;
}

/** `POST /v1/cards/profile` with a growing version on one ACTIVE card. */
function profileUpdater(p: BenchPlatform, bindingId: string) {
  let version = 0;
  return async () => {
    version++;
    const res = await merchantPost(p, '/v1/cards/profile', {
      bindingId,
      profile: { points: version, level: 'Gold', version },
    });
    expectStatus(res, 200, 'profile update');
  };
}

/** Warms the shared request path (routing, hooks, serializers) so the first case is not measured cold. */
async function warmUp(p: BenchPlatform): Promise<void> {
  for (let i = 0; i < 300; i++) {
    await p.app.inject({ url: '/healthz' });
    await p.app.inject({ url: '/.well-known/jwks.json' });
  }
}

/**
 * The My Card Server in-process through `app.inject()` (no sockets): the cheapest route as the
 * baseline, the JWKS, an HMAC-signed profile update (signature check + nonce insert + conditional
 * update), the whole binding flow, and the profile update again on PostgreSQL when
 * MYCARD_TEST_DATABASE_URL is set.
 */
export async function benchPlatform(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const sqlite = await startPlatform('sqlite');
  try {
    const cardId = await bindFreshUser(sqlite);
    await warmUp(sqlite);
    const group = 'platform (SQLite, app.inject)';
    results.push(
      ...(await runGroup(
        group,
        [
          {
            name: 'GET /healthz',
            baseline: true,
            fn: async () => expectStatus(await sqlite.app.inject({ url: '/healthz' }), 200, 'healthz'),
          },
          {
            name: 'GET /.well-known/jwks.json',
            fn: async () =>
              expectStatus(await sqlite.app.inject({ url: '/.well-known/jwks.json' }), 200, 'jwks'),
          },
          { name: 'POST /v1/cards/profile (HMAC, nonce, cond. update)', fn: profileUpdater(sqlite, cardId) },
        ],
        { durationMs: 1500, warmupMs: 300, maxOps: 50_000 },
      )),
      ...(await runGroup(
        group,
        [
          {
            name: 'binding: sign-in, reserve → apply → complete',
            fn: () => bindFreshUser(sqlite),
          },
        ],
        { durationMs: 2000, warmupMs: 300, maxOps: 5_000 },
      )),
    );
  } finally {
    await sqlite.close();
  }

  if (!process.env.MYCARD_TEST_DATABASE_URL) {
    console.log('platform (PostgreSQL): skipped — MYCARD_TEST_DATABASE_URL is not set');
    return results;
  }
  const postgres = await startPlatform('postgres');
  try {
    const cardId = await bindFreshUser(postgres);
    await warmUp(postgres);
    results.push(
      ...(await runGroup(
        'platform (PostgreSQL, app.inject)',
        [
          {
            name: 'GET /healthz',
            baseline: true,
            fn: async () => expectStatus(await postgres.app.inject({ url: '/healthz' }), 200, 'healthz'),
          },
          {
            name: 'POST /v1/cards/profile (HMAC, nonce, cond. update)',
            fn: profileUpdater(postgres, cardId),
          },
        ],
        { durationMs: 1500, warmupMs: 300, maxOps: 50_000 },
      )),
    );
  } finally {
    await postgres.close();
  }
  return results;
}
