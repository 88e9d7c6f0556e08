import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defined } from '../../../../test-support/defined.js';
import { type ConsoleOperator, call, signUp } from '../console/console-client.js';
import { programOf, requestGoLive, signUpAdmin } from '../helpers/admin.js';
import { type HttpPlatform, startHttpPlatform, type WalletClient } from '../helpers/http-platform.js';
import { drawLogo } from '../helpers/images.js';
import { DIALECTS } from '../helpers/platform.js';

describe.each(DIALECTS)('program review on %s', (dialect) => {
  let platform: HttpPlatform;
  let owner: ConsoleOperator;
  let admin: ConsoleOperator;
  let shopper: WalletClient;
  beforeAll(async () => {
    platform = await startHttpPlatform(dialect, { programReview: 'required' });
    owner = await signUp(platform, 'owner@shop.example');
    admin = await signUpAdmin(platform, 'admin@mycard.example');
    shopper = await platform.wallet('shopper');
  });
  afterAll(async () => {
    await platform?.close();
  });

  const status = (channelId: string) =>
    platform.ctx.db
      .selectFrom('programs')
      .select('status')
      .where('channel_id', '=', channelId)
      .executeTakeFirst();
  const decide = (reviewId: string, body: unknown) =>
    call(platform, admin, 'POST', `/admin/reviews/${reviewId}/${body ? 'reject' : 'approve'}`, body ?? {});
  const walletName = async (channelId: string) => {
    const res = await shopper.get(`/v1/programs/${channelId}`);
    return res.status === 200 ? (res.body.info.program.name as string) : res.body.returnCode;
  };
  const upload = (channelId: string, png: Buffer) =>
    call(platform, owner, 'PUT', `/programs/${channelId}/logo`, png, { 'content-type': 'image/png' });

  it('makes "Go live" a request: DRAFT → IN_REVIEW (hidden from the wallet) → LIVE on approval', async () => {
    const { channelId } = await programOf(platform, owner, { testers: ['dev:tester'] });
    const reviewId = await requestGoLive(platform, owner, channelId);
    expect(defined(await status(channelId)).status).toBe('IN_REVIEW');
    expect(await walletName(channelId)).toBe('4004');
    const tester = await platform.wallet('tester');
    expect((await tester.get(`/v1/programs/${channelId}`)).status).toBe(200); // the sandbox stays open
    // Asking again changes nothing; the queue holds it once.
    expect(
      (await call(platform, owner, 'POST', `/programs/${channelId}/status`, { status: 'LIVE' })).json().info
        .program.status,
    ).toBe('IN_REVIEW');
    const queue = await call(platform, admin, 'GET', '/admin/reviews');
    expect(
      queue
        .json()
        .info.reviews.filter((r: { review: { channelId: string } }) => r.review.channelId === channelId),
    ).toHaveLength(1);

    const approved = await decide(reviewId, undefined);
    expect(approved.json().info.review.state).toBe('APPROVED');
    expect(approved.json().info.program.status).toBe('LIVE');
    expect(await walletName(channelId)).toBe('Demo Mart');
    expect((await decide(reviewId, undefined)).json().returnCode).toBe('3004'); // decided once
    const notices = (await call(platform, owner, 'GET', '/notices')).json().info.notices;
    expect(notices[0]).toMatchObject({ channelId, kind: 'go-live.approved', read: false });
    const audit = (
      await call(platform, admin, 'GET', `/admin/audit?targetType=program&targetId=${channelId}`)
    ).json().info.entries;
    expect(audit.map((e: { action: string }) => e.action)).toEqual([
      'program.go-live_approved',
      'program.review_requested',
    ]);
  });

  it('rejects back to DRAFT with reasons the operator sees; the operator may ask again', async () => {
    const { channelId } = await programOf(platform, owner);
    const reviewId = await requestGoLive(platform, owner, channelId);
    const rejected = await decide(reviewId, {
      reasons: ['The logo is another shop’s', 'Binding page does not load'],
    });
    expect(rejected.json().info.program.status).toBe('DRAFT');
    const view = (await call(platform, owner, 'GET', `/programs/${channelId}`)).json().info;
    expect(view.review.pending).toBeNull();
    expect(view.review.lastDecision).toMatchObject({
      state: 'REJECTED',
      reasons: ['The logo is another shop’s', 'Binding page does not load'],
    });
    const notice = (await call(platform, owner, 'GET', '/notices')).json().info.notices[0];
    expect(notice).toMatchObject({
      kind: 'go-live.rejected',
      reasons: ['The logo is another shop’s', 'Binding page does not load'],
    });
    expect((await call(platform, owner, 'POST', `/notices/${notice.noticeId}/read`, {})).statusCode).toBe(
      200,
    );
    expect(
      (await call(platform, admin, 'POST', `/notices/${notice.noticeId}/read`, {})).json().returnCode,
    ).toBe('4004');
    await requestGoLive(platform, owner, channelId);
    expect(defined(await status(channelId)).status).toBe('IN_REVIEW');
  });

  it('refuses a rejection without reasons and changes nothing (2101)', async () => {
    const { channelId } = await programOf(platform, owner);
    const reviewId = await requestGoLive(platform, owner, channelId);
    for (const body of [{ reasons: [] }, { reasons: [''] }, {}, { reasons: ['x'], extra: 1 }]) {
      const res = await call(platform, admin, 'POST', `/admin/reviews/${reviewId}/reject`, body);
      expect(res.json().returnCode).toBe('2101');
    }
    expect(defined(await status(channelId)).status).toBe('IN_REVIEW');
  });

  it('lets the operator withdraw a request (IN_REVIEW → DRAFT) and refuses edits of reviewed fields meanwhile (3004)', async () => {
    const { channelId } = await programOf(platform, owner);
    const reviewId = await requestGoLive(platform, owner, channelId);
    const rename = await call(platform, owner, 'PATCH', `/programs/${channelId}`, { name: 'Other Name' });
    expect([rename.statusCode, rename.json().returnCode]).toEqual([409, '3004']);
    expect((await upload(channelId, await drawLogo('stripes'))).json().returnCode).toBe('3004');
    const colours = await call(platform, owner, 'PATCH', `/programs/${channelId}`, {
      colors: { background: '#112233', foreground: '#ffffff' },
    });
    expect(colours.statusCode).toBe(200);
    const back = await call(platform, owner, 'POST', `/programs/${channelId}/status`, { status: 'DRAFT' });
    expect(back.json().info.program.status).toBe('DRAFT');
    expect((await decide(reviewId, undefined)).json().returnCode).toBe('3004'); // withdrawn
    expect(defined(await status(channelId)).status).toBe('DRAFT');
  });

  it('keeps the approved version of a LIVE program serving while a revision of name, logo, URL and detail waits', async () => {
    const { channelId } = await programOf(platform, owner);
    const first = await drawLogo('rings');
    expect((await upload(channelId, first)).json().info.pendingReview).toBe(false); // DRAFT: at once
    await decide(await requestGoLive(platform, owner, channelId), undefined);

    const patch = await call(platform, owner, 'PATCH', `/programs/${channelId}`, {
      name: 'Demo Mart Plus',
      bindingUrl: 'https://shop.example/new-bind',
      detail: { kind: 'template', description: 'New benefits' },
      colors: { background: '#000000', foreground: '#ffffff' },
    });
    expect(patch.statusCode).toBe(200);
    expect(patch.json().info.program).toMatchObject({
      name: 'Demo Mart',
      bindingUrl: 'https://shop.example/mycard/bind',
    });
    expect(patch.json().info.program.colors.background).toBe('#000000'); // not reviewed: at once
    const second = await drawLogo('checker');
    expect((await upload(channelId, second)).json().info.pendingReview).toBe(true);
    const pending =
      patch.json().info.review.pending ??
      (await call(platform, owner, 'GET', `/programs/${channelId}`)).json().info.review.pending;
    const view = (await call(platform, owner, 'GET', `/programs/${channelId}`)).json().info.review.pending;
    expect(view.reviewId).toBe(pending.reviewId); // one revision, merged
    expect(view.changes).toMatchObject({
      name: 'Demo Mart Plus',
      bindingUrl: 'https://shop.example/new-bind',
    });
    const proposedLogo = await call(platform, owner, 'GET', view.logoUrl.replace('/v1/console', ''));
    expect(Buffer.from(proposedLogo.rawPayload).equals(second)).toBe(true);
    const stranger = await signUp(platform, `stranger-${channelId}@x.example`);
    expect(
      (await call(platform, stranger, 'GET', view.logoUrl.replace('/v1/console', ''))).json().returnCode,
    ).toBe('4003');

    // The shopper still gets the approved version: name, binding URL (reserve) and logo bytes.
    expect(await walletName(channelId)).toBe('Demo Mart');
    expect((await shopper.reserve(channelId)).redirectUrl).toMatch(
      /^https:\/\/shop\.example\/mycard\/bind\?/,
    );
    const logo = await fetch(`${platform.url}/v1/programs/${channelId}/logo`);
    expect(Buffer.from(await logo.arrayBuffer()).equals(first)).toBe(true);

    const screen = (await call(platform, admin, 'GET', `/admin/reviews/${view.reviewId}`)).json().info;
    expect(screen.program.name).toBe('Demo Mart');
    expect(screen.proposed).toMatchObject({ name: 'Demo Mart Plus', bindingHost: 'shop.example' });
    expect(screen.organization.email).toBe('owner@shop.example');

    await decide(view.reviewId, undefined);
    expect(await walletName(channelId)).toBe('Demo Mart Plus');
    const after = await fetch(`${platform.url}/v1/programs/${channelId}/logo`);
    expect(Buffer.from(await after.arrayBuffer()).equals(second)).toBe(true);
    const other = await platform.wallet(`other-${channelId}`);
    expect((await other.reserve(channelId)).redirectUrl).toMatch(/^https:\/\/shop\.example\/new-bind\?/);
  });

  it('leaves the LIVE version untouched when a revision is rejected', async () => {
    const { channelId } = await programOf(platform, owner, { status: 'LIVE', name: 'Corner Cafe' });
    const before = await platform.ctx.db
      .selectFrom('programs')
      .selectAll()
      .where('channel_id', '=', channelId)
      .executeTakeFirstOrThrow();
    await call(platform, owner, 'PATCH', `/programs/${channelId}`, { name: 'Starbucks Rewards' });
    await upload(channelId, await drawLogo('diagonal'));
    const pending = (await call(platform, owner, 'GET', `/programs/${channelId}`)).json().info.review.pending;
    const rejected = await decide(pending.reviewId, { reasons: ['Name of another brand'] });
    expect(rejected.json().info.review.state).toBe('REJECTED');
    const after = await platform.ctx.db
      .selectFrom('programs')
      .selectAll()
      .where('channel_id', '=', channelId)
      .executeTakeFirstOrThrow();
    expect(after).toEqual(before);
    const logo = await platform.ctx.db
      .selectFrom('program_logos')
      .select('channel_id')
      .where('channel_id', '=', channelId)
      .execute();
    expect(logo).toEqual([]);
    expect(await walletName(channelId)).toBe('Corner Cafe');
    const review = (await call(platform, owner, 'GET', `/programs/${channelId}`)).json().info.review;
    expect(review.pending).toBeNull();
    expect(review.lastDecision).toMatchObject({
      kind: 'revision',
      state: 'REJECTED',
      reasons: ['Name of another brand'],
    });
  });

  it('drops a revision that returns every field to its approved value; withdraw is idempotent', async () => {
    const { channelId } = await programOf(platform, owner, { status: 'LIVE', name: 'Tea House' });
    await call(platform, owner, 'PATCH', `/programs/${channelId}`, { name: 'Tea House 2' });
    expect(
      (await call(platform, owner, 'GET', `/programs/${channelId}`)).json().info.review.pending,
    ).not.toBeNull();
    const reverted = await call(platform, owner, 'PATCH', `/programs/${channelId}`, { name: 'Tea House' });
    expect(reverted.json().info.review.pending).toBeNull();
    await call(platform, owner, 'PATCH', `/programs/${channelId}`, { name: 'Tea House 3' });
    for (let i = 0; i < 2; i++) {
      const res = await call(platform, owner, 'DELETE', `/programs/${channelId}/revision`);
      expect(res.json().info.review.pending).toBeNull();
    }
  });

  it('lets exactly one of two parallel decisions win', async () => {
    const { channelId } = await programOf(platform, owner);
    const reviewId = await requestGoLive(platform, owner, channelId);
    const results = await Promise.all([decide(reviewId, undefined), decide(reviewId, { reasons: ['no'] })]);
    const codes = results.map((r) => r.json().returnCode).sort();
    expect(codes).toEqual(['0000', '3004']);
    const reviews = await platform.ctx.db
      .selectFrom('program_reviews')
      .select('state')
      .where('id', '=', reviewId)
      .execute();
    expect(reviews).toHaveLength(1);
    const expected = defined(results.find((r) => r.json().returnCode === '0000')).json().info.program.status;
    expect(defined(await status(channelId)).status).toBe(expected);
  });
});

describe.each(DIALECTS)('review off on %s', (dialect) => {
  let platform: HttpPlatform;
  let owner: ConsoleOperator;
  beforeAll(async () => {
    platform = await startHttpPlatform(dialect, { programReview: 'off' });
    owner = await signUp(platform, 'owner@shop.example');
  });
  afterAll(async () => {
    await platform?.close();
  });

  it('goes live at once and applies changes of a LIVE program at once (today’s behaviour)', async () => {
    const { channelId } = await programOf(platform, owner);
    const live = await call(platform, owner, 'POST', `/programs/${channelId}/status`, { status: 'LIVE' });
    expect(live.json().info).toMatchObject({
      program: { status: 'LIVE' },
      review: { required: false, pending: null },
    });
    const renamed = await call(platform, owner, 'PATCH', `/programs/${channelId}`, { name: 'Renamed' });
    expect(renamed.json().info.program.name).toBe('Renamed');
    const count = await platform.ctx.db.selectFrom('program_reviews').select('id').execute();
    expect(count).toEqual([]);
  });
});
