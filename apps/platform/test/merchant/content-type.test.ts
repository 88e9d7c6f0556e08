/**
 * PROTOCOL.md §3 (v1.1): merchant POST bodies are `application/json`; another or a missing content
 * type is 415 / 2101, checked before the signature — a correctly signed request with a wrong
 * content type is never a 1106, and its nonce is not used up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpPlatform, merchantCall, startHttpPlatform } from '../helpers/http-platform.js';
import { DIALECTS } from '../helpers/platform.js';

describe.each(DIALECTS)('merchant API content type on %s', (dialect) => {
  let platform: HttpPlatform;
  let creds: { channelId: string; channelSecret: string };
  beforeAll(async () => {
    platform = await startHttpPlatform(dialect);
    creds = await platform.program();
  });
  afterAll(async () => platform?.close());

  const body = { bindingId: 'b_0123456789abcdefghijkl', profile: { points: 1, version: 1 } };

  it.each([
    ['text/plain', { 'content-type': 'text/plain' }],
    ['application/x-www-form-urlencoded', { 'content-type': 'application/x-www-form-urlencoded' }],
    ['application/jsonp', { 'content-type': 'application/jsonp' }],
  ])('a correctly signed POST as %s is 415 / 2101, not 1106', async (_name, headers) => {
    const res = await merchantCall(platform.url, creds, 'POST', '/v1/cards/profile', body, { headers });
    expect([res.status, res.body.returnCode]).toEqual([415, '2101']);
  });

  it('a correctly signed POST without a content type is 415 / 2101 (with or without a body)', async () => {
    const res = await merchantCall(platform.url, creds, 'POST', '/v1/cards/profile', body, {
      omit: ['content-type'],
    });
    expect([res.status, res.body.returnCode]).toEqual([415, '2101']);
    const empty = await merchantCall(platform.url, creds, 'POST', '/v1/cards/unbind', undefined, {
      rawBody: '',
      omit: ['content-type'],
    });
    expect([empty.status, empty.body.returnCode]).toEqual([415, '2101']);
  });

  it('an unsigned POST with a wrong content type is 415 too: the content type comes first', async () => {
    const res = await merchantCall(platform.url, creds, 'POST', '/v1/cards/profile', body, {
      headers: { 'content-type': 'text/plain', 'X-LINE-Authorization': 'A'.repeat(44) },
    });
    expect([res.status, res.body.returnCode]).toEqual([415, '2101']);
  });

  it('the refused request used up nothing: the same nonce then works with application/json', async () => {
    const nonce = crypto.randomUUID();
    const refused = await merchantCall(platform.url, creds, 'POST', '/v1/cards/profile', body, {
      nonce,
      headers: { 'content-type': 'text/plain' },
    });
    expect(refused.status).toBe(415);
    const accepted = await merchantCall(platform.url, creds, 'POST', '/v1/cards/profile', body, {
      nonce,
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    // Signature and nonce accepted; the binding is unknown (3003), nothing else.
    expect([accepted.status, accepted.body.returnCode]).toEqual([404, '3003']);
  });
});
