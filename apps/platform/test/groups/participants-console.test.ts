import { createMyCardClient } from '@mycard/merchant';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleOperator, call, createTestProgram, IMAGES, signUp } from '../console/console-client.js';
import { addCard } from '../helpers/cards.js';
import { apiError, code, type HttpPlatform, startHttpPlatform } from '../helpers/http-platform.js';
import { snapshotConsoleState } from '../helpers/organizations.js';
import { createClock, DIALECTS } from '../helpers/platform.js';

/**
 * The console side of group programs (PROTOCOL.md §8, docs/console-api.md "Groups"): make a group,
 * add participants with their own channel and secret (shown once, revealable, rotatable with
 * overlap), suspend and reinstate them, logos checked by content; and what the wallet shows of them.
 */
describe.each(DIALECTS)('group programs in the console and the wallet (PROTOCOL.md §8) on %s', (dialect) => {
  const clock = createClock(new Date());
  let platform: HttpPlatform;
  let owner: ConsoleOperator;
  let n = 8100;

  beforeAll(async () => {
    platform = await startHttpPlatform(dialect, { secretOverlap: 600 }, { now: clock.now });
    owner = await signUp(platform, 'group-owner@shop.example');
  });
  afterAll(async () => {
    await platform?.close();
  });

  async function liveProgram() {
    const created = await createTestProgram(platform, owner);
    await platform.ctx.db
      .updateTable('programs')
      .set({ status: 'LIVE' })
      .where('channel_id', '=', created.channelId)
      .execute();
    return created;
  }

  async function addParticipant(channelId: string, name: string) {
    clock.advance(1); // listed oldest first
    const res = await call(platform, owner, 'POST', `/programs/${channelId}/participants`, { name });
    expect(res.statusCode).toBe(201);
    return res.json().info as {
      participant: { participantId: string; channelId: string; name: string; status: string };
      channelSecret: string;
    };
  }

  it('adding a participant to a program that is no group is 3004 and stores nothing', async () => {
    const { channelId } = await liveProgram();
    const before = await snapshotConsoleState(platform);
    const res = await call(platform, owner, 'POST', `/programs/${channelId}/participants`, { name: 'Store' });
    expect([res.statusCode, res.json().returnCode]).toEqual([409, '3004']);
    expect(await snapshotConsoleState(platform)).toBe(before);
    const count = await platform.ctx.db
      .selectFrom('program_participants')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
    const list = await call(platform, owner, 'GET', `/programs/${channelId}/participants`);
    expect(list.json().info).toEqual({ group: false, participants: [] });
  });

  it('makes a group, adds participants with their own channels; the secret is shown once, then only by reveal', async () => {
    const { channelId, channelSecret: programSecret } = await liveProgram();
    const made = await call(platform, owner, 'POST', `/programs/${channelId}/group`, {});
    expect(made.json().info).toEqual({ group: true, participants: [] });
    // Idempotent.
    expect((await call(platform, owner, 'POST', `/programs/${channelId}/group`, {})).statusCode).toBe(200);
    const bakery = await addParticipant(channelId, 'Demo Bakery');
    const cafe = await addParticipant(channelId, 'Demo Café');
    expect(bakery.participant).toMatchObject({ name: 'Demo Bakery', status: 'ACTIVE', logoUrl: null });
    expect(bakery.participant.channelId).toMatch(/^[0-9]{10}$/);
    expect(bakery.participant.channelId).not.toBe(channelId);
    expect(bakery.participant.channelId).not.toBe(cafe.participant.channelId);
    expect(bakery.channelSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set([bakery.channelSecret, cafe.channelSecret, programSecret]).size).toBe(3);
    const list = await call(platform, owner, 'GET', `/programs/${channelId}/participants`);
    expect(list.body).not.toContain(bakery.channelSecret);
    expect(list.body).not.toContain(cafe.channelSecret);
    expect(list.json().info.participants.map((p: { name: string }) => p.name)).toEqual([
      'Demo Bakery',
      'Demo Café',
    ]);
    const shown = await call(
      platform,
      owner,
      'POST',
      `/programs/${channelId}/participants/${bakery.participant.participantId}/secret/reveal`,
      {},
    );
    expect(shown.json().info.channelSecret).toBe(bakery.channelSecret);
    expect(shown.headers['cache-control']).toBe('no-store');
    // Each reveal is in the audit log under the program.
    const audit = await platform.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('target_id', '=', channelId)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'program.group_made',
      'participant.added',
      'participant.added',
      'participant.secret_revealed',
    ]);
    expect(audit.map((a) => a.details).join()).not.toContain(bakery.channelSecret);
  });

  it("rotates a participant's secret with overlap: both work until previousExpiresAt, then only the new one", async () => {
    const { channelId } = await liveProgram();
    await call(platform, owner, 'POST', `/programs/${channelId}/group`, {});
    const store = await addParticipant(channelId, 'Rotating Store');
    const w = await platform.wallet('rotate-1');
    const admin = { channelId, channelSecret: (await createCreds(channelId)).channelSecret };
    const bindingId = await addCard(platform, w, admin, code(n++));
    const rotated = await call(
      platform,
      owner,
      'POST',
      `/programs/${channelId}/participants/${store.participant.participantId}/secret/rotate`,
      {},
    );
    const info = rotated.json().info as { channelSecret: string; previousExpiresAt: string };
    expect(info.channelSecret).not.toBe(store.channelSecret);
    expect(info.previousExpiresAt).toBe(new Date(clock.now().getTime() + 600_000).toISOString());
    const as = (secret: string) =>
      createMyCardClient({
        baseUrl: platform.url,
        channelId: store.participant.channelId,
        channelSecret: secret,
        kind: 'participant',
        maxRetries: 0,
      });
    expect((await as(store.channelSecret).getBinding(bindingId)).state).toBe('ACTIVE');
    expect((await as(info.channelSecret).getBinding(bindingId)).state).toBe('ACTIVE');
    const listed = await call(platform, owner, 'GET', `/programs/${channelId}/participants`);
    expect(listed.json().info.participants[0].secret.previousExpiresAt).toBe(info.previousExpiresAt);
    clock.advance(601);
    expect(await apiError(as(store.channelSecret).getBinding(bindingId))).toEqual([401, '1106']);
    expect((await as(info.channelSecret).getBinding(bindingId)).state).toBe('ACTIVE');
  });

  it('suspends a participant (1102 on the wire, hidden from the wallet) and reinstates it', async () => {
    const { channelId } = await liveProgram();
    await call(platform, owner, 'POST', `/programs/${channelId}/group`, {});
    const store = await addParticipant(channelId, 'Seasonal Store');
    const other = await addParticipant(channelId, 'Main Store');
    const w = await platform.wallet('suspend-1');
    const bindingId = await addCard(platform, w, await createCreds(channelId), code(n++));
    const path = `/programs/${channelId}/participants/${store.participant.participantId}`;
    const patched = await call(platform, owner, 'PATCH', path, { status: 'SUSPENDED' });
    expect(patched.json().info.participant.status).toBe('SUSPENDED');
    const client = createMyCardClient({
      baseUrl: platform.url,
      channelId: store.participant.channelId,
      channelSecret: store.channelSecret,
      kind: 'participant',
      maxRetries: 0,
    });
    expect(await apiError(client.getBinding(bindingId))).toEqual([403, '1102']);
    const card = await w.get(`/v1/cards/${bindingId}`);
    expect(card.body.info.card.program.participants).toEqual([
      { participantId: other.participant.participantId, name: 'Main Store', logoUrl: null },
    ]);
    await call(platform, owner, 'PATCH', path, { status: 'ACTIVE', name: 'Seasonal Store (open)' });
    expect((await client.getBinding(bindingId)).programChannelId).toBe(channelId);
    const listed = (await w.get(`/v1/cards/${bindingId}`)).body.info.card.program.participants;
    expect(listed.map((p: { name: string }) => p.name)).toEqual(['Seasonal Store (open)', 'Main Store']);
    // Unknown values and unknown fields are 2101; an empty patch too.
    for (const body of [{ status: 'CLOSED' }, { colour: 'red' }, {}]) {
      const res = await call(platform, owner, 'PATCH', path, body);
      expect([res.statusCode, res.json().returnCode]).toEqual([400, '2101']);
    }
  });

  it("participant logos are checked by content and shown on the wallet's card and program", async () => {
    const { channelId } = await liveProgram();
    await call(platform, owner, 'POST', `/programs/${channelId}/group`, {});
    const store = await addParticipant(channelId, 'Logo Store');
    const path = `/programs/${channelId}/participants/${store.participant.participantId}/logo`;
    const before = await platform.ctx.db.selectFrom('program_participants').selectAll().execute();
    const lying = await call(platform, owner, 'PUT', path, IMAGES.png, { 'content-type': 'image/jpeg' });
    expect([lying.statusCode, lying.json().returnCode]).toEqual([415, '2101']);
    const text = await call(platform, owner, 'PUT', path, '<svg/>', { 'content-type': 'image/svg+xml' });
    expect([text.statusCode, text.json().returnCode]).toEqual([415, '2101']);
    expect(await platform.ctx.db.selectFrom('program_participants').selectAll().execute()).toEqual(before);
    const ok = await call(platform, owner, 'PUT', path, IMAGES.png, { 'content-type': 'image/png' });
    const logoUrl = `/v1/participants/${store.participant.participantId}/logo`;
    expect(ok.json().info).toEqual({ logoUrl, contentType: 'image/png', bytes: IMAGES.png.length });
    const served = await fetch(`${platform.url}${logoUrl}`);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await served.arrayBuffer())).toEqual(IMAGES.png);
    expect(served.headers.get('cache-control')).toBe('public, max-age=300');
    expect(served.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    const again = await fetch(`${platform.url}${logoUrl}`, {
      headers: { 'if-none-match': String(served.headers.get('etag')) },
    });
    expect(again.status).toBe(304);
    const w = await platform.wallet('logo-1');
    const program = await w.get(`/v1/programs/${channelId}`);
    expect(program.body.info.program.participants).toEqual([
      { participantId: store.participant.participantId, name: 'Logo Store', logoUrl },
    ]);
    const bindingId = await addCard(platform, w, await createCreds(channelId), code(n++));
    const cards = await w.get('/v1/cards');
    const card = cards.body.info.cards.find((c: { bindingId: string }) => c.bindingId === bindingId);
    expect(card.program.participants).toEqual(program.body.info.program.participants);
    // A program that is no group has no participants field at all.
    const plain = await liveProgram();
    const plainView = await w.get(`/v1/programs/${plain.channelId}`);
    expect(plainView.body.info.program).not.toHaveProperty('participants');
  });

  it("another program's participant id is 4004 on every participant endpoint; nothing changes", async () => {
    const a = await liveProgram();
    const b = await liveProgram();
    for (const p of [a, b]) await call(platform, owner, 'POST', `/programs/${p.channelId}/group`, {});
    const storeOfB = await addParticipant(b.channelId, 'B Store');
    const before = await snapshotConsoleState(platform);
    const base = `/programs/${a.channelId}/participants/${storeOfB.participant.participantId}`;
    const attempts = [
      await call(platform, owner, 'PATCH', base, { status: 'SUSPENDED' }),
      await call(platform, owner, 'POST', `${base}/secret/reveal`, {}),
      await call(platform, owner, 'POST', `${base}/secret/rotate`, {}),
      await call(platform, owner, 'PUT', `${base}/logo`, IMAGES.png, { 'content-type': 'image/png' }),
    ];
    expect(attempts.map((r) => [r.statusCode, r.json().returnCode])).toEqual([
      [404, '4004'],
      [404, '4004'],
      [404, '4004'],
      [404, '4004'],
    ]);
    for (const r of attempts) expect(r.body).not.toContain(storeOfB.channelSecret);
    expect(await snapshotConsoleState(platform)).toBe(before);
  });

  /** The program's current secret (revealed through the console). */
  async function createCreds(channelId: string) {
    const res = await call(platform, owner, 'POST', `/programs/${channelId}/secret/reveal`, {});
    return { channelId, channelSecret: res.json().info.channelSecret as string };
  }
});
