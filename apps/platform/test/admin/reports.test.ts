import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleOperator, call, signUp } from '../console/console-client.js';
import { programOf, signUpAdmin } from '../helpers/admin.js';
import { addCard } from '../helpers/cards.js';
import { code, type HttpPlatform, startHttpPlatform } from '../helpers/http-platform.js';
import { DIALECTS } from '../helpers/platform.js';

describe.each(DIALECTS)('wallet reports on %s', (dialect) => {
  let platform: HttpPlatform;
  let owner: ConsoleOperator;
  let admin: ConsoleOperator;
  beforeAll(async () => {
    platform = await startHttpPlatform(dialect, { rateLimits: { reportsPerDay: 3 } });
    owner = await signUp(platform, 'owner@shop.example');
    admin = await signUpAdmin(platform, 'admin@mycard.example');
  });
  afterAll(async () => {
    await platform?.close();
  });
  const count = async () =>
    (await platform.ctx.db.selectFrom('program_reports').select('id').execute()).length;

  it('lands a report of a program page or a card in the admin queue, without the user id', async () => {
    const creds = await programOf(platform, owner, { status: 'LIVE' });
    const user = await platform.wallet('reporter');
    const cardId = await addCard(platform, user, creds, code(7));
    const page = await user.post(`/v1/programs/${creds.channelId}/reports`, {
      reason: 'impersonation',
      text: 'Not the real shop',
    });
    expect(page.status).toBe(201);
    const card = await user.post(`/v1/programs/${creds.channelId}/reports`, {
      reason: 'scam',
      bindingId: cardId,
    });
    expect(card.status).toBe(201);
    const queue = (await call(platform, admin, 'GET', '/admin/reports')).json().info.reports;
    const mine = queue.filter((r: { channelId: string }) => r.channelId === creds.channelId);
    expect(
      mine.map((r: { reason: string; bindingId: string | null }) => [r.reason, r.bindingId]).sort(),
    ).toEqual([
      ['impersonation', null],
      ['scam', cardId],
    ]);
    expect(JSON.stringify(queue)).not.toContain('dev:reporter');
    const resolved = await call(platform, admin, 'POST', `/admin/reports/${mine[0].reportId}/resolve`, {
      resolution: 'dismissed',
    });
    expect(resolved.json().info.report.state).toBe('RESOLVED');
    expect(
      (
        await call(platform, admin, 'POST', `/admin/reports/${mine[0].reportId}/resolve`, {
          resolution: 'dismissed',
        })
      ).json().returnCode,
    ).toBe('3004');
  });

  it('limits reports per user per 24 hours (4029 with Retry-After, nothing stored)', async () => {
    const creds = await programOf(platform, owner, { status: 'LIVE' });
    const user = await platform.wallet('busy');
    for (let i = 0; i < 3; i++) {
      expect((await user.post(`/v1/programs/${creds.channelId}/reports`, { reason: 'other' })).status).toBe(
        201,
      );
    }
    const before = await count();
    const limited = await user.post(`/v1/programs/${creds.channelId}/reports`, { reason: 'other' });
    expect([limited.status, limited.body.returnCode]).toEqual([429, '4029']);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await count()).toBe(before);
    const other = await platform.wallet('someone-else');
    expect((await other.post(`/v1/programs/${creds.channelId}/reports`, { reason: 'other' })).status).toBe(
      201,
    );
  });

  it('refuses reports of programs the user cannot see, of another user’s card, and bad input, storing nothing', async () => {
    const hidden = await programOf(platform, owner); // DRAFT, no testers
    const live = await programOf(platform, owner, { status: 'LIVE' });
    const alice = await platform.wallet('alice');
    const bob = await platform.wallet('bob');
    const aliceCard = await addCard(platform, alice, live, code(9));
    const before = await count();
    expect(
      (await bob.post(`/v1/programs/${hidden.channelId}/reports`, { reason: 'scam' })).body.returnCode,
    ).toBe('4004');
    expect(
      (await bob.post(`/v1/programs/${live.channelId}/reports`, { reason: 'scam', bindingId: aliceCard }))
        .body.returnCode,
    ).toBe('4003');
    expect(
      (await bob.post(`/v1/programs/${live.channelId}/reports`, { reason: 'nonsense' })).body.returnCode,
    ).toBe('2101');
    expect(
      (await bob.post(`/v1/programs/${live.channelId}/reports`, { reason: 'other', text: 'x'.repeat(1001) }))
        .body.returnCode,
    ).toBe('2101');
    expect(
      (await bob.post(`/v1/programs/${live.channelId}/reports`, { reason: 'other', extra: 1 })).body
        .returnCode,
    ).toBe('2101');
    bob.origin = 'https://evil.example';
    expect(
      (await bob.post(`/v1/programs/${live.channelId}/reports`, { reason: 'other' })).body.returnCode,
    ).toBe('4003');
    expect(await count()).toBe(before);
  });
});
