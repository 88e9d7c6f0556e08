import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installErrorHandling } from '../../src/http/errors.js';
import { installRawJsonParser } from '../../src/http/raw-json.js';

/**
 * The JSON body parser on a route without a schema (so nothing but the parser can refuse): the
 * refused text and keys are refused however they are written — the parser skips its per-value
 * checks for bodies with no `\u` escape and no forbidden key's letters (issue 10), so the escaped
 * forms must still be caught — and what it accepts arrives parsed, with the raw bytes beside it.
 */
describe('the raw JSON parser', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = Fastify({ logger: false });
    installRawJsonParser(app);
    installErrorHandling(app);
    app.post('/echo', async (request) => ({
      body: request.body,
      raw: request.rawBody?.toString('utf8'),
      ownProto: Object.hasOwn(request.body as object, '__proto__'),
    }));
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
  });
  const post = (payload: string) =>
    app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload });

  it.each([
    ['a __proto__ key', '{"__proto__":{"admin":true}}'],
    ['an escaped __proto__ key', '{"\\u005f_proto__":{"admin":true}}'],
    ['an escaped constructor key', '{"a":{"\\u0063onstructor":1}}'],
    ['an escaped NUL', '{"a":"x\\u0000"}'],
    ['a raw NUL', '{"a":"x\u0000"}'],
    ['an escaped lone surrogate', '{"a":"x\\ud800"}'],
    ['an escaped lone surrogate in a key', '{"\\udc00":1}'],
  ])('refuses %s (400 2101)', async (_label, payload) => {
    const res = await post(payload);
    expect(res.statusCode).toBe(400);
    expect(res.json().returnCode).toBe('2101');
  });

  it('accepts plain bodies, escaped text that is safe, and forbidden words as values', async () => {
    for (const payload of [
      '{"a":1,"b":["x",{"c":null}]}',
      '{"a":"\\u00e9t\\u00e9 \\ud83d\\ude00"}',
      '{"note":"the constructor of the prototype"}',
    ]) {
      const res = await post(payload);
      expect(res.statusCode, payload).toBe(200);
      expect(res.json()).toEqual({ body: JSON.parse(payload), raw: payload, ownProto: false });
    }
  });
});
