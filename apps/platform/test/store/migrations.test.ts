import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bindingRow, DIALECTS, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

describe.each(DIALECTS)('platform database on %s', (dialect) => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startTestPlatform(dialect);
  });
  afterAll(async () => {
    await platform?.close();
  });

  it('migrates and refuses a second ACTIVE card of one user for one program', async () => {
    const { db } = platform.ctx;
    const base = { channel_id: '1234567890', user_id: 'dev:alice' };
    await db
      .insertInto('bindings')
      .values(bindingRow({ ...base, id: 'b1', state: 'ACTIVE' }))
      .execute();
    await expect(
      db
        .insertInto('bindings')
        .values(bindingRow({ ...base, id: 'b2', state: 'ACTIVE' }))
        .execute(),
    ).rejects.toThrow();
    // A cancelled one beside it is fine: the index is partial.
    await db
      .insertInto('bindings')
      .values(bindingRow({ ...base, id: 'b3', state: 'CANCELLED' }))
      .execute();
    const rows = await db.selectFrom('bindings').select('id').execute();
    expect(rows.map((r) => r.id).sort()).toEqual(['b1', 'b3']);
  });

  it('answers unknown paths with the 4004 envelope', async () => {
    const res = await platform.app.inject({ method: 'GET', url: '/v1/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ returnCode: '4004', returnMessage: 'Resource not found.' });
  });
});
