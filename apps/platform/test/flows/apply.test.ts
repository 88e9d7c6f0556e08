import type { MyCardClient } from '@mycard/merchant';
import { buildBindingClaims, signBindingToken } from '@mycard/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiError,
  code,
  type HttpPlatform,
  merchantCall,
  startProgramPlatform,
  type WalletClient,
} from '../helpers/http-platform.js';
import { concurrencyTitle, createClock, DIALECTS } from '../helpers/platform.js';

describe.each(DIALECTS)('Apply API (PROTOCOL.md §4.5) on %s', (dialect) => {
  const clock = createClock(new Date());
  let platform: HttpPlatform;
  let creds: { channelId: string; channelSecret: string };
  let client: MyCardClient;
  let n = 100;
  beforeAll(async () => {
    ({ platform, creds, client } = await startProgramPlatform(dialect, clock.now));
  });
  afterAll(async () => {
    await platform?.close();
  });

  const binding = (id: string) =>
    platform.ctx.db.selectFrom('bindings').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const complete = (w: WalletClient, token: string, channelId = creds.channelId) =>
    w.post('/v1/bindings/complete', { token, channelId, status: 'SUCCESS' });

  it('refuses a token for another channel with 3001 and stores nothing', async () => {
    const other = await platform.program();
    const w = await platform.wallet('a1');
    const r = await w.reserve(other.channelId);
    const before = await platform.counts();
    expect(await apiError(client.apply({ token: r.token, membershipCode: code(n++) }))).toEqual([
      400,
      '3001',
    ]);
    expect(await apiError(client.apply({ token: 'not.a.token', membershipCode: code(n++) }))).toEqual([
      400,
      '3001',
    ]);
    // A token signed by someone else's key.
    const forged = await signBindingToken(
      buildBindingClaims({
        issuer: platform.url,
        channelId: creds.channelId,
        subject: 's',
        bindingId: r.bindingId,
        nonce: 'n',
        callback: 'c',
        now: clock.now(),
      }),
      {
        kid: platform.ctx.keys.current().kid,
        privateKey: (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign']))
          .privateKey,
      },
    );
    expect(await apiError(client.apply({ token: forged, membershipCode: code(n++) }))).toEqual([400, '3001']);
    expect(await platform.counts()).toEqual(before);
    expect((await binding(r.bindingId)).state).toBe('RESERVED');
  });

  it('refuses an expired token with 3002', async () => {
    const w = await platform.wallet('a2');
    const r = await w.reserve(creds.channelId);
    clock.advance(601);
    expect(await apiError(client.apply({ token: r.token, membershipCode: code(n++) }))).toEqual([
      410,
      '3002',
    ]);
    expect((await binding(r.bindingId)).membership_code).toBeNull();
  });

  it('answers 3003 for a valid token of an unknown binding', async () => {
    const token = await signBindingToken(
      buildBindingClaims({
        issuer: platform.url,
        channelId: creds.channelId,
        subject: 's',
        bindingId: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
        nonce: 'n',
        callback: `${platform.url}/wallet/bindings/callback`,
        now: clock.now(),
      }),
      platform.ctx.keys.current(),
    );
    const before = await platform.counts();
    expect(await apiError(client.apply({ token, membershipCode: code(n++) }))).toEqual([404, '3003']);
    expect(await platform.counts()).toEqual(before);
  });

  it('answers 2103 for a code the code type cannot carry', async () => {
    const w = await platform.wallet('a3');
    const r = await w.reserve(creds.channelId);
    expect(await apiError(client.apply({ token: r.token, membershipCode: '4901234567890' }))).toEqual([
      400,
      '2103',
    ]);
    expect(await apiError(client.apply({ token: r.token, membershipCode: 'abc' }))).toEqual([400, '2103']);
    expect((await binding(r.bindingId)).state).toBe('RESERVED');
  });

  it('re-issues the completion token for the same code (old one dies) and answers 3004 for another code', async () => {
    const w = await platform.wallet('a4');
    const r = await w.reserve(creds.channelId);
    const c = code(n++);
    const first = await client.apply({ token: r.token, membershipCode: c });
    const second = await client.apply({ token: r.token, membershipCode: c });
    expect(second.bindingId).toBe(first.bindingId);
    expect(second.completionToken).not.toBe(first.completionToken);
    expect(await apiError(client.apply({ token: r.token, membershipCode: code(n++) }))).toEqual([
      409,
      '3004',
    ]);
    expect((await binding(r.bindingId)).membership_code).toBe(c);
    const old = await complete(w, first.completionToken);
    expect([old.status, old.body.returnCode]).toEqual([404, '3003']);
    const ok = await complete(w, second.completionToken);
    expect(ok.status).toBe(200);
    // Applying again after completion: 3004.
    expect(await apiError(client.apply({ token: r.token, membershipCode: c }))).toEqual([409, '3004']);
  });

  it(concurrencyTitle(dialect, 'exactly one of 20 parallel applies with distinct codes wins'), async () => {
    const w = await platform.wallet('a5');
    const r = await w.reserve(creds.channelId);
    const codes = Array.from({ length: 20 }, () => code(n++));
    const results = await Promise.allSettled(
      codes.map((c) => client.apply({ token: r.token, membershipCode: c })),
    );
    const wins = results.filter((x) => x.status === 'fulfilled');
    expect(wins).toHaveLength(1);
    for (const x of results) {
      if (x.status === 'rejected') expect([x.reason.status, x.reason.returnCode]).toEqual([409, '3004']);
    }
    const row = await binding(r.bindingId);
    expect(row.state).toBe('APPLIED');
    expect(codes).toContain(row.membership_code);
  });

  it('answers 3005 when another user holds the code, and frees codes of abandoned bindings', async () => {
    const c = code(n++);
    const u1 = await platform.wallet('a6');
    const u2 = await platform.wallet('a7');
    const r1 = await u1.reserve(creds.channelId);
    const a1 = await client.apply({ token: r1.token, membershipCode: c });
    // u1's APPLIED binding is live: u2 cannot take the code.
    const r2 = await u2.reserve(creds.channelId);
    const before = await platform.counts();
    expect(await apiError(client.apply({ token: r2.token, membershipCode: c }))).toEqual([409, '3005']);
    expect(await platform.counts()).toEqual(before);
    expect((await binding(r2.bindingId)).state).toBe('RESERVED');
    // u1 starts again in another tab with the same code: the abandoned binding is cancelled.
    const r1b = await u1.reserve(creds.channelId);
    await client.apply({ token: r1b.token, membershipCode: c });
    expect((await binding(r1.bindingId)).state).toBe('CANCELLED');
    const stale = await complete(u1, a1.completionToken);
    expect([stale.status, stale.body.returnCode]).toEqual([409, '3004']);
    // Once u1's completion token has expired, u2 may take the code: the stale holder is EXPIRED.
    clock.advance(601);
    const r2b = await u2.reserve(creds.channelId);
    await client.apply({ token: r2b.token, membershipCode: c });
    expect((await binding(r1b.bindingId)).state).toBe('EXPIRED');
    // And an ACTIVE card's code is never taken.
    const a2 = await platform.wallet('a8');
    const done = await complete(
      u2,
      (await client.apply({ token: r2b.token, membershipCode: c })).completionToken,
    );
    expect(done.status).toBe(200);
    const r3 = await a2.reserve(creds.channelId);
    expect(await apiError(client.apply({ token: r3.token, membershipCode: c }))).toEqual([409, '3005']);
  });

  it('answers 3006 when the user completed another binding of the program meanwhile', async () => {
    const w = await platform.wallet('a9');
    const r1 = await w.reserve(creds.channelId);
    const r2 = await w.reserve(creds.channelId);
    const a1 = await client.apply({ token: r1.token, membershipCode: code(n++) });
    expect((await complete(w, a1.completionToken)).status).toBe(200);
    expect(await apiError(client.apply({ token: r2.token, membershipCode: code(n++) }))).toEqual([
      409,
      '3006',
    ]);
    expect((await binding(r2.bindingId)).state).toBe('RESERVED');
    // And reserving again is refused up front.
    const again = await w.post('/v1/bindings', { channelId: creds.channelId });
    expect([again.status, again.body.returnCode]).toEqual([409, '3006']);
  });

  it('stores the optional profile and rejects unknown fields (2101) and oversized bodies (2102)', async () => {
    const w = await platform.wallet('a10');
    const r = await w.reserve(creds.channelId);
    const unknown = await merchantCall(platform.url, creds, 'POST', '/v1/bindings/apply', {
      token: r.token,
      membershipCode: code(n++),
      extra: 1,
    });
    expect([unknown.status, unknown.body.returnCode]).toEqual([400, '2101']);
    const badProfile = await merchantCall(platform.url, creds, 'POST', '/v1/bindings/apply', {
      token: r.token,
      membershipCode: code(n++),
      profile: { points: 1 },
    });
    expect([badProfile.status, badProfile.body.returnCode]).toEqual([400, '2101']);
    const big = await merchantCall(platform.url, creds, 'POST', '/v1/bindings/apply', {
      token: r.token,
      membershipCode: code(n++),
      pad: 'x'.repeat(17 * 1024),
    });
    expect([big.status, big.body.returnCode]).toEqual([413, '2102']);
    const badJson = await merchantCall(platform.url, creds, 'POST', '/v1/bindings/apply', undefined, {
      rawBody: '{"token":',
    });
    expect([badJson.status, badJson.body.returnCode]).toEqual([400, '2101']);
    expect((await binding(r.bindingId)).state).toBe('RESERVED');
    const c = code(n++);
    await client.apply({ token: r.token, membershipCode: c, profile: { points: 5, version: 3 } });
    const row = await binding(r.bindingId);
    expect([row.state, row.membership_code, row.profile_version]).toEqual(['APPLIED', c, 3]);
  });
});
