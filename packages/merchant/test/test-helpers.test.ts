import { createSignatureHeaders, type MyCardError } from '@mycard/protocol';
import { describe, expect, it } from 'vitest';
import { defined } from '../../../test-support/defined.js';
import {
  createMyCardClient,
  createTestBindingRequest,
  createTestPlatform,
  createTestSigningKey,
  MyCardApiError,
  verifyBindingRequest,
} from '../src/index.js';
import { rejection } from './support/fake-platform.js';

const CHANNEL = '1234567890';

describe('createTestBindingRequest', () => {
  it('signs a request that verifyBindingRequest accepts with the returned key set', async () => {
    const request = await createTestBindingRequest({ channelId: CHANNEL });
    const binding = await verifyBindingRequest(request.query, {
      channelId: CHANNEL,
      issuer: 'https://mycard.test',
      keys: request.keys,
    });
    expect(binding).toMatchObject({
      bindingId: request.claims.jti,
      nonce: request.query.nonce,
      callback: 'https://mycard.test/wallet/bindings/callback',
    });
    const url = new URL(request.url('http://127.0.0.1:8080/mycard/bind?campaign=x'));
    expect(Object.fromEntries(url.searchParams)).toEqual({ campaign: 'x', ...request.query });
  });

  it('is refused for another channel, another key, or when expired', async () => {
    const other = await createTestBindingRequest({ channelId: '9999999999' });
    const options = { channelId: CHANNEL, issuer: 'https://mycard.test', keys: other.keys };
    expect((await rejection(() => verifyBindingRequest(other.query, options))).code).toBe('aud_invalid');
    const signingKey = await createTestSigningKey();
    const mine = await createTestBindingRequest({ channelId: CHANNEL, signingKey });
    expect((await rejection(() => verifyBindingRequest(mine.query, options))).code).toBe('kid_unknown');
    const old = await createTestBindingRequest({ channelId: CHANNEL, now: new Date(Date.now() - 700_000) });
    const expired = await rejection(() => verifyBindingRequest(old.query, { ...options, keys: old.keys }));
    expect(expired.returnCode).toBe('3002');
  });
});

