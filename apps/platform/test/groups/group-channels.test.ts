import { createMyCardClient } from '@mycard/merchant';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defined } from '../../../../test-support/defined.js';
import { createParticipant, makeGroupProgram } from '../../src/groups/participant-repository.js';
import { addCard } from '../helpers/cards.js';
import {
  apiError,
  code,
  type HttpPlatform,
  merchantCall,
  merchantClient,
  startHttpPlatform,
} from '../helpers/http-platform.js';
import { createClock, DIALECTS } from '../helpers/platform.js';

type Creds = { channelId: string; channelSecret: string };

/**
 * Group participants' channels on the merchant API (PROTOCOL.md §8): what they may call (one-time
 * keys and binding states of the group's cards, answers with programChannelId), what they may not
 * (1103), a suspended participant (1102), another group's card (3011/3003). Refusals first, each
 * showing that nothing was stored.
 */
describe.each(DIALECTS)('group participant channels (PROTOCOL.md §8) on %s', (dialect) => {
  const clock = createClock(new Date());
  let platform: HttpPlatform;
  let n = 7100;
  let groupA: Creds;
  let groupB: Creds;
  let storeA1: Creds;
  let storeA2: Creds;
  let storeB1: Creds;

  async function participant(program: Creds, name: string): Promise<Creds> {
    const { participant, channelSecret } = await createParticipant(platform.ctx, program.channelId, name);
    return { channelId: participant.channelId, channelSecret };
  }

  /** Every row of the tables a merchant call could change, as one comparable text. */
  async function snapshot(): Promise<string> {
    const db = platform.ctx.db;
    const out: Record<string, string[]> = {};
    for (const table of [
      'bindings',
      'webhook_outbox',
      'one_time_key_uses',
      'one_time_keys',
      'card_messages',
      'program_participants',
      'program_secrets',
    ] as const) {
      const rows = await db.selectFrom(table).selectAll().execute();
      out[table] = rows.map((r) => JSON.stringify(r)).sort();
    }
    return JSON.stringify(out);
  }

  beforeAll(async () => {
    platform = await startHttpPlatform(dialect, {}, { now: clock.now });
    groupA = await platform.program({ name: 'Group A', webhookUrl: 'https://a.example/hook' });
    groupB = await platform.program({ name: 'Group B' });
    await makeGroupProgram(platform.ctx, groupA.channelId);
    await makeGroupProgram(platform.ctx, groupB.channelId);
    storeA1 = await participant(groupA, 'A Bakery');
    storeA2 = await participant(groupA, 'A Café');
    storeB1 = await participant(groupB, 'B Books');
  });
  afterAll(async () => {
    await platform?.close();
  });

  it('a participant channel calling Apply, profile, unbind or messages gets 1103, and nothing is stored', async () => {
    const w = await platform.wallet('g-1103');
    const bindingId = await addCard(platform, w, groupA, code(n++));
    const reserved = await (await platform.wallet('g-1103-in-flight')).reserve(groupA.channelId);
    const before = await snapshot();
    // The program client's calls, signed with the participant's own credentials.
    const asStore = createMyCardClient({ baseUrl: platform.url, ...storeA1, maxRetries: 0 });
    const refused = [
      await apiError(asStore.apply({ token: reserved.token, membershipCode: code(n++) })),
      await apiError(asStore.updateProfile({ bindingId, profile: { points: 999, version: 50 } })),
      await apiError(asStore.unbind({ bindingId })),
      await apiError(asStore.sendMessage({ bindingId, messageId: 'm1', title: 'Hi', body: 'Hello' })),
    ];
    expect(refused).toEqual([
      [403, '1103'],
      [403, '1103'],
      [403, '1103'],
      [403, '1103'],
    ]);
    // Refused before the body is looked at: a malformed body is 1103 too, not 2101.
    const malformed = await merchantCall(platform.url, storeA1, 'POST', '/v1/cards/profile', {
      nonsense: true,
    });
    expect([malformed.status, malformed.body.returnCode]).toEqual([403, '1103']);
    expect(await snapshot()).toBe(before);
    // The binding in flight still completes through the program's own channel.
    const own = await merchantClient(platform, groupA).apply({
      token: reserved.token,
      membershipCode: code(n++),
    });
    expect(own.bindingId).toBe(reserved.bindingId);
  });

  it('a SUSPENDED participant gets 1102, also on the calls it may make, and its key lookups store nothing', async () => {
    const w = await platform.wallet('g-1102');
    const bindingId = await addCard(platform, w, groupA, code(n++));
    const key = (await w.post('/v1/mycode')).body.info.oneTimeKey as string;
    const suspended = await participant(groupA, 'Closing Store');
    await platform.ctx.db
      .updateTable('program_participants')
      .set({ status: 'SUSPENDED' })
      .where('channel_id', '=', suspended.channelId)
      .execute();
    const before = await snapshot();
    const client = createMyCardClient({
      baseUrl: platform.url,
      ...suspended,
      kind: 'participant',
      maxRetries: 0,
    });
    expect(await apiError(client.resolveOneTimeKey(key))).toEqual([403, '1102']);
    expect(await apiError(client.getBinding(bindingId))).toEqual([403, '1102']);
    const apply = await merchantCall(platform.url, suspended, 'POST', '/v1/cards/profile', {
      bindingId,
      profile: { version: 70 },
    });
    expect([apply.status, apply.body.returnCode]).toEqual([403, '1102']);
    expect(await snapshot()).toBe(before);
    // Reinstated, it works again, and the key was not used up meanwhile.
    await platform.ctx.db
      .updateTable('program_participants')
      .set({ status: 'ACTIVE' })
      .where('channel_id', '=', suspended.channelId)
      .execute();
    expect((await client.resolveOneTimeKey(key)).bindingId).toBe(bindingId);
  });

  it('a participant of a SUSPENDED group program gets 1102 on every call; reinstated, it works again', async () => {
    const program = await platform.program({ name: 'Paused Group' });
    await makeGroupProgram(platform.ctx, program.channelId);
    const store = await participant(program, 'Paused Store');
    const w = await platform.wallet('g-1102-program');
    const bindingId = await addCard(platform, w, program, code(n++));
    const key = (await w.post('/v1/mycode')).body.info.oneTimeKey as string;
    const setStatus = (status: 'LIVE' | 'SUSPENDED') =>
      platform.ctx.db
        .updateTable('programs')
        .set({ status })
        .where('channel_id', '=', program.channelId)
        .execute();
    await setStatus('SUSPENDED');
    const before = await snapshot();
    const client = createMyCardClient({
      baseUrl: platform.url,
      ...store,
      kind: 'participant',
      maxRetries: 0,
    });
    expect(await apiError(client.resolveOneTimeKey(key))).toEqual([403, '1102']);
    expect(await apiError(client.getBinding(bindingId))).toEqual([403, '1102']);
    expect(await snapshot()).toBe(before);
    await setStatus('LIVE');
    expect((await client.resolveOneTimeKey(key)).programChannelId).toBe(program.channelId);
  });

  it("a participant of group B cannot resolve a key for group A's card (3011) nor read A's binding (3003); nothing stored", async () => {
    const w = await platform.wallet('g-3011');
    const bindingId = await addCard(platform, w, groupA, code(n++));
    const key = (await w.post('/v1/mycode')).body.info.oneTimeKey as string;
    const before = await snapshot();
    const b1 = createMyCardClient({ baseUrl: platform.url, ...storeB1, kind: 'participant', maxRetries: 0 });
    expect(await apiError(b1.resolveOneTimeKey(key))).toEqual([404, '3011']);
    expect(await apiError(b1.getBinding(bindingId))).toEqual([404, '3003']);
    // Nor can a plain program's channel, nor group B's own channel.
    expect(await apiError(merchantClient(platform, groupB).resolveOneTimeKey(key))).toEqual([404, '3011']);
    expect(await snapshot()).toBe(before);
    // The key is still good at group A's stores.
    const a1 = createMyCardClient({ baseUrl: platform.url, ...storeA1, kind: 'participant', maxRetries: 0 });
    expect((await a1.resolveOneTimeKey(key)).bindingId).toBe(bindingId);
  });

  it('resolves a My Code to the group card at each participant independently, with programChannelId', async () => {
    const w = await platform.wallet('g-resolve');
    const membershipCode = code(n++);
    const bindingId = await addCard(platform, w, groupA, membershipCode);
    const key = (await w.post('/v1/mycode')).body.info.oneTimeKey as string;
    const a1 = createMyCardClient({ baseUrl: platform.url, ...storeA1, kind: 'participant', maxRetries: 0 });
    const a2 = createMyCardClient({ baseUrl: platform.url, ...storeA2, kind: 'participant', maxRetries: 0 });
    const first = await a1.resolveOneTimeKey(key);
    expect(first).toEqual({
      bindingId,
      membershipCode,
      resolvedAt: clock.now().toISOString(),
      programChannelId: groupA.channelId,
    });
    clock.advance(20);
    // A2 resolves it on its own (its own use, its own time); A1's retry gets A1's first answer.
    const second = await a2.resolveOneTimeKey(key);
    expect(second).toEqual({ ...first, resolvedAt: clock.now().toISOString() });
    expect(await a1.resolveOneTimeKey(key)).toEqual(first);
    // The program's own channel too, without programChannelId (it is its own).
    const own = await merchantClient(platform, groupA).resolveOneTimeKey(key);
    expect(own).toEqual({ bindingId, membershipCode, resolvedAt: clock.now().toISOString() });
    const uses = await platform.ctx.db
      .selectFrom('one_time_key_uses')
      .select('channel_id')
      .where('binding_id', '=', bindingId)
      .execute();
    expect(uses.map((u) => u.channel_id).sort()).toEqual(
      [storeA1.channelId, storeA2.channelId, groupA.channelId].sort(),
    );
    // Expired: 3010 for every channel, also one that resolved it.
    clock.advance(300);
    expect(await apiError(a1.resolveOneTimeKey(key))).toEqual([404, '3010']);
    expect(await apiError(a2.resolveOneTimeKey(key))).toEqual([404, '3010']);
  });

  it("reads the group card's binding state with programChannelId; the program's own answer is unchanged", async () => {
    const w = await platform.wallet('g-binding');
    const membershipCode = code(n++);
    const bindingId = await addCard(platform, w, groupA, membershipCode);
    const a2 = createMyCardClient({ baseUrl: platform.url, ...storeA2, kind: 'participant', maxRetries: 0 });
    const status = await a2.getBinding(bindingId);
    expect(status).toMatchObject({
      bindingId,
      state: 'ACTIVE',
      membershipCode,
      programChannelId: groupA.channelId,
    });
    const own = await merchantClient(platform, groupA).getBinding(bindingId);
    expect(own).not.toHaveProperty('programChannelId');
    expect({ ...own, programChannelId: groupA.channelId }).toEqual(status);
  });

  it("a participant's channel signs with its own secret only: the group program's secret is 1106", async () => {
    const w = await platform.wallet('g-1106');
    const bindingId = await addCard(platform, w, groupA, code(n++));
    const before = await snapshot();
    const wrong = createMyCardClient({
      baseUrl: platform.url,
      channelId: storeA1.channelId,
      channelSecret: groupA.channelSecret,
      kind: 'participant',
      maxRetries: 0,
    });
    expect(await apiError(wrong.getBinding(bindingId))).toEqual([401, '1106']);
    expect(await snapshot()).toBe(before);
  });

  it('the participant client offers only the calls a participant may make (types and object)', () => {
    const client = createMyCardClient({ baseUrl: platform.url, ...storeA1, kind: 'participant' });
    expect(client.kind).toBe('participant');
    expect(Object.keys(client).sort()).toEqual(['channelId', 'getBinding', 'kind', 'resolveOneTimeKey']);
    // @ts-expect-error a participant client has no Apply (the platform would answer 1103)
    expect(client.apply).toBeUndefined();
    defined(client.resolveOneTimeKey);
  });
});
