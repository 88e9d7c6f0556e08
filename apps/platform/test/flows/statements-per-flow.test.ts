import { createMyCardClient } from '@mycard/merchant';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StatementCounter } from '../../../../test-support/statement-counter.js';
import { apiError, code, type HttpPlatform, startHttpPlatform } from '../helpers/http-platform.js';
import { DIALECTS } from '../helpers/platform.js';

/**
 * What a binding flow asks of the database, counted on the real driver of each dialect (the
 * counter only watches the statements sent): transactions (each BEGIN … COMMIT and each
 * autocommit statement) and statements per step and for the whole flow. Deterministic counts,
 * so bounds belong in a test; what they cost in time is `npm run bench`'s.
 */
describe.each(DIALECTS)('statements per binding flow (%s)', (dialect) => {
  const counter = new StatementCounter();
  let platform: HttpPlatform;
  beforeAll(async () => {
    platform = await startHttpPlatform(dialect, {}, { observe: counter.observe });
  });
  afterAll(async () => {
    await platform?.close();
  });

  it('reserve → apply → complete, and a profile update', async () => {
    const creds = await platform.program({});
    const alice = await platform.wallet('alice');
    const client = createMyCardClient({ baseUrl: platform.url, ...creds });
    // Warm the connections (PostgreSQL sets the search path on a new one) and the channel's secrets
    // (read once per channel and instance, then cached): the counts are those of every later call.
    const warm = await platform.wallet('warm');
    await warm.reserve(creds.channelId);
    expect(
      await apiError(client.updateProfile({ bindingId: 'A'.repeat(32), profile: { points: 1, version: 1 } })),
    ).toEqual([404, '3003']);

    const steps: Record<string, { transactions: number; statements: number; log: string[] }> = {};
    const reserved = await counter.during(() => alice.reserve(creds.channelId));
    steps.reserve = reserved;
    const applied = await counter.during(() =>
      client.apply({ token: reserved.value.token, membershipCode: code(1) }),
    );
    steps.apply = applied;
    const completed = await counter.during(() =>
      alice.post('/v1/bindings/complete', {
        token: applied.value.completionToken,
        channelId: creds.channelId,
        status: 'SUCCESS',
      }),
    );
    expect(completed.value.status).toBe(200);
    steps.complete = completed;
    steps.profile = await counter.during(() =>
      client.updateProfile({
        bindingId: reserved.value.bindingId,
        profile: { points: 10, version: 2 },
      }),
    );
    const report = Object.entries(steps)
      .map(
        ([name, s]) => `${name}: ${s.transactions} tx, ${s.statements} statements\n  ${s.log.join('\n  ')}`,
      )
      .join('\n');
    const pg = dialect === 'postgres';
    const bounds: Record<string, [number, number]> = {
      // session, program, reservation (INSERT … SELECT unless a card is held)
      reserve: [3, 3],
      // program; then one conditional update holding every check, with the nonce: on PostgreSQL
      // one statement (the nonce inserted by a WITH), on SQLite a transaction of two (the binding
      // is read only when it changes nothing)
      apply: [2, pg ? 2 : 3],
      // session, program + logo + held card + whether it is a group, one conditional update
      // holding every check (without a webhook URL no transaction around it)
      complete: [3, 3],
      // program; then one transaction: the nonce, the binding, the conditional update
      profile: [2, 4],
    };
    for (const [name, [tx, statements]] of Object.entries(bounds)) {
      expect(steps[name]?.transactions, `${name}\n${report}`).toBeLessThanOrEqual(tx);
      expect(steps[name]?.statements, `${name}\n${report}`).toBeLessThanOrEqual(statements);
    }
    const flow = ['reserve', 'apply', 'complete'].map((k) => steps[k] ?? { transactions: 0, statements: 0 });
    expect(
      flow.reduce((n, s) => n + s.transactions, 0),
      report,
    ).toBeLessThanOrEqual(8);
    expect(
      flow.reduce((n, s) => n + s.statements, 0),
      report,
    ).toBeLessThanOrEqual(pg ? 8 : 9);
  });
});
