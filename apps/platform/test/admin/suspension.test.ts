import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleOperator, call, signUp } from '../console/console-client.js';
import { programOf, signUpAdmin } from '../helpers/admin.js';
import { addCard } from '../helpers/cards.js';
import {
  code,
  type HttpPlatform,
  merchantCall,
  merchantClient,
  startHttpPlatform,
} from '../helpers/http-platform.js';
import { DIALECTS } from '../helpers/platform.js';

describe.each(DIALECTS)('suspension on %s', (dialect) => {
  let platform: HttpPlatform;
  let owner: ConsoleOperator;
  let admin: ConsoleOperator;
  beforeAll(async () => {
    platform = await startHttpPlatform(dialect);
    owner = await signUp(platform, 'owner@shop.example');
    admin = await signUpAdmin(platform, 'admin@mycard.example');
  });
  afterAll(async () => {
    await platform?.close();
  });

  it('hides the program, pauses its cards, answers 1102 on its channel and refuses bindings in flight; reinstating restores all', async () => {
    const creds = await programOf(platform, owner, { status: 'LIVE', name: 'Night Market' });
    const holder = await platform.wallet('holder');
    const cardId = await addCard(platform, holder, creds, code(1));
    const midway = await platform.wallet('midway');
    const reserved = await midway.reserve(creds.channelId);
    const applied = await platform.wallet('applied');
    const r2 = await applied.reserve(creds.channelId);
    const a2 = await merchantClient(platform, creds).apply({ token: r2.token, membershipCode: code(2) });

    const suspend = await call(platform, admin, 'POST', `/admin/programs/${creds.channelId}/suspend`, {
      reason: 'Impersonates the Night Market association',
    });
    expect(suspend.json().info.program.status).toBe('SUSPENDED');

    const browse = await platform.wallet('browser');
    const list = await browse.get('/v1/programs');
    expect(list.body.info.programs.map((p: { channelId: string }) => p.channelId)).not.toContain(
      creds.channelId,
    );
    expect((await browse.get(`/v1/programs/${creds.channelId}`)).body.returnCode).toBe('4004');
    const cards = await holder.get('/v1/cards');
    expect(cards.body.info.cards).toHaveLength(1);
    expect(cards.body.info.cards[0]).toMatchObject({ bindingId: cardId, paused: true });
    expect((await holder.get(`/v1/cards/${cardId}`)).body.info.card.paused).toBe(true);

    const channel = await merchantCall(platform.url, creds, 'GET', `/v1/bindings/${cardId}`);
    expect([channel.status, channel.body.returnCode]).toEqual([403, '1102']);
    const apply = await merchantCall(platform.url, creds, 'POST', '/v1/bindings/apply', {
      token: reserved.token,
      membershipCode: code(3),
    });
    expect(apply.body.returnCode).toBe('1102');
    const complete = await applied.post('/v1/bindings/complete', {
      token: a2.completionToken,
      channelId: creds.channelId,
      status: 'SUCCESS',
    });
    expect([complete.status, complete.body.returnCode]).toEqual([403, '1102']);
    expect((await browse.post('/v1/bindings', { channelId: creds.channelId })).body.returnCode).toBe('1102');
    const states = await platform.ctx.db
      .selectFrom('bindings')
      .select(['id', 'state'])
      .where('channel_id', '=', creds.channelId)
      .execute();
    expect(Object.fromEntries(states.map((s) => [s.id, s.state]))).toEqual({
      [cardId]: 'ACTIVE',
      [reserved.bindingId]: 'RESERVED',
      [r2.bindingId]: 'APPLIED',
    });

    const audit = await platform.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('target_id', '=', creds.channelId)
      .execute();
    expect(audit.map((a) => [a.action, JSON.parse(a.details).reason])).toEqual([
      ['program.suspended', 'Impersonates the Night Market association'],
    ]);
    expect((await call(platform, owner, 'GET', '/notices')).json().info.notices[0]).toMatchObject({
      kind: 'program.suspended',
      reasons: ['Impersonates the Night Market association'],
    });

    await call(platform, admin, 'POST', `/admin/programs/${creds.channelId}/reinstate`, {
      reason: 'Cleared',
    });
    expect((await browse.get(`/v1/programs/${creds.channelId}`)).status).toBe(200);
    expect((await holder.get(`/v1/cards/${cardId}`)).body.info.card.paused).toBe(false);
    expect((await merchantCall(platform.url, creds, 'GET', `/v1/bindings/${cardId}`)).body.returnCode).toBe(
      '0000',
    );
    const done = await applied.post('/v1/bindings/complete', {
      token: a2.completionToken,
      channelId: creds.channelId,
      status: 'SUCCESS',
    });
    expect(done.status).toBe(200); // the binding in flight finishes after reinstatement
  });

  it('refuses suspending a program that is not LIVE and reinstating one that is not SUSPENDED (3004), changing nothing', async () => {
    const draft = await programOf(platform, owner);
    expect(
      (
        await call(platform, admin, 'POST', `/admin/programs/${draft.channelId}/suspend`, { reason: 'x' })
      ).json().returnCode,
    ).toBe('3004');
    expect(
      (
        await call(platform, admin, 'POST', `/admin/programs/${draft.channelId}/reinstate`, { reason: 'x' })
      ).json().returnCode,
    ).toBe('3004');
    expect(
      (await call(platform, admin, 'POST', '/admin/programs/0000000000/suspend', { reason: 'x' })).json()
        .returnCode,
    ).toBe('4004');
    expect(
      (await call(platform, admin, 'POST', `/admin/programs/${draft.channelId}/suspend`, {})).json()
        .returnCode,
    ).toBe('2101');
    const audit = await platform.ctx.db
      .selectFrom('audit_log')
      .select('id')
      .where('target_id', '=', draft.channelId)
      .execute();
    expect(audit).toEqual([]);
  });

  it('keeps the audit log append-only: UPDATE and DELETE are refused by the database', async () => {
    const row = await platform.ctx.db.selectFrom('audit_log').select('id').executeTakeFirstOrThrow();
    await expect(
      platform.ctx.db.updateTable('audit_log').set({ action: 'forged' }).where('id', '=', row.id).execute(),
    ).rejects.toThrow(/append-only/);
    await expect(platform.ctx.db.deleteFrom('audit_log').where('id', '=', row.id).execute()).rejects.toThrow(
      /append-only/,
    );
    const still = await platform.ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('id', '=', row.id)
      .executeTakeFirstOrThrow();
    expect(still.action).not.toBe('forged');
  });
});