describe('createTestPlatform', () => {
  async function setup() {
    const platform = await createTestPlatform({ codeType: 'EAN13' });
    const client = createMyCardClient({
      baseUrl: platform.issuer,
      channelId: platform.channelId,
      channelSecret: platform.channelSecret,
      fetch: platform.fetch,
      maxRetries: 0,
    });
    return { platform, client };
  }
  const code = async (p: Promise<unknown>) => ((await rejection(() => p)) as MyCardError).returnCode;

  it('runs a binding: verify, Apply, complete, profile (merged), one-time key, unbind', async () => {
    const { platform, client } = await setup();
    const { query, bindingId } = await platform.startBinding();
    await verifyBindingRequest(query, {
      channelId: platform.channelId,
      issuer: platform.issuer,
      keys: platform.keys,
    });
    const applied = await client.apply({ token: query.token, membershipCode: '4901234567894' });
    expect(new URL(applied.callbackUrl).searchParams.get('status')).toBe('SUCCESS');
    expect(platform.binding(bindingId)).toMatchObject({ state: 'APPLIED', membershipCode: '4901234567894' });
    // The same token and code again: a fresh completion token; another code: 3004.
    const again = await client.apply({ token: query.token, membershipCode: '4901234567894' });
    expect(again.completionToken).not.toBe(applied.completionToken);
    expect(await code(client.apply({ token: query.token, membershipCode: '4006381333931' }))).toBe('3004');
    expect(await code(client.updateProfile({ bindingId, profile: { points: 1, version: 1 } }))).toBe('3003');
    platform.completeBinding(bindingId);
    await client.updateProfile({ bindingId, profile: { displayName: 'Hanako', points: 10, version: 1 } });
    const merged = await client.updateProfile({ bindingId, profile: { points: 20, version: 2 } });
    expect(merged.profile).toEqual({ displayName: 'Hanako', points: 20, version: 2 });
    expect(await code(client.updateProfile({ bindingId, profile: { points: 5, version: 2 } }))).toBe('3008');
    const key = platform.issueOneTimeKey(bindingId);
    expect(await client.resolveOneTimeKey(key)).toMatchObject({ bindingId, membershipCode: '4901234567894' });
    expect(await code(client.resolveOneTimeKey('123456789012345678'))).toBe('3010');
    expect(await client.unbind({ bindingId })).toEqual({ bindingId, state: 'UNBOUND' });
    expect(await code(client.resolveOneTimeKey(key))).toBe('3011');
  });

  it('refuses a bad membership code, a foreign token and an expired one, storing nothing', async () => {
    const { platform, client } = await setup();
    const { query, bindingId } = await platform.startBinding();
    expect(await code(client.apply({ token: query.token, membershipCode: '4901234567890' }))).toBe('2103');
    const foreign = await createTestBindingRequest({
      channelId: platform.channelId,
      issuer: platform.issuer,
    });
    expect(await code(client.apply({ token: foreign.query.token, membershipCode: '4901234567894' }))).toBe(
      '3001',
    );
    const other = await createTestBindingRequest({ channelId: '9999999999', issuer: platform.issuer });
    expect(await code(client.apply({ token: other.query.token, membershipCode: '4901234567894' }))).toBe(
      '3001',
    );
    expect(platform.binding(bindingId)).toMatchObject({ state: 'RESERVED', applies: 0 });
    expect(platform.binding(bindingId)?.membershipCode).toBeUndefined();
  });

  it('checks the content type (415/2101) before the signature, then signature, nonce replay, unknown fields', async () => {
    const { platform } = await setup();
    const path = '/v1/cards/unbind';
    const body = JSON.stringify({ bindingId: 'b_0123456789abcdefghijkl' });
    const signed = await createSignatureHeaders({
      channelId: platform.channelId,
      channelSecret: platform.channelSecret,
      path,
      payload: body,
      nonce: crypto.randomUUID(),
    });
    const send = (headers: Record<string, string>, payload = body) =>
      platform.fetch(`${platform.issuer}${path}`, { method: 'POST', headers, body: payload });
    const text = await send({ ...signed, 'content-type': 'text/plain' });
    expect([text.status, (await text.json()).returnCode]).toEqual([415, '2101']);
    const none = await send(signed);
    expect(none.status).toBe(415);
    const forged = await send({
      ...signed,
      'X-LINE-Authorization': defined(signed['X-LINE-Authorization']).replace(/^./, (c) =>
        c === 'A' ? 'B' : 'A',
      ),
      'content-type': 'application/json',
    });
    expect([forged.status, (await forged.json()).returnCode]).toEqual([401, '1106']);
    const first = await send({ ...signed, 'content-type': 'application/json' });
    expect((await first.json()).returnCode).toBe('3003');
    const replay = await send({ ...signed, 'content-type': 'application/json' });
    expect([replay.status, (await replay.json()).returnCode]).toEqual([401, '1108']);
    const extra = JSON.stringify({ bindingId: 'b_0123456789abcdefghijkl', admin: true });
    const extraHeaders = await createSignatureHeaders({
      channelId: platform.channelId,
      channelSecret: platform.channelSecret,
      path,
      payload: extra,
      nonce: crypto.randomUUID(),
    });
    const unknown = await send({ ...extraHeaders, 'content-type': 'application/json' }, extra);
    expect([unknown.status, (await unknown.json()).returnCode]).toEqual([400, '2101']);
    expect(platform.calls.map((c) => c.returnCode)).toEqual(['2101', '2101', '1106', '3003', '1108', '2101']);
  });

  it('answers a client of another channel 1101 and a client with a wrong secret 1106', async () => {
    const { platform } = await setup();
    const { query } = await platform.startBinding();
    const wrongSecret = createMyCardClient({
      baseUrl: platform.issuer,
      channelId: platform.channelId,
      channelSecret: 'f'.repeat(64),
      fetch: platform.fetch,
    });
    const err = await rejection(() =>
      wrongSecret.apply({ token: query.token, membershipCode: '4901234567894' }),
    );
    expect(err).toBeInstanceOf(MyCardApiError);
    expect(err.returnCode).toBe('1106');
    const otherChannel = createMyCardClient({
      baseUrl: platform.issuer,
      channelId: '5555555555',
      channelSecret: platform.channelSecret,
      fetch: platform.fetch,
    });
    expect(await code(otherChannel.apply({ token: query.token, membershipCode: '4901234567894' }))).toBe(
      '1101',
    );
  });
});
