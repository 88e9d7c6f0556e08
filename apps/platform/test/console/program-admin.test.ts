import { importPublicKey } from '@mycard/protocol';
import { exportJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defined } from '../../../../test-support/defined.js';
import { activeChannelSecrets } from '../../src/programs/program-repository.js';
import { createClock, DIALECTS, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { type ConsoleOperator, call, createTestProgram, signUp } from './console-client.js';

describe.each(DIALECTS)('program status, testers and secrets on %s', (dialect) => {
  const clock = createClock();
  let platform: TestPlatform;
  let alice: ConsoleOperator;
  beforeAll(async () => {
    platform = await startTestPlatform(dialect, { secretOverlap: 3600 }, { now: clock.now });
    alice = await signUp(platform, 'alice@shop.example');
  });
  afterAll(async () => {
    await platform?.close();
  });

  const setStatus = (channelId: string, status: string) =>
    call(platform, alice, 'POST', `/programs/${channelId}/status`, { status });

  it('moves DRAFT → LIVE (review off); refuses LIVE → DRAFT (3004) and leaves suspension to platform administrators (4003)', async () => {
    const { channelId } = await createTestProgram(platform, alice);
    expect((await setStatus(channelId, 'SUSPENDED')).json().returnCode).toBe('4003');
    const live = await setStatus(channelId, 'LIVE');
    expect(live.statusCode).toBe(200);
    expect(live.json().info.program.status).toBe('LIVE');
    expect(live.json().info.review).toMatchObject({ required: false, pending: null });
    expect((await setStatus(channelId, 'LIVE')).statusCode).toBe(200); // idempotent
    const back = await setStatus(channelId, 'DRAFT');
    expect(back.statusCode).toBe(409);
    expect(back.json().returnCode).toBe('3004');
    const suspend = await setStatus(channelId, 'SUSPENDED');
    expect([suspend.statusCode, suspend.json().returnCode]).toEqual([403, '4003']);
    expect((await setStatus(channelId, 'ARCHIVED')).json().returnCode).toBe('2101');
    const row = await platform.ctx.db
      .selectFrom('programs')
      .select('status')
      .where('channel_id', '=', channelId)
      .executeTakeFirst();
    expect(defined(row).status).toBe('LIVE');
  });

  it('replaces the testers', async () => {
    const { channelId } = await createTestProgram(platform, alice, { testers: ['dev:alice'] });
    const res = await call(platform, alice, 'PUT', `/programs/${channelId}/testers`, {
      userIds: ['line:U1234', 'dev:bob'],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().info.testers).toEqual(['dev:bob', 'line:U1234']);
    const got = await call(platform, alice, 'GET', `/programs/${channelId}`);
    expect(got.json().info.testers).toEqual(['dev:bob', 'line:U1234']);
    const empty = await call(platform, alice, 'PUT', `/programs/${channelId}/testers`, { userIds: [] });
    expect(empty.json().info.testers).toEqual([]);
    for (const userIds of [
      ['dev:a', 'dev:a'],
      ['has space'],
      Array.from({ length: 101 }, (_, i) => `dev:${i}`),
    ]) {
      const bad = await call(platform, alice, 'PUT', `/programs/${channelId}/testers`, { userIds });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().returnCode).toBe('2101');
    }
  });

  it('reveals the secret and rotates it: the old one verifies during the overlap, not after', async () => {
    const { channelId, channelSecret } = await createTestProgram(platform, alice);
    const revealed = await call(platform, alice, 'POST', `/programs/${channelId}/secret/reveal`, {});
    expect(revealed.statusCode).toBe(200);
    expect(revealed.headers['cache-control']).toBe('no-store');
    expect(revealed.json().info.channelSecret).toBe(channelSecret);

    const rotated = await call(platform, alice, 'POST', `/programs/${channelId}/secret/rotate`, {});
    expect(rotated.statusCode).toBe(200);
    const { channelSecret: next, previousExpiresAt } = rotated.json().info;
    expect(next).toMatch(/^[0-9a-f]{64}$/);
    expect(next).not.toBe(channelSecret);
    expect(previousExpiresAt).toBe(new Date(clock.now().getTime() + 3600_000).toISOString());
    expect(await activeChannelSecrets(platform.ctx, channelId)).toEqual([next, channelSecret]);
    const info = await call(platform, alice, 'GET', `/programs/${channelId}`);
    expect(info.json().info.secret.previousExpiresAt).toBe(previousExpiresAt);
    expect(
      (await call(platform, alice, 'POST', `/programs/${channelId}/secret/reveal`, {})).json().info
        .channelSecret,
    ).toBe(next);

    clock.advance(3599);
    expect(await activeChannelSecrets(platform.ctx, channelId)).toEqual([next, channelSecret]);
    clock.advance(1);
    expect(await activeChannelSecrets(platform.ctx, channelId)).toEqual([next]);
    expect(
      (await call(platform, alice, 'GET', `/programs/${channelId}`)).json().info.secret.previousExpiresAt,
    ).toBeNull();
  });

  it('keeps only one previous secret when rotating twice within the overlap', async () => {
    const { channelId, channelSecret: first } = await createTestProgram(platform, alice);
    const second = (await call(platform, alice, 'POST', `/programs/${channelId}/secret/rotate`, {})).json()
      .info.channelSecret;
    clock.advance(10);
    const third = (await call(platform, alice, 'POST', `/programs/${channelId}/secret/rotate`, {})).json()
      .info.channelSecret;
    const active = await activeChannelSecrets(platform.ctx, channelId);
    expect(active).toEqual([third, second]);
    expect(active).not.toContain(first);
  });

  it('requires a JSON body for secret actions (CSRF rule)', async () => {
    const { channelId } = await createTestProgram(platform, alice);
    const res = await platform.app.inject({
      method: 'POST',
      url: `/v1/console/programs/${channelId}/secret/rotate`,
      headers: { cookie: alice.cookie, 'content-type': 'text/plain' },
      payload: '',
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().returnCode).toBe('4003');
    expect(await activeChannelSecrets(platform.ctx, channelId)).toHaveLength(1);
  });

  it('serves the platform public key as PEM, the same key as the JWKS current key', async () => {
    const res = await call(platform, alice, 'GET', '/platform-key.pem');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/x-pem-file; charset=utf-8');
    expect(res.body).toMatch(/^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=\n]+-----END PUBLIC KEY-----\n$/);
    const { kid } = platform.ctx.keys.current();
    expect(res.headers['x-key-id']).toBe(kid);
    const fromPem = await exportJWK(await importPublicKey(res.body));
    const published = defined(platform.ctx.keys.jwks().keys.find((k) => (k as { kid?: string }).kid === kid));
    expect({ x: fromPem.x, y: fromPem.y, crv: fromPem.crv }).toEqual({
      x: published.x,
      y: published.y,
      crv: published.crv,
    });
    const { channelId } = await createTestProgram(platform, alice);
    const program = await call(platform, alice, 'GET', `/programs/${channelId}`);
    expect(program.json().info.publicKeyPem).toBe(res.body);
    const anonymous = await platform.app.inject({ method: 'GET', url: '/v1/console/platform-key.pem' });
    expect(anonymous.json().returnCode).toBe('4001');
  });

  it('ends console sessions after consoleSessionTtl (12 h): 4001 afterwards', async () => {
    expect((await call(platform, alice, 'GET', '/me')).statusCode).toBe(200);
    clock.advance(12 * 3600);
    const res = await call(platform, alice, 'GET', '/me');
    expect(res.statusCode).toBe(401);
    expect(res.json().returnCode).toBe('4001');
  });
});
