import {
  createLocalJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defined } from '../../../../test-support/defined.js';
import { addCard } from '../helpers/cards.js';
import { code, type HttpPlatform, startHttpPlatform, WalletClient } from '../helpers/http-platform.js';
import { createClock, DIALECTS } from '../helpers/platform.js';

describe.each(DIALECTS)('POST /v1/cards/{bindingId}/detail-link (PROTOCOL.md §7) on %s', (dialect) => {
  const clock = createClock(new Date());
  let platform: HttpPlatform;
  let custom: { channelId: string; channelSecret: string };
  let template: { channelId: string; channelSecret: string };
  let jwks: JWTVerifyGetKey;
  let n = 900;
  beforeAll(async () => {
    platform = await startHttpPlatform(dialect, {}, { now: clock.now });
    custom = await platform.program({
      name: 'Custom Mart',
      detail: { kind: 'custom', url: 'https://shop.example/member/card?lang=ja' },
    });
    template = await platform.program({ name: 'Template Mart' });
    // What a merchant does: fetch the platform's JWKS, the same one that verifies binding tokens.
    const res = await fetch(`${platform.url}/.well-known/jwks.json`);
    jwks = createLocalJWKSet(await res.json());
  });
  afterAll(async () => {
    await platform?.close();
  });
  const pair = (r: { status: number; body: any }) => [r.status, r.body.returnCode];
  const link = (w: WalletClient, bindingId: string) => w.post(`/v1/cards/${bindingId}/detail-link`, {});
  const verify = (token: string, options: { audience?: string; typ?: string; at?: Date } = {}) =>
    jwtVerify(token, jwks, {
      algorithms: ['ES256'],
      typ: options.typ ?? 'mycard-card-context+jwt',
      issuer: platform.url,
      audience: options.audience ?? custom.channelId,
      currentDate: options.at ?? clock.now(),
      clockTolerance: 0,
    });

  it('answers the custom page URL with a signed card context that verifies against the JWKS', async () => {
    const alice = await platform.wallet('alice');
    const reserved = await alice.reserve(custom.channelId);
    // The context's `sub` is the binding token's pairwise subject (stable per user and program).
    const bindingSub = decodeJwt(reserved.token).sub;
    const membershipCode = code(n++);
    const bindingId = await addCard(platform, alice, custom, membershipCode);

    const res = await link(alice, bindingId);
    expect(pair(res)).toEqual([200, '0000']);
    const url = new URL(res.body.info.url);
    expect(`${url.origin}${url.pathname}`).toBe('https://shop.example/member/card');
    expect(url.searchParams.get('lang')).toBe('ja');
    const context = defined(url.searchParams.get('context'));
    expect(context.split('.')).toHaveLength(3);

    const { payload, protectedHeader } = await verify(context);
    const iat = Math.floor(clock.now().getTime() / 1000);
    expect(protectedHeader).toEqual({
      alg: 'ES256',
      typ: 'mycard-card-context+jwt',
      kid: expect.any(String),
    });
    expect(protectedHeader.kid).toBe(decodeProtectedHeader(reserved.token).kid);
    expect(payload).toEqual({
      iss: platform.url,
      aud: custom.channelId,
      sub: bindingSub,
      bindingId,
      membershipCode,
      iat,
      exp: iat + 300,
      jti: expect.stringMatching(/^[A-Za-z0-9_-]{22,}$/),
    });
    expect(res.body.info.expiresAt).toBe(new Date((iat + 300) * 1000).toISOString());

    // aud, exp and typ are checked: another channel, 301 s later, or read as a binding token fail.
    await expect(verify(context, { audience: template.channelId })).rejects.toBeInstanceOf(
      errors.JWTClaimValidationFailed,
    );
    await expect(verify(context, { at: new Date((iat + 301) * 1000) })).rejects.toBeInstanceOf(
      errors.JWTExpired,
    );
    await expect(verify(context, { typ: 'mycard-binding+jwt' })).rejects.toBeInstanceOf(
      errors.JWTClaimValidationFailed,
    );
    // Each link is a fresh context.
    const again = defined(new URL((await link(alice, bindingId)).body.info.url).searchParams.get('context'));
    expect(decodeJwt(again).jti).not.toBe(payload.jti);
  });

  it("refuses another user's card (4003), an unknown id or a binding that never became a card (4004)", async () => {
    const bob = await platform.wallet('bob');
    const bobsCard = await addCard(platform, bob, custom, code(n++));
    const eve = await platform.wallet('eve');
    expect(pair(await link(eve, bobsCard))).toEqual([403, '4003']);
    expect(pair(await link(eve, 'A'.repeat(32)))).toEqual([404, '4004']);
    const reserved = await eve.reserve(custom.channelId);
    expect(pair(await link(eve, reserved.bindingId))).toEqual([404, '4004']);
    expect(pair(await link(eve, 'not-a-binding!'))).toEqual([400, '2101']);
    expect(pair(await eve.post(`/v1/cards/${bobsCard}/detail-link`, { extra: 1 }))).toEqual([400, '2101']);
    expect(pair(await new WalletClient(platform.url).post(`/v1/cards/${bobsCard}/detail-link`, {}))).toEqual([
      401,
      '4001',
    ]);
    const crossSite = new WalletClient(platform.url, 'https://evil.example');
    crossSite.cookies.set('mycard_session', defined(bob.cookies.get('mycard_session')));
    expect(pair(await crossSite.post(`/v1/cards/${bobsCard}/detail-link`, {}))).toEqual([403, '4003']);
  });

  it('answers 3004 for a template detail page and for a removed card', async () => {
    const carol = await platform.wallet('carol');
    const templateCard = await addCard(platform, carol, template, code(n++));
    expect(pair(await link(carol, templateCard))).toEqual([409, '3004']);
    const customCard = await addCard(platform, carol, custom, code(n++));
    expect((await carol.delete(`/v1/cards/${customCard}`)).status).toBe(200);
    expect(pair(await link(carol, customCard))).toEqual([409, '3004']);
  });
});
