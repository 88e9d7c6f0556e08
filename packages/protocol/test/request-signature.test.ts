import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { defined } from '../../../test-support/defined.js';
import {
  createSignatureHeaders,
  SIGNATURE_HEADERS,
  signatureMessage,
  signRequest,
  verifyRequestSignature,
} from '../src/index.js';
import {
  APPLY_BODY,
  APPLY_PATH,
  APPLY_SIGNATURE,
  CHANNEL_ID,
  CHANNEL_SECRET,
  GET_KEY_PATH,
  GET_KEY_SIGNATURE,
  GET_PROGRAMS_PATH,
  GET_PROGRAMS_QUERY,
  GET_PROGRAMS_SIGNATURE,
  HMAC_NONCE,
  OTHER_SECRET,
} from './fixtures.js';

const apply = { channelSecret: CHANNEL_SECRET, path: APPLY_PATH, payload: APPLY_BODY, nonce: HMAC_NONCE };
const verifyApply = (overrides: Partial<Parameters<typeof verifyRequestSignature>[0]> = {}) =>
  verifyRequestSignature({
    channelSecrets: [CHANNEL_SECRET],
    path: APPLY_PATH,
    payload: APPLY_BODY,
    nonce: HMAC_NONCE,
    signature: APPLY_SIGNATURE,
    ...overrides,
  });

describe('signRequest (fixed vectors)', () => {
  it('signs a POST body', async () => {
    expect(await signRequest(apply)).toBe(APPLY_SIGNATURE);
    expect(await signRequest({ ...apply, payload: new TextEncoder().encode(APPLY_BODY) })).toBe(
      APPLY_SIGNATURE,
    );
  });

  it('signs a GET query string (without "?")', async () => {
    const input = {
      channelSecret: CHANNEL_SECRET,
      path: GET_PROGRAMS_PATH,
      payload: GET_PROGRAMS_QUERY,
      nonce: HMAC_NONCE,
    };
    expect(await signRequest(input)).toBe(GET_PROGRAMS_SIGNATURE);
  });

  it('signs a GET without query string (empty payload)', async () => {
    const input = { channelSecret: CHANNEL_SECRET, path: GET_KEY_PATH, payload: '', nonce: HMAC_NONCE };
    expect(await signRequest(input)).toBe(GET_KEY_SIGNATURE);
  });

  it('the message is secret + path + payload + nonce', () => {
    const expected = CHANNEL_SECRET + APPLY_PATH + APPLY_BODY + HMAC_NONCE;
    expect(new TextDecoder().decode(signatureMessage(apply))).toBe(expected);
  });

  it('uses raw body bytes as they are (non-UTF-8 bytes included)', async () => {
    const payload = new Uint8Array([0xff, 0xfe, 0x00, 0x7b]);
    const expected = createHmac('sha256', CHANNEL_SECRET)
      .update(
        Buffer.concat([
          Buffer.from(CHANNEL_SECRET + APPLY_PATH),
          Buffer.from(payload),
          Buffer.from(HMAC_NONCE),
        ]),
      )
      .digest('base64');
    expect(await signRequest({ ...apply, payload })).toBe(expected);
  });
});

describe('verifyRequestSignature', () => {
  it('accepts the correct signature (index 0)', async () => {
    expect(await verifyApply()).toBe(0);
    expect(await verifyApply({ payload: new TextEncoder().encode(APPLY_BODY) })).toBe(0);
  });

  it('rejects one changed byte of the body', async () => {
    const bytes = new TextEncoder().encode(APPLY_BODY);
    for (const index of [0, 20, bytes.length - 1]) {
      const changed = bytes.slice();
      changed[index] = defined(changed[index]) ^ 0x01;
      expect(await verifyApply({ payload: changed })).toBe(-1);
    }
    expect(await verifyApply({ payload: APPLY_BODY.replace('7894', '7895') })).toBe(-1);
    expect(await verifyApply({ payload: `${APPLY_BODY} ` })).toBe(-1);
  });

  it('rejects another secret, nonce or path', async () => {
    expect(await verifyApply({ channelSecrets: [OTHER_SECRET] })).toBe(-1);
    expect(await verifyApply({ nonce: 'e3b0c442-98fc-4c14-9afb-f4c8996fb925' })).toBe(-1);
    expect(await verifyApply({ path: '/v1/cards/profile' })).toBe(-1);
  });

  it('matches the second secret during rotation (index 1)', async () => {
    expect(await verifyApply({ channelSecrets: [OTHER_SECRET, CHANNEL_SECRET] })).toBe(1);
    expect(await verifyApply({ channelSecrets: [CHANNEL_SECRET, OTHER_SECRET] })).toBe(0);
    expect(await verifyApply({ channelSecrets: [] })).toBe(-1);
  });

  it('returns -1, never throws, on malformed signatures', async () => {
    const bad = [
      '',
      'not base64!',
      APPLY_SIGNATURE.slice(0, -1),
      APPLY_SIGNATURE.replace('=', ''),
      `${APPLY_SIGNATURE}=`,
      APPLY_SIGNATURE.replace(/\+/g, '-').replace(/\//g, '_'),
      Buffer.alloc(31).toString('base64'),
      Buffer.alloc(33).toString('base64'),
      'A'.repeat(10_000),
      undefined as unknown as string,
    ];
    for (const signature of bad) expect(await verifyApply({ signature })).toBe(-1);
  });

  it('rejects a signature in hex instead of Base64', async () => {
    const hex = Buffer.from(APPLY_SIGNATURE, 'base64').toString('hex');
    expect(await verifyApply({ signature: hex })).toBe(-1);
  });
});

describe('createSignatureHeaders', () => {
  it('builds the three X-LINE headers', async () => {
    const headers = await createSignatureHeaders({ ...apply, channelId: CHANNEL_ID });
    expect(headers).toEqual({
      'X-LINE-ChannelId': CHANNEL_ID,
      'X-LINE-Authorization-Nonce': HMAC_NONCE,
      'X-LINE-Authorization': APPLY_SIGNATURE,
    });
    expect(Object.keys(headers).sort()).toEqual(Object.values(SIGNATURE_HEADERS).sort());
  });

  it('refuses an invalid nonce', async () => {
    await expect(
      createSignatureHeaders({ ...apply, channelId: CHANNEL_ID, nonce: 'short' }),
    ).rejects.toBeInstanceOf(TypeError);
  });
});
