import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ACTOR } from '../../src/audit/actor.js';
import { createBundle } from '../../src/bundles/bundle-repository.js';
import { createReport } from '../../src/reports/report-repository.js';
import { type ConsoleOperator, call, IMAGES, signUp } from '../console/console-client.js';
import { adminDump, programOf, requestGoLive, signUpAdmin } from '../helpers/admin.js';
import { DIALECTS, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

interface Fixture {
  draft: string;
  live: string;
  suspended: string;
  reviewId: string;
  reportId: string;
  bundleId: string;
}

type Endpoint = [
  method: 'GET' | 'POST' | 'PATCH' | 'PUT',
  path: (f: Fixture) => string,
  body?: unknown | ((f: Fixture) => unknown),
  headers?: Record<string, string>,
];

/** Every admin endpoint; the OpenAPI check below fails when one is added without being listed here. */
const ENDPOINTS: Endpoint[] = [
  ['GET', () => '/admin/programs'],
  ['POST', (f) => `/admin/programs/${f.live}/suspend`, { reason: 'impersonates a shop' }],
  ['POST', (f) => `/admin/programs/${f.suspended}/reinstate`, { reason: 'cleared' }],
  ['GET', () => '/admin/reviews'],
  ['GET', (f) => `/admin/reviews/${f.reviewId}`],
  ['POST', (f) => `/admin/reviews/${f.reviewId}/approve`, {}],
  ['POST', (f) => `/admin/reviews/${f.reviewId}/reject`, { reasons: ['logo of another shop'] }],
  ['GET', () => '/admin/reports'],
  ['POST', (f) => `/admin/reports/${f.reportId}/resolve`, { resolution: 'dismissed' }],
  ['GET', () => '/admin/audit'],
  ['GET', () => '/admin/figures'],
  ['GET', () => '/admin/bundles'],
  [
    'POST',
    () => '/admin/bundles',
    (f: Fixture) => ({
      name: 'Night market',
      startsAt: '2026-12-01T00:00:00Z',
      endsAt: '2026-12-31T00:00:00Z',
      channelIds: [f.live, f.draft],
    }),
  ],
  ['GET', (f) => `/admin/bundles/${f.bundleId}`],
  ['PATCH', (f) => `/admin/bundles/${f.bundleId}`, { name: 'Night market, week 2' }],
  [
    'PUT',
    (f) => `/admin/bundles/${f.bundleId}/programs`,
    (f: Fixture) => ({ channelIds: [f.live, f.suspended] }),
  ],
  ['PUT', (f) => `/admin/bundles/${f.bundleId}/banner`, IMAGES.png, { 'content-type': 'image/png' }],
  ['GET', (f) => `/admin/bundles/${f.bundleId}/figures`],
];

describe.each(DIALECTS)('admin endpoints × roles on %s', (dialect) => {
  let platform: TestPlatform;
  let owner: ConsoleOperator;
  let stranger: ConsoleOperator;
  let admin: ConsoleOperator;
  beforeAll(async () => {
    platform = await startTestPlatform(dialect, { programReview: 'required' });
    owner = await signUp(platform, 'owner@shop.example');
    stranger = await signUp(platform, 'stranger@other.example');
    admin = await signUpAdmin(platform, 'admin@mycard.example');
  });
  afterAll(async () => {
    await platform?.close();
  });

  /** Fresh objects for one endpoint: a draft in review, a LIVE and a SUSPENDED program, an open report. */
  async function fixture(): Promise<Fixture> {
    const draft = (await programOf(platform, owner)).channelId;
    const reviewId = await requestGoLive(platform, owner, draft);
    const live = (await programOf(platform, owner, { status: 'LIVE' })).channelId;
    const suspended = (await programOf(platform, owner, { status: 'SUSPENDED' })).channelId;
    const created = await createReport(platform.ctx, {
      userId: `dev:reporter-${draft}`,
      channelId: live,
      bindingId: null,
      reason: 'scam',
      text: '',
    });
    if (!('report' in created)) throw new Error('report refused');
    const bundleId = await createBundle(platform.ctx, CLI_ACTOR, {
      name: 'Night market',
      startsAt: '2026-12-01T00:00:00Z',
      endsAt: '2026-12-31T00:00:00Z',
      channelIds: [live, draft],
    });
    return { draft, live, suspended, reviewId, reportId: created.report.reportId, bundleId };
  }

  it('lists every admin route of the OpenAPI document', () => {
    const doc = platform.app.swagger() as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/v1/console/admin/'))
      .flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    const f: Fixture = {
      draft: '{channelId}',
      live: '{channelId}',
      suspended: '{channelId}',
      reviewId: '{reviewId}',
      reportId: '{reportId}',
      bundleId: '{bundleId}',
    };
    const listed = [...new Set(ENDPOINTS.map(([m, p]) => `${m} /v1/console${p(f)}`))].sort();
    expect(listed).toEqual(documented);
  });

  it.each(
    ENDPOINTS.map(
      (e) =>
        [
          `${e[0]} ${e[1]({ draft: ':draft', live: ':live', suspended: ':suspended', reviewId: ':review', reportId: ':report', bundleId: ':bundle' })}`,
          e,
        ] as const,
    ),
  )(
    '%s: 4001 without a session, 4003 for the owner and another operator (nothing changed), 200 for a platform administrator',
    async (_name, [method, path, bodyOf, headers]) => {
      const f = await fixture();
      const body = typeof bodyOf === 'function' ? bodyOf(f) : bodyOf;
      const before = await adminDump(platform);
      const anonymous = await call(platform, undefined, method, path(f), body, headers);
      expect([anonymous.statusCode, anonymous.json().returnCode]).toEqual([401, '4001']);
      for (const op of [owner, stranger]) {
        const denied = await call(platform, op, method, path(f), body, headers);
        expect([denied.statusCode, denied.json().returnCode]).toEqual([403, '4003']);
        expect(denied.json().info).toBeUndefined();
      }
      expect(await adminDump(platform)).toBe(before);
      const allowed = await call(platform, admin, method, path(f), body, headers);
      expect([allowed.statusCode, allowed.json().returnCode]).toEqual([
        method === 'POST' && path(f) === '/admin/bundles' ? 201 : 200,
        '0000',
      ]);
      if (method !== 'GET') expect(await adminDump(platform)).not.toBe(before);
    },
  );

  it('shows the role in /me; a revoked role closes the admin area at the next call', async () => {
    const me = await call(platform, admin, 'GET', '/me');
    expect(me.json().info.operator.platformRole).toBe('platform-admin');
    expect((await call(platform, owner, 'GET', '/me')).json().info.operator.platformRole).toBeNull();
    const temp = await signUpAdmin(platform, 'temp-admin@mycard.example');
    expect((await call(platform, temp, 'GET', '/admin/programs')).statusCode).toBe(200);
    await platform.ctx.db
      .updateTable('operators')
      .set({ platform_role: null })
      .where('id', '=', temp.id)
      .execute();
    expect((await call(platform, temp, 'GET', '/admin/programs')).json().returnCode).toBe('4003');
  });
});
