import { describe, expect, it } from 'vitest';
import { addMember, DIALECTS, entryCount, posClient, usePosMerchant } from '../support/merchant-harness.js';

/**
 * A sale may take an operator session checked moments ago (no session read before it), because it
 * checks the session again in its own transaction. Attack first: a session ended elsewhere (another
 * instance's logout deletes the row) is refused at once — for a new sale and for a replay — and
 * nothing is stored.
 */
describe.each(DIALECTS)('a sale checks the till session in its own transaction (%s)', (dialect) => {
  const t = usePosMerchant(dialect);

  it('a session ended on another instance is refused for a new sale and for a replay; nothing stored', async () => {
    const { merchant } = t;
    const pos = await posClient(merchant, 'till-ended');
    const code = (await addMember(merchant, 'ended@example.com')).membership_code;
    const first = await pos.post('accrue', { code, amount: 1000, currency: 'TWD', orderId: 'SE-1' });
    expect(first.status).toBe(201);
    const before = await entryCount(merchant);
    // Another instance signs the till out: only the row goes (this instance still believes it).
    await merchant.context.db.deleteFrom('sessions').execute();
    const sale = await pos.post('accrue', { code, amount: 2000, currency: 'TWD', orderId: 'SE-2' });
    expect([sale.status, sale.body.error?.code]).toEqual([401, 'unauthorized']);
    const replay = await pos.post('accrue', { code, amount: 1000, currency: 'TWD', orderId: 'SE-1' });
    expect([replay.status, replay.body.error?.code]).toEqual([401, 'unauthorized']);
    expect(replay.body.entry).toBeUndefined();
    // A wallet one-time key: refused before it is sent to the platform (which would burn it).
    const key = await pos.post('accrue', {
      code: '123456789012345678',
      amount: 100,
      currency: 'TWD',
      orderId: 'SE-3',
    });
    expect([key.status, key.body.error?.code]).toEqual([401, 'unauthorized']);
    expect(await entryCount(merchant)).toBe(before);
    const stored = await merchant.context.db
      .selectFrom('ledger_entries')
      .select('order_id')
      .where('order_id', 'in', ['SE-2', 'SE-3'])
      .execute();
    expect(stored).toEqual([]);
  });

  it('a live session keeps selling', async () => {
    const { merchant } = t;
    const pos = await posClient(merchant, 'till-live');
    const code = (await addMember(merchant, 'live@example.com')).membership_code;
    for (const orderId of ['SL-1', 'SL-2', 'SL-3']) {
      expect((await pos.post('accrue', { code, amount: 500, currency: 'TWD', orderId })).status).toBe(201);
    }
  });
});
