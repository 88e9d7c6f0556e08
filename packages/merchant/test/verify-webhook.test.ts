import { describe, expect, it } from 'vitest';
import { defined } from '../../../test-support/defined.js';
import {
  generateTestSignatureHeaders,
  MyCardError,
  SignatureError,
  type VerifyWebhookInput,
  verifyWebhook,
  type WebhookEvent,
} from '../src/index.js';
import { CHANNEL_ID, CHANNEL_SECRET, rejection, uuidv7 } from './support/fake-platform.js';

const PATH = '/mycard/webhook';
const EVENT: WebhookEvent = {
  id: 'evt_01JABCDEF0123456789',
  type: 'card.completed',
  createdAt: '2025-06-01T12:00:00.000Z',
  channelId: CHANNEL_ID,
  data: { bindingId: 'b_0123456789abcdefghijkl', membershipCode: '4901234567894' },
};

async function delivery(
  overrides: { event?: unknown; body?: string; nonce?: string; secret?: string; path?: string } = {},
) {
  const body = overrides.body ?? JSON.stringify(overrides.event ?? EVENT);
  const headers = await generateTestSignatureHeaders({
    channelId: CHANNEL_ID,
    channelSecret: overrides.secret ?? CHANNEL_SECRET,
    path: overrides.path ?? PATH,
    body,
    ...(overrides.nonce ? { nonce: overrides.nonce } : {}),
  });
  return { headers, rawBody: body, path: PATH, channelSecret: CHANNEL_SECRET } satisfies VerifyWebhookInput;
}

describe('verifyWebhook', () => {
  it('returns the event of a valid delivery (string body, plain headers)', async () => {
    await expect(verifyWebhook(await delivery())).resolves.toEqual(EVENT);
  });

  it('takes bytes, a Headers instance and headers in any case', async () => {
    const d = await delivery();
    const bytes = new TextEncoder().encode(d.rawBody);
    await expect(verifyWebhook({ ...d, rawBody: bytes, headers: new Headers(d.headers) })).resolves.toEqual(
      EVENT,
    );
    const upper = Object.fromEntries(Object.entries(d.headers).map(([k, v]) => [k.toUpperCase(), v]));
    await expect(verifyWebhook({ ...d, rawBody: Buffer.from(bytes), headers: upper })).resolves.toEqual(
      EVENT,
    );
  });

  it('accepts either secret during a rotation', async () => {
    const d = await delivery();
    await expect(
      verifyWebhook({ ...d, channelSecret: undefined, channelSecrets: ['f'.repeat(64), CHANNEL_SECRET] }),
    ).resolves.toEqual(EVENT);
  });

  it('refuses a body with one byte changed (1106)', async () => {
    const d = await delivery();
    const bytes = new TextEncoder().encode(d.rawBody);
    const i = d.rawBody.indexOf('4901234567894') + 12;
    bytes[i] = defined(bytes[i]) ^ 0x01; // ...4 → ...5
    const err = await rejection(() => verifyWebhook({ ...d, rawBody: bytes }));
    expect(err).toBeInstanceOf(SignatureError);
    expect(err).toMatchObject({ returnCode: '1106', status: 401, code: 'signature_invalid' });
  });

  it('refuses a delivery signed with another secret (1106)', async () => {
    const d = await delivery({ secret: 'b'.repeat(64) });
    await expect(verifyWebhook(d)).rejects.toMatchObject({ returnCode: '1106', code: 'signature_invalid' });
  });

  it('refuses a delivery signed for another path (1106)', async () => {
    const d = await delivery({ path: '/other/webhook' });
    await expect(verifyWebhook(d)).rejects.toMatchObject({ returnCode: '1106' });
  });

  it.each(['X-LINE-ChannelId', 'X-LINE-Authorization-Nonce', 'X-LINE-Authorization'])(
    'refuses a delivery without %s (1106)',
    async (name) => {
      const d = await delivery();
      const { [name]: _dropped, ...headers } = d.headers;
      await expect(verifyWebhook({ ...d, headers })).rejects.toMatchObject({
        returnCode: '1106',
        code: 'header_missing',
      });
    },
  );

  it('refuses a header sent twice (1106)', async () => {
    const d = await delivery();
    const headers = new Headers(d.headers);
    headers.append('X-LINE-Authorization', defined(d.headers['X-LINE-Authorization']));
    await expect(verifyWebhook({ ...d, headers })).rejects.toMatchObject({ returnCode: '1106' });
  });

  it('refuses a delivery whose event is for another channel than the header (1106)', async () => {
    const d = await delivery({ event: { ...EVENT, channelId: '9999999999' } });
    await expect(verifyWebhook(d)).rejects.toMatchObject({ returnCode: '1106', code: 'channel_mismatch' });
  });

  it('refuses a delivery for another channel than the configured one (1106)', async () => {
    const d = await delivery();
    await expect(verifyWebhook({ ...d, channelId: '1111111111' })).rejects.toMatchObject({
      code: 'channel_mismatch',
    });
    await expect(verifyWebhook({ ...d, channelId: CHANNEL_ID })).resolves.toEqual(EVENT);
  });

  it('refuses an old UUIDv7 nonce (1108), accepts a fresh one', async () => {
    const old = await delivery({ nonce: uuidv7(Date.now() - 301_000) });
    const err = await rejection(() => verifyWebhook(old));
    expect(err).toBeInstanceOf(MyCardError);
    expect(err).toMatchObject({ returnCode: '1108', status: 401 });
    await expect(verifyWebhook(await delivery({ nonce: uuidv7(Date.now()) }))).resolves.toEqual(EVENT);
    // The clock is injectable: the old nonce was fine at its time.
    await expect(verifyWebhook({ ...old, now: () => new Date(Date.now() - 300_000) })).resolves.toEqual(
      EVENT,
    );
  });

  it.each([
    ['not JSON', { body: '{"id":' }],
    ['an array', { body: '[]' }],
    ['an unknown type', { event: { ...EVENT, type: 'card.exploded' } }],
    ['no bindingId', { event: { ...EVENT, data: {} } }],
    ['a bad createdAt', { event: { ...EVENT, createdAt: 'yesterday' } }],
    ['a numeric membershipCode', { event: { ...EVENT, data: { bindingId: 'b1', membershipCode: 42 } } }],
  ])('refuses a signed body that is not an event: %s (2101)', async (_name, overrides) => {
    const d = await delivery(overrides);
    await expect(verifyWebhook(d)).rejects.toMatchObject({
      returnCode: '2101',
      code: 'webhook_event_invalid',
    });
  });

  it('tells a developer who passes a parsed body what is wrong', async () => {
    const d = await delivery();
    await expect(verifyWebhook({ ...d, rawBody: JSON.parse(d.rawBody) })).rejects.toThrow(/raw request body/);
    await expect(verifyWebhook({ ...d, channelSecrets: [CHANNEL_SECRET] })).rejects.toThrow(TypeError);
  });
});
