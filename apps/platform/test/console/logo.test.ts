import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defined } from '../../../../test-support/defined.js';
import { DIALECTS, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { type ConsoleOperator, call, createTestProgram, IMAGES, signUp } from './console-client.js';

describe.each(DIALECTS)('program logos on %s', (dialect) => {
  let platform: TestPlatform;
  let alice: ConsoleOperator;
  let channelId: string;
  beforeAll(async () => {
    platform = await startTestPlatform(dialect);
    alice = await signUp(platform, 'alice@shop.example');
    ({ channelId } = await createTestProgram(platform, alice));
  });
  afterAll(async () => {
    await platform?.close();
  });

  const upload = (body: Buffer, type: string, headers: Record<string, string> = {}) =>
    call(platform, alice, 'PUT', `/programs/${channelId}/logo`, body, { 'content-type': type, ...headers });
  const fetchLogo = (headers: Record<string, string> = {}) =>
    platform.app.inject({ method: 'GET', url: `/v1/programs/${channelId}/logo`, headers });
  const stored = async () =>
    platform.ctx.db
      .selectFrom('program_logos')
      .selectAll()
      .where('channel_id', '=', channelId)
      .executeTakeFirst();

  it('answers 4004 before a logo is uploaded', async () => {
    const res = await fetchLogo();
    expect(res.statusCode).toBe(404);
    expect(res.json().returnCode).toBe('4004');
  });

  it.each([
    ['png', 'image/png'],
    ['jpeg', 'image/jpeg'],
    ['webp', 'image/webp'],
  ] as const)(
    'stores a %s logo and serves it publicly with its type, nosniff and cache headers',
    async (kind, type) => {
      const res = await upload(IMAGES[kind], type);
      expect(res.statusCode).toBe(200);
      expect(res.json().info).toEqual({
        logoUrl: `/v1/programs/${channelId}/logo`,
        contentType: type,
        bytes: IMAGES[kind].length,
        pendingReview: false,
      });
      const got = await fetchLogo();
      expect(got.statusCode).toBe(200);
      expect(got.headers['content-type']).toBe(type);
      expect(got.headers['x-content-type-options']).toBe('nosniff');
      expect(got.headers['cache-control']).toBe('public, max-age=300');
      expect(got.rawPayload.equals(IMAGES[kind])).toBe(true);
      const etag = String(got.headers.etag);
      const again = await fetchLogo({ 'if-none-match': etag });
      expect(again.statusCode).toBe(304);
      const program = await call(platform, alice, 'GET', `/programs/${channelId}`);
      expect(program.json().info.program.logoUrl).toBe(`/v1/programs/${channelId}/logo`);
    },
  );

  it('decides the type by the bytes: a PNG header with JPEG bytes, or text claiming PNG, is refused (415/2101)', async () => {
    await upload(IMAGES.png, 'image/png');
    for (const [body, type] of [
      [IMAGES.jpeg, 'image/png'],
      [IMAGES.png, 'image/webp'],
      [Buffer.from('hello, I am a text file\n'), 'image/png'],
      [Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'image/jpeg'],
    ] as const) {
      const res = await upload(body, type);
      expect(res.statusCode).toBe(415);
      expect(res.json().returnCode).toBe('2101');
    }
    expect(defined(await stored()).content_type).toBe('image/png');
  });

  it('refuses other media types (415/2101) and bodies over 512 KiB (413/2102)', async () => {
    for (const type of ['image/svg+xml', 'image/gif', 'text/plain', 'application/json']) {
      const res = await upload(IMAGES.png, type);
      expect(res.statusCode, type).toBe(415);
      expect(res.json().returnCode).toBe('2101');
    }
    const big = Buffer.concat([IMAGES.png, Buffer.alloc(600 * 1024)]);
    const res = await upload(big, 'image/png');
    expect(res.statusCode).toBe(413);
    expect(res.json().returnCode).toBe('2102');
    const limit = Buffer.concat([IMAGES.png, Buffer.alloc(512 * 1024 - IMAGES.png.length)]);
    expect((await upload(limit, 'image/png')).statusCode).toBe(200);
  });

  it('requires a session (4001) and a same-origin request (4003)', async () => {
    const anonymous = await platform.app.inject({
      method: 'PUT',
      url: `/v1/console/programs/${channelId}/logo`,
      headers: { 'content-type': 'image/png' },
      payload: IMAGES.png,
    });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().returnCode).toBe('4001');
    const cross = await upload(IMAGES.webp, 'image/webp', { origin: 'https://evil.example' });
    expect(cross.statusCode).toBe(403);
    expect(cross.json().returnCode).toBe('4003');
    expect(defined(await stored()).content_type).not.toBe('image/webp');
  });
});
