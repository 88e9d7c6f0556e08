import { createMyCardClient, MyCardApiError, verifyBindingRequest } from '@mycard/merchant';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defined } from '../../../../test-support/defined.js';
import { code, type HttpPlatform, startHttpPlatform } from '../helpers/http-platform.js';
import { DIALECTS } from '../helpers/platform.js';

async function apiError(promise: Promise<unknown>): Promise<{ returnCode: string; status: number }> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof MyCardApiError) return { returnCode: err.returnCode, status: err.status };
    throw err;
  }
  throw new Error('expected an API error');
}

describe.each(DIALECTS)('binding flow over HTTP on %s', (dialect) => {
  let platform: HttpPlatform;
  beforeAll(async () => {
    platform = await startHttpPlatform(dialect);
  });
  afterAll(async () => {
    await platform?.close();
  });

  it('runs reserve → merchant verify → apply (SDK) → preview → complete → card', async () => {
    const creds = await platform.program({ webhookUrl: 'https://shop.example/hooks/mycard' });
    const alice = await platform.wallet('alice');
    const reserved = await alice.reserve(creds.channelId);
    expect(reserved.bindingId).toMatch(/^[A-Za-z0-9_-]{22,40}$/);
    // The binding URL's own query is kept; nonce, callback and token are added.
    const redirect = new URL(reserved.redirectUrl);
    expect(`${redirect.origin}${redirect.pathname}`).toBe('https://shop.example/mycard/bind');
    expect(redirect.searchParams.get('campaign')).toBe('winter');
    expect(redirect.searchParams.get('callback')).toBe(`${platform.url}/wallet/bindings/callback`);
    expect(
      Buffer.from(defined(redirect.searchParams.get('nonce')), 'base64url').length,
    ).toBeGreaterThanOrEqual(16);
    expect(alice.cookies.get('mycard_reservation')).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // The merchant verifies the request with the SDK against the JWKS URL.
    const request = await verifyBindingRequest(redirect.searchParams, {
      channelId: creds.channelId,
      issuer: platform.url,
      jwksUrl: `${platform.url}/.well-known/jwks.json`,
    });
    expect(request.bindingId).toBe(reserved.bindingId);
    expect(request.subject).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(request.callback).toBe(`${platform.url}/wallet/bindings/callback`);

    const client = createMyCardClient({ baseUrl: platform.url, ...creds });
    const applied = await client.apply({
      token: reserved.token,
      membershipCode: code(1),
      profile: { displayName: 'Alice', points: 120, level: 'Gold', version: 1 },
    });
    expect(applied.bindingId).toBe(reserved.bindingId);
    expect(applied.completionToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const callback = new URL(applied.callbackUrl);
    expect(`${callback.origin}${callback.pathname}`).toBe(request.callback);
    expect(callback.searchParams.get('token')).toBe(applied.completionToken);
    expect(callback.searchParams.get('channelId')).toBe(creds.channelId);
    expect(callback.searchParams.get('status')).toBe('SUCCESS');

    const preview = await alice.post('/v1/bindings/preview', {
      token: applied.completionToken,
      channelId: creds.channelId,
    });
    expect(preview.status).toBe(200);
    expect(preview.body.info).toMatchObject({
      bindingId: reserved.bindingId,
      maskedMembershipCode: `*********${code(1).slice(-4)}`,
      program: { channelId: creds.channelId, name: 'Demo Mart', codeType: 'EAN13', logoUrl: null },
    });

    const done = await alice.post('/v1/bindings/complete', {
      token: applied.completionToken,
      channelId: creds.channelId,
      status: 'SUCCESS',
    });
    expect(done.status).toBe(200);
    expect(done.body.returnCode).toBe('0000');
    expect(done.body.info.card).toMatchObject({
      bindingId: reserved.bindingId,
      channelId: creds.channelId,
      state: 'ACTIVE',
      membershipCode: code(1),
      profile: { displayName: 'Alice', points: 120, level: 'Gold', version: 1 },
      program: { channelId: creds.channelId, name: 'Demo Mart', detail: { kind: 'template' } },
    });

    const cards = await alice.get('/v1/cards');
    expect(cards.body.info.cards.map((c: any) => c.bindingId)).toEqual([reserved.bindingId]);
    const card = await alice.get(`/v1/cards/${reserved.bindingId}`);
    expect(card.body.info.card.state).toBe('ACTIVE');
    // The completion token is single-use.
    const again = await alice.post('/v1/bindings/complete', {
      token: applied.completionToken,
      channelId: creds.channelId,
      status: 'SUCCESS',
    });
    expect([again.status, again.body.returnCode]).toEqual([409, '3004']);
    // card.completed went into the outbox with the state change.
    const events = await platform.ctx.db.selectFrom('webhook_outbox').selectAll().execute();
    expect(events.map((e) => [e.type, JSON.parse(e.payload).data])).toEqual([
      ['card.completed', { bindingId: reserved.bindingId, membershipCode: code(1) }],
    ]);
  });

  it('gives a stable pairwise sub per user per program, different across programs and users', async () => {
    const a = await platform.program();
    const b = await platform.program();
    const bob = await platform.wallet('bob');
    const carol = await platform.wallet('carol');
    const subOf = async (w: typeof bob, channelId: string) => {
      const r = await w.reserve(channelId);
      const req = await verifyBindingRequest(r.query, {
        channelId,
        issuer: platform.url,
        jwksUrl: `${platform.url}/.well-known/jwks.json`,
      });
      return req.subject;
    };
    const s1 = await subOf(bob, a.channelId);
    expect(await subOf(bob, a.channelId)).toBe(s1);
    expect(await subOf(bob, b.channelId)).not.toBe(s1);
    expect(await subOf(carol, a.channelId)).not.toBe(s1);
  });

  it('lets the member cancel at the merchant (status CANCEL with the binding token)', async () => {
    const creds = await platform.program();
    const dave = await platform.wallet('dave');
    const r = await dave.reserve(creds.channelId);
    const res = await dave.post('/v1/bindings/complete', {
      token: r.token,
      channelId: creds.channelId,
      status: 'CANCEL',
    });
    expect(res.status).toBe(200);
    expect(res.body.info).toEqual({ bindingId: r.bindingId, state: 'CANCELLED' });
    // Idempotent, and the merchant can no longer apply.
    const twice = await dave.post('/v1/bindings/complete', {
      token: r.token,
      channelId: creds.channelId,
      status: 'FAIL',
    });
    expect(twice.status).toBe(200);
    const client = createMyCardClient({ baseUrl: platform.url, ...creds });
    expect(await apiError(client.apply({ token: r.token, membershipCode: code(2) }))).toEqual({
      returnCode: '3004',
      status: 409,
    });
  });
});
