import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

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
    const base = {
      channel_id: '1234567890',
      user_id: 'dev:alice',
      nonce: 'n',
      callback: 'c',
      browser_hash: 'h',
      membership_code: null,
      completion_hash: null,
      completion_expires_at: null,
      profile: null,
      profile_version: null,
      created_at: '2026-01-01T00:00:00.000Z',
      expires_at: '2026-01-01T00:10:00.000Z',
      applied_at: null,
      completed_at: null,
      ended_at: null,
      end_reason: null,
    };
    await db
      .insertInto('bindings')
      .values({ ...base, id: 'b1', state: 'ACTIVE' })
      .execute();
    await expect(
      db
        .insertInto('bindings')
        .values({ ...base, id: 'b2', state: 'ACTIVE' })
        .execute(),
    ).rejects.toThrow();
    // A cancelled one beside it is fine: the index is partial.
    await db
      .insertInto('bindings')
      .values({ ...base, id: 'b3', state: 'CANCELLED' })
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
