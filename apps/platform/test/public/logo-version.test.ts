import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defined } from '../../../../test-support/defined.js';
import { type ConsoleOperator, call, signUp } from '../console/console-client.js';
import { programOf, signUpAdmin } from '../helpers/admin.js';
import { type HttpPlatform, startHttpPlatform, type WalletClient } from '../helpers/http-platform.js';
import { drawLogo } from '../helpers/images.js';
import { createClock, DIALECTS } from '../helpers/platform.js';

/**
 * The wallet's logo URLs carry the logo's version (issue 14): after an approved revision a shopper
 * gets a new URL, so the new logo shows at once despite the five-minute cache of the old one; the
 * current version is cacheable for a year, and old or unversioned URLs keep answering (the
 * current logo, short-lived).
 */
describe.each(DIALECTS)('versioned logo URLs on %s', (dialect) => {
  let platform: HttpPlatform;
  let owner: ConsoleOperator;
  let admin: ConsoleOperator;
  let shopper: WalletClient;
  const clock = createClock();
  beforeAll(async () => {
    platform = await startHttpPlatform(dialect, { programReview: 'required' }, { now: clock.now });
    owner = await signUp(platform, 'owner@shop.example');
    admin = await signUpAdmin(platform, 'admin@mycard.example');
    shopper = await platform.wallet('shopper');
  });
  afterAll(async () => {
    await platform?.close();
  });

  const walletLogoUrl = async (channelId: string) => {
    const res = await shopper.get(`/v1/programs/${channelId}`);
    expect(res.status).toBe(200);
    return res.body.info.program.logoUrl as string | null;
  };
  const listedLogoUrl = async (channelId: string) => {
    const res = await shopper.get('/v1/programs');
    const row = (res.body.info.programs as { channelId: string; logoUrl: string | null }[]).find(
      (p) => p.channelId === channelId,
    );
    return defined(row).logoUrl;
  };
  const get = async (path: string) => {
    const res = await fetch(`${platform.url}${path}`);
    return {
      status: res.status,
      cache: res.headers.get('cache-control'),
      bytes: Buffer.from(await res.arrayBuffer()),
    };
  };
  const upload = (channelId: string, png: Buffer) =>
    call(platform, owner, 'PUT', `/programs/${channelId}/logo`, png, { 'content-type': 'image/png' });

  it('gives a new URL only once a revised logo is approved; old and plain URLs keep working', async () => {
    const first = await drawLogo('rings');
    const second = await drawLogo('checker');
    // A draft gets its first logo directly, then goes live through review.
    const { channelId } = await programOf(platform, owner);
    expect((await upload(channelId, first)).statusCode).toBe(200);
    clock.advance(1);
    await call(platform, owner, 'POST', `/programs/${channelId}/status`, { status: 'LIVE' });
    const goLive = (await call(platform, owner, 'GET', `/programs/${channelId}`)).json().info.review.pending;
    clock.advance(1);
    expect(
      (await call(platform, admin, 'POST', `/admin/reviews/${goLive.reviewId}/approve`, {})).statusCode,
    ).toBe(200);

    const v1 = defined(await walletLogoUrl(channelId));
    expect(v1).toMatch(new RegExp(`^/v1/programs/${channelId}/logo\\?v=[0-9a-z]+$`));
    expect(await listedLogoUrl(channelId)).toBe(v1);
    const atV1 = await get(v1);
    expect(atV1.status).toBe(200);
    expect(atV1.bytes.equals(first)).toBe(true);
    expect(atV1.cache).toBe('public, max-age=31536000, immutable');

    // A revised logo waits for review: the shopper's URL and bytes stay the approved ones.
    clock.advance(60);
    expect((await upload(channelId, second)).json().info.pendingReview).toBe(true);
    expect(await walletLogoUrl(channelId)).toBe(v1);
    expect((await get(v1)).bytes.equals(first)).toBe(true);

    clock.advance(60);
    const revision = (await call(platform, owner, 'GET', `/programs/${channelId}`)).json().info.review
      .pending;
    expect(
      (await call(platform, admin, 'POST', `/admin/reviews/${revision.reviewId}/approve`, {})).statusCode,
    ).toBe(200);

    // Approved: a new URL at once (a wallet holding v1 cached would not ask again for 300 s).
    const v2 = defined(await walletLogoUrl(channelId));
    expect(v2).not.toBe(v1);
    expect(await listedLogoUrl(channelId)).toBe(v2);
    const atV2 = await get(v2);
    expect(atV2.bytes.equals(second)).toBe(true);
    expect(atV2.cache).toBe('public, max-age=31536000, immutable');
    // The old URL and the plain one answer with the current logo, cacheable for five minutes only.
    for (const path of [v1, `/v1/programs/${channelId}/logo`]) {
      const old = await get(path);
      expect(old.status).toBe(200);
      expect(old.bytes.equals(second)).toBe(true);
      expect(old.cache).toBe('public, max-age=300');
    }
  });

  it('answers a program without a logo with no URL, and its logo path with 4004 whatever the version', async () => {
    const { channelId } = await platform.program({ name: 'No Logo Shop' });
    expect(await walletLogoUrl(channelId)).toBeNull();
    const res = await fetch(`${platform.url}/v1/programs/${channelId}/logo?v=abc`);
    expect(res.status).toBe(404);
    expect((await res.json()).returnCode).toBe('4004');
  });

  it('refuses a version longer than any it gives out (2101), without reading the logo', async () => {
    const { channelId } = await platform.program({ name: 'Long Version Shop' });
    const res = await fetch(`${platform.url}/v1/programs/${channelId}/logo?v=${'a'.repeat(65)}`);
    expect(res.status).toBe(400);
    expect((await res.json()).returnCode).toBe('2101');
  });
});
