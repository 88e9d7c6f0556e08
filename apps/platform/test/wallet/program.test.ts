import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCard } from '../helpers/cards.js';
import { code, type HttpPlatform, startHttpPlatform, WalletClient } from '../helpers/http-platform.js';
import { DIALECTS } from '../helpers/platform.js';

describe.each(DIALECTS)('GET /v1/programs/{channelId} (PROTOCOL.md §5) on %s', (dialect) => {
  let platform: HttpPlatform;
  beforeAll(async () => {
    platform = await startHttpPlatform(dialect);
  });
  afterAll(async () => {
    await platform?.close();
  });
  const pair = (r: { status: number; body: any }) => [r.status, r.body.returnCode];

  it('answers a LIVE program in the shape of the GET /v1/programs items, with cardHeld', async () => {
    const creds = await platform.program({
      name: 'Single Mart',
      detail: { kind: 'custom', url: 'https://shop.example/card' },
    });
    const alice = await platform.wallet('alice');
    const one = await alice.get(`/v1/programs/${creds.channelId}`);
    expect(pair(one)).toEqual([200, '0000']);
    const listed = (await alice.get('/v1/programs?query=single%20mart')).body.info.programs;
    expect(listed).toHaveLength(1);
    expect(one.body.info).toEqual({ program: listed[0] });
    expect(one.body.info.program).toEqual({
      channelId: creds.channelId,
      name: 'Single Mart',
      codeType: 'EAN13',
      logoUrl: null,
      colors: { background: '#0f766e', foreground: '#ffffff' },
      detail: { kind: 'custom', url: 'https://shop.example/card' },
      cardHeld: false,
    });
    await addCard(platform, alice, creds, code(1));
    expect((await alice.get(`/v1/programs/${creds.channelId}`)).body.info.program.cardHeld).toBe(true);
    // Another user does not hold it.
    const bob = await platform.wallet('bob');
    expect((await bob.get(`/v1/programs/${creds.channelId}`)).body.info.program.cardHeld).toBe(false);
  });

  it('shows a DRAFT program to its testers only: 4004 to others, like an unknown channel', async () => {
    const draft = await platform.program({ name: 'Draft Mart', status: 'DRAFT', testers: ['dev:tess'] });
    const tester = await platform.wallet('tess');
    const res = await tester.get(`/v1/programs/${draft.channelId}`);
    expect(pair(res)).toEqual([200, '0000']);
    expect(res.body.info.program).toMatchObject({ channelId: draft.channelId, name: 'Draft Mart' });

    const stranger = await platform.wallet('stranger');
    const hidden = await stranger.get(`/v1/programs/${draft.channelId}`);
    expect(pair(hidden)).toEqual([404, '4004']);
    const unknown = await stranger.get('/v1/programs/1000000000');
    expect(pair(unknown)).toEqual([404, '4004']);
    // Same answer byte for byte: nothing tells a hidden DRAFT from a channel that does not exist.
    expect(hidden.body).toEqual(unknown.body);

    const suspended = await platform.program({
      name: 'Gone Mart',
      status: 'SUSPENDED',
      testers: ['dev:tess'],
    });
    expect(pair(await tester.get(`/v1/programs/${suspended.channelId}`))).toEqual([404, '4004']);
  });

  it('refuses a malformed channel id (2101) and a caller without a session (4001)', async () => {
    const w = await platform.wallet('carol');
    for (const id of ['123', '12345678901', 'abcdefghij', '123456789%20']) {
      expect(pair(await w.get(`/v1/programs/${id}`)), id).toEqual([400, '2101']);
    }
    const creds = await platform.program();
    expect(pair(await new WalletClient(platform.url).get(`/v1/programs/${creds.channelId}`))).toEqual([
      401,
      '4001',
    ]);
    // The public logo route under the same prefix still needs no session.
    expect((await new WalletClient(platform.url).get(`/v1/programs/${creds.channelId}/logo`)).status).toBe(
      404,
    );
  });
});
