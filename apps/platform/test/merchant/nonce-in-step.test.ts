import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCard } from '../helpers/cards.js';
import { code, type HttpPlatform, merchantCall, startHttpPlatform } from '../helpers/http-platform.js';
import { DIALECTS } from '../helpers/platform.js';

/**
 * Apply and the profile update store the call's nonce in the step's own transaction (one durable
 * commit per call). Attack-first: a replay of each is 1108 and changes nothing; a call refused
 * anywhere after the signature check (schema, token, state, version) still spends its nonce;
 * concurrent copies of one signed call are served once.
 */
describe.each(DIALECTS)('the nonce in the step’s transaction (%s)', (dialect) => {
  let platform: HttpPlatform;
  let creds: { channelId: string; channelSecret: string };
  let n = 7100;
  const pair = (r: { status: number; body: any }) => [r.status, r.body?.returnCode];
  const nonceCount = async () =>
    Number(
      (
        await platform.ctx.db
          .selectFrom('merchant_nonces')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const binding = (id: string) =>
    platform.ctx.db.selectFrom('bindings').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const profile = (body: unknown, nonce: string) =>
    merchantCall(platform.url, creds, 'POST', '/v1/cards/profile', body, { nonce });
  const apply = (body: unknown, nonce: string) =>
    merchantCall(platform.url, creds, 'POST', '/v1/bindings/apply', body, { nonce });

  beforeAll(async () => {
    platform = await startHttpPlatform(dialect);
    creds = await platform.program();
  });
  afterAll(async () => {
    await platform?.close();
  });

  it('refuses a replayed profile update (1108) and stores nothing of it', async () => {
    const w = await platform.wallet('n-profile');
    const bindingId = await addCard(platform, w, creds, code(n++));
    const nonce = crypto.randomUUID();
    const first = await profile({ bindingId, profile: { points: 5, version: 1 } }, nonce);
    expect(pair(first)).toEqual([200, '0000']);
    const before = await binding(bindingId);
    const nonces = await nonceCount();
    // The same signed call again, and the same nonce with a newer version: both replays.
    expect(pair(await profile({ bindingId, profile: { points: 5, version: 1 } }, nonce))).toEqual([
      401,
      '1108',
    ]);
    expect(pair(await profile({ bindingId, profile: { points: 9, version: 2 } }, nonce))).toEqual([
      401,
      '1108',
    ]);
    expect(await binding(bindingId)).toEqual(before);
    expect(await nonceCount()).toBe(nonces);
  });

  it('spends the nonce of a refused profile update: 3008, 3003 and 2101, then 1108 with the same nonce', async () => {
    const w = await platform.wallet('n-refused');
    const bindingId = await addCard(platform, w, creds, code(n++));
    expect(
      pair(await profile({ bindingId, profile: { points: 1, version: 5 } }, crypto.randomUUID())),
    ).toEqual([200, '0000']);
    const refusals: [unknown, [number, string]][] = [
      [{ bindingId, profile: { points: 2, version: 5 } }, [409, '3008']],
      [{ bindingId: 'A'.repeat(32), profile: { points: 2, version: 6 } }, [404, '3003']],
      [{ bindingId, profile: { points: 'many', version: 6 } }, [400, '2101']],
    ];
    for (const [body, answer] of refusals) {
      const nonce = crypto.randomUUID();
      const nonces = await nonceCount();
      expect(pair(await profile(body, nonce))).toEqual(answer);
      expect(await nonceCount()).toBe(nonces + 1);
      const before = await binding(bindingId);
      // A valid update signed with the spent nonce is a replay: nothing changes.
      expect(pair(await profile({ bindingId, profile: { points: 3, version: 6 } }, nonce))).toEqual([
        401,
        '1108',
      ]);
      expect(await binding(bindingId)).toEqual(before);
      expect(await nonceCount()).toBe(nonces + 1);
    }
  });

  it('refuses a replayed apply (1108): the completion token issued first stays the only one', async () => {
    const w = await platform.wallet('n-apply');
    const r = await w.reserve(creds.channelId);
    const body = { token: r.token, membershipCode: code(n++) };
    const nonce = crypto.randomUUID();
    expect(pair(await apply(body, nonce))).toEqual([200, '0000']);
    const before = await binding(r.bindingId);
    const nonces = await nonceCount();
    expect(pair(await apply(body, nonce))).toEqual([401, '1108']);
    expect(await binding(r.bindingId)).toEqual(before);
    expect(await nonceCount()).toBe(nonces);
  });

  it('spends the nonce of a refused apply (3001 token, 2103 code, 2101 schema) and applies nothing with it', async () => {
    const w = await platform.wallet('n-apply-refused');
    const r = await w.reserve(creds.channelId);
    const good = { token: r.token, membershipCode: code(n++) };
    const refusals: [unknown, [number, string]][] = [
      [{ token: `${r.token.slice(0, -4)}AAAA`, membershipCode: good.membershipCode }, [400, '3001']],
      [{ token: r.token, membershipCode: '123' }, [400, '2103']],
      [{ token: r.token }, [400, '2101']],
    ];
    for (const [body, answer] of refusals) {
      const nonce = crypto.randomUUID();
      const nonces = await nonceCount();
      expect(pair(await apply(body, nonce))).toEqual(answer);
      expect(await nonceCount()).toBe(nonces + 1);
      expect(pair(await apply(good, nonce))).toEqual([401, '1108']);
      expect((await binding(r.bindingId)).state).toBe('RESERVED');
    }
    expect(pair(await apply(good, crypto.randomUUID()))).toEqual([200, '0000']);
  });

  it('serves concurrent copies of one signed call once; the others are 1108', async () => {
    const w = await platform.wallet('n-race');
    const bindingId = await addCard(platform, w, creds, code(n++));
    const nonce = crypto.randomUUID();
    const nonces = await nonceCount();
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => profile({ bindingId, profile: { points: 7, version: 1 } }, nonce)),
    );
    const codes = answers.map((a) => a.body.returnCode).sort();
    expect(codes).toEqual(['0000', ...Array(7).fill('1108')]);
    expect(await nonceCount()).toBe(nonces + 1);
    // The same for refused copies: one 3008 spends the nonce, the rest are replays.
    const stale = crypto.randomUUID();
    const refused = await Promise.all(
      Array.from({ length: 8 }, () => profile({ bindingId, profile: { points: 7, version: 1 } }, stale)),
    );
    expect(refused.map((a) => a.body.returnCode).sort()).toEqual([...Array(7).fill('1108'), '3008']);
    expect(await nonceCount()).toBe(nonces + 2);
  });
});
