import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProgram } from '../../src/programs/program-repository.js';
import { dispatchDueWebhooks } from '../../src/webhooks/dispatch-webhooks.js';
import { enqueueWebhook } from '../../src/webhooks/enqueue-webhook.js';
import { checkWebhookDestination, isPublicAddress } from '../../src/webhooks/webhook-destination.js';
import { call, signUp } from '../console/console-client.js';
import {
  DIALECTS,
  startProductionPlatform,
  startTestPlatform,
  type TestPlatform,
} from '../helpers/platform.js';
import { startRecorder } from './webhook-receiver.js';

/** Issue 9.2: production webhooks go over https to public addresses only, checked twice. */
describe.each(DIALECTS)('webhook SSRF in production on %s', (dialect) => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startProductionPlatform(dialect, { consoleSignup: true, rateLimitStore: 'local' });
  });
  afterAll(async () => {
    await platform?.close();
  });
  const origin = { origin: 'https://platform.example' };
  const programs = async () =>
    Number(
      (
        await platform.ctx.db
          .selectFrom('programs')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('refuses loopback, private, link-local, unique-local, metadata and http webhook URLs (2101, nothing stored)', async () => {
    const op = await signUp(platform, `ssrf-${dialect}@shop.example`);
    const base = { name: 'Demo', codeType: 'EAN13', bindingUrl: 'https://shop.example/bind' };
    const before = await programs();
    for (const webhookUrl of [
      'http://127.0.0.1:8080/hook',
      'https://127.0.0.1/hook',
      'https://localhost/hook',
      'https://169.254.169.254/latest/meta-data',
      'https://10.1.2.3/hook',
      'https://192.168.0.10/hook',
      'https://172.16.5.4/hook',
      'https://[fd00::1]/hook',
      'https://[::1]/hook',
      'https://[::ffff:127.0.0.1]/hook',
      'https://metadata.google.internal/computeMetadata/v1/',
      'http://shop.example/hook',
    ]) {
      const res = await call(platform, op, 'POST', '/programs', { ...base, webhookUrl }, origin);
      expect(res.json().returnCode, webhookUrl).toBe('2101');
    }
    expect(await programs()).toBe(before);
    // An https URL to a public address (a literal; names are also resolved when DNS answers).
    const ok = await call(
      platform,
      op,
      'POST',
      '/programs',
      { ...base, webhookUrl: 'https://203.0.114.10/hook' },
      origin,
    );
    expect(ok.json().returnCode).toBe('0000');
    const { channelId } = ok.json().info.program;
    // Changing the URL later goes through the same check.
    const patch = await call(
      platform,
      op,
      'PATCH',
      `/programs/${channelId}`,
      { webhookUrl: 'https://10.0.0.1/x' },
      origin,
    );
    expect(patch.json().returnCode).toBe('2101');
  });

  it('checks again at every connection after DNS resolution: a stored URL to loopback never gets a request', async () => {
    const recorder = await startRecorder('/hook');
    try {
      // Stored directly, as a URL whose name resolved publicly at registration and to loopback now
      // (DNS rebinding) would be: `localhost` resolves to 127.0.0.1 at connect time.
      const targets = [
        `https://localhost:${recorder.port}/hook`,
        `https://127.0.0.1:${recorder.port}/hook`,
        `http://localhost:${recorder.port}/hook`,
      ];
      for (const webhookUrl of targets) {
        const { program } = await createProgram(platform.ctx, {
          name: 'Rebound',
          codeType: 'EAN13',
          bindingUrl: 'https://shop.example/bind',
          webhookUrl,
          status: 'LIVE',
        });
        await platform.ctx.db.transaction().execute((trx) =>
          enqueueWebhook(platform.ctx, trx, program, {
            type: 'card.unbound',
            data: { bindingId: 'b'.repeat(22), reason: 'merchant' },
          } as never),
        );
      }
      const result = await dispatchDueWebhooks(platform.ctx);
      expect(result.delivered).toBe(0);
      expect(recorder.requests()).toBe(0);
      const rows = await platform.ctx.db
        .selectFrom('webhook_outbox')
        .select(['last_error', 'attempts'])
        .execute();
      expect(rows.map((r) => r.last_error).sort()).toEqual(
        ['webhook_not_https', 'webhook_private_address', 'webhook_private_address'].sort(),
      );
    } finally {
      await recorder.close();
    }
  });
});

describe('webhook destination rules', () => {
  it('classifies addresses', () => {
    for (const a of [
      '127.0.0.1',
      '10.0.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      'fd12::1',
      'fe80::1',
      '::ffff:10.0.0.1',
      '224.0.0.1',
    ]) {
      expect(isPublicAddress(a), a).toBe(false);
    }
    for (const a of ['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])
      expect(isPublicAddress(a), a).toBe(true);
  });

  it('resolves names at registration and refuses one that points inside', async () => {
    const prod = { mode: 'production' as const, webhookAllowPrivate: false };
    const resolve = async (host: string) =>
      host === 'rebind.shop.example' ? ['10.0.0.5'] : ['93.184.216.34'];
    expect(await checkWebhookDestination(prod, 'https://rebind.shop.example/h', resolve)).toBe(
      'webhook_private_address',
    );
    expect(await checkWebhookDestination(prod, 'https://shop.example/h', resolve)).toBeUndefined();
    // The explicit flag (and development mode) allow private destinations.
    expect(
      await checkWebhookDestination({ ...prod, webhookAllowPrivate: true }, 'http://127.0.0.1:1/h'),
    ).toBeUndefined();
    expect(
      await checkWebhookDestination(
        { mode: 'development', webhookAllowPrivate: false },
        'http://127.0.0.1:1/h',
      ),
    ).toBeUndefined();
  });

  it('never follows a redirect (a 307 to another receiver is a failed attempt)', async () => {
    const platform = await startTestPlatform('sqlite');
    const target = await startRecorder();
    const first = await startRecorder();
    try {
      first.setStatus(307, target.url);
      const { program } = await createProgram(platform.ctx, {
        name: 'Redirecting',
        codeType: 'EAN13',
        bindingUrl: 'https://shop.example/bind',
        webhookUrl: first.url,
        status: 'LIVE',
      });
      await platform.ctx.db.transaction().execute((trx) =>
        enqueueWebhook(platform.ctx, trx, program, {
          type: 'card.unbound',
          data: { bindingId: 'b'.repeat(22), reason: 'merchant' },
        } as never),
      );
      expect(await dispatchDueWebhooks(platform.ctx)).toEqual({ delivered: 0, failed: 1 });
      expect(first.requests()).toBe(1);
      expect(target.requests()).toBe(0);
      const row = await platform.ctx.db.selectFrom('webhook_outbox').selectAll().executeTakeFirstOrThrow();
      expect([row.last_status, row.last_error, row.delivered_at]).toEqual([307, 'http_307', null]);
    } finally {
      await first.close();
      await target.close();
      await platform.close();
    }
  });
});
