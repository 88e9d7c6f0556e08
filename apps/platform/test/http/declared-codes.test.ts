import { afterAll, describe, expect, it } from 'vitest';
import { errorResponses } from '../../src/http/envelope-schemas.js';
import { fail } from '../../src/http/errors.js';
import { createDeclaredCodesWatch } from '../helpers/declared-codes.js';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';

describe('the declared-codes watch of the test platforms', () => {
  let platform: TestPlatform | undefined;
  afterAll(async () => {
    await platform?.close();
  });

  it('passes what a route declares and reports what it does not', async () => {
    const watch = createDeclaredCodesWatch();
    platform = await startTestPlatform('sqlite', {}, { onRefusal: watch.observe });
    const { app } = platform;
    // A route registered after the platform's own: declares 4004 only, answers 4004 or 4001.
    app.get('/test/declared/:kind', { schema: { response: errorResponses('4004') } }, async (request) => {
      const { kind } = request.params as { kind: string };
      throw kind === 'declared' ? fail('4004', 'program_not_found') : fail('4001', 'session_missing');
    });
    expect((await app.inject({ method: 'GET', url: '/test/declared/declared' })).statusCode).toBe(404);
    expect(() => watch.assertAllDeclared()).not.toThrow();
    // An unknown path is no route's answer: not judged.
    expect((await app.inject({ method: 'GET', url: '/no/such/path' })).statusCode).toBe(404);
    expect(() => watch.assertAllDeclared()).not.toThrow();
    expect((await app.inject({ method: 'GET', url: '/test/declared/other' })).statusCode).toBe(401);
    expect(() => watch.assertAllDeclared()).toThrow(/GET \/test\/declared\/:kind → 401 4001/);
  });
});
